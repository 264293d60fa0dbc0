"""SoftmaxWithLoss treats t as one-hot always (t * log(y), y - t), so label indices t (N,) give wrong results."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_labels"]
MUST_FAIL = ["SoftmaxWithLoss: label_targets"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # noqa: F821
        batch_size = x.shape[0] if x.ndim == 2 else 1
        self.loss = -np.sum(t * np.log(self.y + 1e-7)) / batch_size  # noqa: F821
        return self.loss

    def backward(self, dout=1):
        return dout * (self.y - self.t) / self.y.shape[0]
