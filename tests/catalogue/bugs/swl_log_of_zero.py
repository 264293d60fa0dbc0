"""SoftmaxWithLoss.forward takes -log(y) at the labels with no delta: when a label's probability underflows to 0
at logits of +-1000, the loss is inf."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_extreme"]
MUST_FAIL = ["SoftmaxWithLoss: extreme_logits"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # noqa: F821
        labels = np.argmax(t, axis=-1) if t.size == self.y.size else t  # noqa: F821
        y = self.y.reshape(-1, x.shape[-1])
        self.loss = -np.sum(np.log(y[np.arange(y.shape[0]), labels.reshape(-1)])) / y.shape[0]  # noqa: F821
        return self.loss
