"""My BatchNormalization.backward subtracts the mean of the gradient (the path through the batch's mean) but
forgets the path through the variance."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_dx_without_variance_term"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def backward(self, dout):
        super().backward(dout)
        dxn = self.gamma * dout.reshape(self.xn.shape)
        return ((dxn - dxn.mean(axis=0)) / self.std).reshape(self.input_shape)
