"""My Pooling.backward flattens dout as it comes, (N, C, out_h, out_w), while the rows of arg_max are ordered
(N, out_h, out_w, C): with several channels, gradients land in the wrong channel and place."""
LAYER = "Pooling"
FILE = "chapter7/layers.py"


class Pooling(Pooling):  # noqa: F821
    def backward(self, dout):
        scrambled = dout.reshape(-1).reshape(dout.shape[0], dout.shape[2], dout.shape[3], dout.shape[1])
        return super().backward(scrambled.transpose(0, 3, 1, 2))
