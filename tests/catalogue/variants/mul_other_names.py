"""MulLayer keeping its inputs under other names (self.a, self.b) and multiplying with np.multiply: correct,
full marks."""
EXPECTED_FAILURES = []


class MulLayer:
    def __init__(self):
        self.a = None
        self.b = None

    def forward(self, x, y):
        self.a, self.b = x, y
        return np.multiply(x, y)  # noqa: F821

    def backward(self, dout):
        return np.multiply(dout, self.b), np.multiply(dout, self.a)
