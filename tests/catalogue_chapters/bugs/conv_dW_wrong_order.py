"""My Convolution computes dW as col.T @ dout, shaped (C*FH*FW, FN), and reshapes it straight to (FN, C, FH, FW)
without transposing it first: the right numbers in the wrong places."""
LAYER = "Convolution"
FILE = "chapter7/layers.py"
HINTS = ["hint_conv_dW_wrong_order"]


class Convolution(Convolution):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        dout2 = dout.transpose(0, 2, 3, 1).reshape(-1, self.W.shape[0])
        self.dW = (self.col.T @ dout2).reshape(self.W.shape)
        return dx
