"""SoftmaxWithLoss.backward ignores dout, assuming the loss is always the last node (the book does this too)."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_dout"]
MUST_FAIL = ["SoftmaxWithLoss: backward_scales_by_dout"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout=1):
        return super().backward(1)
