"""My BatchNormalization.backward walks the computational graph node by node, as the book's figure does: through
xc, std, var and mu, in that order. Longer than the collected formula, and right."""
LAYER = "BatchNormalization"
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        out = super().forward(x, train_flg)
        if train_flg:
            self.xc = self.xn * self.std
        return out

    def backward(self, dout):
        dout = dout.reshape(self.xn.shape)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)  # noqa: F821
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)  # noqa: F821
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)  # noqa: F821
        return (dxc - dmu / self.batch_size).reshape(self.input_shape)
