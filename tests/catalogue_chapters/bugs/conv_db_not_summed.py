"""My Convolution's db sums dout over the batch only, np.sum(dout, axis=0), not over the output positions too."""
LAYER = "Convolution"
FILE = "chapter7/layers.py"
HINTS = ["hint_conv_db_not_summed"]


class Convolution(Convolution):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout, axis=0)  # noqa: F821
        return dx
