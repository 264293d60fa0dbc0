"""My Convolution.backward calls col2im(dcol, self.x.shape, FH, FW, self.stride) and forgets the pad."""
LAYER = "Convolution"
FILE = "chapter7/layers.py"


class Convolution(Convolution):  # noqa: F821
    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        super().backward(dout)
        dcol = dout.transpose(0, 2, 3, 1).reshape(-1, FN) @ self.W.reshape(FN, -1)
        return col2im(dcol, self.x.shape, FH, FW, self.stride)  # noqa: F821
