"""My Pooling.backward loops over the windows and sets dx at each window's maximum to its dout (dx[...] = dout),
so an input that is the maximum of two overlapping windows keeps only the last one's gradient."""
LAYER = "Pooling"
FILE = "chapter7/layers.py"


class Pooling(Pooling):  # noqa: F821
    def backward(self, dout):
        N, C, H, W = self.x.shape
        s, ph, pw = self.stride, self.pool_h, self.pool_w
        dx = np.zeros(self.x.shape)  # noqa: F821
        arg_max = self.arg_max.reshape(N, dout.shape[2], dout.shape[3], C)
        for n in range(N):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    for c in range(C):
                        y, x = divmod(int(arg_max[n, i, j, c]), pw)
                        dx[n, c, i * s + y, j * s + x] = dout[n, c, i, j]
        return dx
