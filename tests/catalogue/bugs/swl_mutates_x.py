"""SoftmaxWithLoss.forward shifts x in place (x -= max) for stability, changing the caller's logits."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_unchanged"]
MUST_FAIL = ["SoftmaxWithLoss: inputs_unchanged"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        x -= np.max(x, axis=-1, keepdims=True)  # noqa: F821
        return super().forward(x, t)
