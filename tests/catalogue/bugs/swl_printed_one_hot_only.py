"""The book's printed chapter 5 SoftmaxWithLoss, on its printed chapter 4 cross_entropy_error: one-hot t only
(label indices t (N,) fail to broadcast against y, or broadcast into wrong numbers when N == C), and backward
ignores dout. The book's repository handles label indices too; the printed version must lose label_targets only
(and the strict dout check the book's code loses anyway)."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_labels", "hint_swl_dout"]
EXPECTED_FAILURES = [
    "SoftmaxWithLoss: label_targets",
    "SoftmaxWithLoss: backward_scales_by_dout",
    "TwoLayerNet: own_layers_train",
]


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size  # noqa: F821


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # noqa: F821
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = (self.y - self.t) / batch_size
        return dx
