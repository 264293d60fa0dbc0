"""SoftmaxWithLoss.forward divides the loss by x.shape[0], which for one unbatched sample (C,) is C, not 1."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_single_sample"]
MUST_FAIL = ["SoftmaxWithLoss: single_sample_loss"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)  # noqa: F821
        one_hot = t if t.size == self.y.size else np.eye(x.shape[-1])[t]  # noqa: F821
        self.loss = -np.sum(one_hot * np.log(self.y + 1e-7)) / x.shape[0]  # noqa: F821
        return self.loss
