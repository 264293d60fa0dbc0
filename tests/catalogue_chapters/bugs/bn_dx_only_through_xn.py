"""My BatchNormalization.backward returns gamma * dout / std, as if the batch's mean and variance did not depend
on x: the terms through the mean and the variance are missing."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_dx_only_through_xn"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def backward(self, dout):
        super().backward(dout)
        return (self.gamma * dout.reshape(self.xn.shape) / self.std).reshape(self.input_shape)
