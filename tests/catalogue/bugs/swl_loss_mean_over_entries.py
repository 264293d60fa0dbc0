"""SoftmaxWithLoss.forward takes np.mean over every entry of t * log(y), dividing by N * C instead of N."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_loss", "hint_swl_single_sample"]
MUST_FAIL = ["SoftmaxWithLoss: loss_one_hot"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # noqa: F821
        one_hot = t if t.size == self.y.size else np.eye(x.shape[-1])[t]  # noqa: F821
        self.loss = -np.mean(one_hot * np.log(self.y + 1e-7))  # noqa: F821
        return self.loss
