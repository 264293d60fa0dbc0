"""When the stride equals the window, as in the book's 2x2 pools, my Pooling reshapes (N, C, H, W) into
(N, C, out_h, pool_h, out_w, pool_w) blocks and takes the max over the block axes; backward routes each dout to
the first maximum of its block. Other strides go the im2col way. Right."""
LAYER = "Pooling"
FILE = "chapter7/layers.py"


class Pooling(Pooling):  # noqa: F821
    def _blocks(self):
        return self.stride == self.pool_h == self.pool_w and self.pad == 0

    def forward(self, x):
        self.x = x
        if not self._blocks():
            return super().forward(x)
        N, C, H, W = x.shape
        k = self.pool_h
        oh, ow = H // k, W // k
        blocks = x[:, :, :oh * k, :ow * k].reshape(N, C, oh, k, ow, k).transpose(0, 1, 2, 4, 3, 5)
        blocks = blocks.reshape(N, C, oh, ow, k * k)
        self.first = blocks.argmax(axis=-1)
        return blocks.max(axis=-1)

    def backward(self, dout):
        if not self._blocks():
            return super().backward(dout)
        N, C, H, W = self.x.shape
        k = self.pool_h
        oh, ow = dout.shape[2:]
        onehot = (np.arange(k * k) == self.first[..., None]) * dout[..., None]  # noqa: F821
        dx = np.zeros(self.x.shape)  # noqa: F821
        dx[:, :, :oh * k, :ow * k] = onehot.reshape(N, C, oh, ow, k, k).transpose(0, 1, 2, 4, 3, 5).reshape(N, C, oh * k, ow * k)
        return dx
