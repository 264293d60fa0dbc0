"""Sigmoid through tanh, out = (1 + tanh(x / 2)) / 2, which never overflows: correct, full marks."""
EXPECTED_FAILURES = []


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 0.5 * (1.0 + np.tanh(0.5 * x))  # noqa: F821 (np is imported by the reference's layers.py)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)
