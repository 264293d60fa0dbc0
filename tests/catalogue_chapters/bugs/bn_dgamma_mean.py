"""My dgamma is the mean of xn * dout over the batch instead of the sum."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_mean_not_sum"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.dgamma = self.dgamma / self.batch_size
        return dx
