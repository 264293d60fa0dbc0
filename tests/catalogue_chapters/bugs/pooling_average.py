"""My Pooling takes the mean of each window, not its maximum (average pooling), and backward shares each dout
equally among the window's inputs."""
LAYER = "Pooling"
FILE = "chapter7/layers.py"


class Pooling(Pooling):  # noqa: F821
    def forward(self, x):
        N, C, H, W = x.shape
        out_h = (H - self.pool_h) // self.stride + 1
        out_w = (W - self.pool_w) // self.stride + 1
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)  # noqa: F821
        self.x = x
        return col.mean(axis=1).reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

    def backward(self, dout):
        size = self.pool_h * self.pool_w
        shared = np.repeat(dout.transpose(0, 2, 3, 1).reshape(-1, 1) / size, size, axis=1)  # noqa: F821
        return col2im(shared.reshape(-1, self.x.shape[1] * size), self.x.shape, self.pool_h, self.pool_w,  # noqa: F821
                      self.stride, self.pad)
