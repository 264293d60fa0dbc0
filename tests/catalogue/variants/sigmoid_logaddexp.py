"""Sigmoid as exp(x - log(1 + exp(x))) with np.logaddexp, exact for any x: correct, full marks."""
EXPECTED_FAILURES = []


class Sigmoid:
    def __init__(self):
        self.y = None

    def forward(self, x):
        self.y = np.exp(x - np.logaddexp(0.0, x))  # noqa: F821
        return self.y

    def backward(self, dout):
        return dout * (1.0 - self.y) * self.y
