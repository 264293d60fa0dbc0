"""My Pooling.backward gives each dout to every input of its window, not only to the maximum."""
LAYER = "Pooling"
FILE = "chapter7/layers.py"
HINTS = ["hint_pooling_gradient_everywhere"]


class Pooling(Pooling):  # noqa: F821
    def backward(self, dout):
        C = self.x.shape[1]
        spread = np.repeat(dout.transpose(0, 2, 3, 1).reshape(-1, 1), self.pool_h * self.pool_w, axis=1)  # noqa: F821
        return col2im(spread.reshape(-1, C * self.pool_h * self.pool_w), self.x.shape, self.pool_h,  # noqa: F821
                      self.pool_w, self.stride, self.pad)
