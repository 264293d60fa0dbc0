"""SoftmaxWithLoss.backward takes dout with no default (def backward(self, dout)), so backward() with no argument,
as code written for the book's backward(self, dout=1) calls it, raises a TypeError."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_default_dout"]
MUST_FAIL = ["SoftmaxWithLoss: backward_default_dout"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout):
        return super().backward(dout)
