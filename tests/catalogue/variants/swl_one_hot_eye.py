"""SoftmaxWithLoss and cross_entropy_error that turn label indices into one-hot rows with np.eye and take
-sum(t * log(y + 1e-7)) / N, the book's delta included: full marks."""
EXPECTED_FAILURES = []


def cross_entropy_error(y, t):
    y = y.reshape(-1, y.shape[-1])
    t = t.reshape(y.shape) if t.size == y.size else np.eye(y.shape[1])[t]  # noqa: F821
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]  # noqa: F821


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.y = softmax(x)  # noqa: F821
        self.t = t if t.size == self.y.size else np.eye(x.shape[-1])[t]  # noqa: F821
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        return dout * (self.y - self.t) / self.y.shape[0]
