"""Relu written with np.maximum and a mask of where x > 0, kept under another name: correct, full marks."""
EXPECTED_FAILURES = []


class Relu:
    def __init__(self):
        self.keep = None

    def forward(self, x):
        self.keep = x > 0
        return np.maximum(x, 0)  # noqa: F821 (np is imported by the reference's layers.py)

    def backward(self, dout):
        return dout * self.keep
