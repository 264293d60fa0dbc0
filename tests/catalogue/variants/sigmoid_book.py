"""Sigmoid written as in the book, 1 / (1 + np.exp(-x)): np.exp(1000) overflows with a RuntimeWarning, but the
result is still the right 0: correct, full marks."""
EXPECTED_FAILURES = []


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))  # noqa: F821
        self.out = out
        return out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out
