"""SoftmaxWithLoss.forward computes softmax(x) only on its first call (if self.y is None), reusing a stale y after."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_state"]
MUST_FAIL = ["SoftmaxWithLoss: latest_forward_wins"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        if self.y is None:
            self.y = softmax(x)  # noqa: F821
        self.loss = cross_entropy_error(self.y, t)  # noqa: F821
        return self.loss
