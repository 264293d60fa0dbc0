"""The "stable" sigmoid that picks exp(x) / (1 + exp(x)) for x < 0 with np.where: the unused branch overflows to
nan for large x, but np.where never selects it: correct, full marks."""
EXPECTED_FAILURES = []


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        e = np.exp(x)  # noqa: F821
        self.out = np.where(x >= 0, 1 / (1 + np.exp(-x)), e / (1 + e))  # noqa: F821
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)
