"""Relu.backward writes into the dout it was given (dout[self.mask] = 0), as the book and the seed articles do."""
LAYER = "Relu"
HINTS = ["hint_relu_inplace_dout"]
MUST_FAIL = ["Relu: backward_leaves_dout_unchanged"]


class Relu(Relu):  # noqa: F821
    def backward(self, dout):
        dout[self.mask] = 0
        return dout
