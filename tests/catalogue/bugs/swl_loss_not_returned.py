"""SoftmaxWithLoss.forward stores self.loss but forgets to return it."""
LAYER = "SoftmaxWithLoss"
MUST_FAIL = ["SoftmaxWithLoss: loss_is_a_number"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        super().forward(x, t)
