"""My BatchNormalization normalises with np.var(x, axis=0, ddof=1), the unbiased variance, not the batch's own."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_unbiased_variance"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        out = super().forward(x, train_flg)
        if train_flg:
            flat = x.reshape(x.shape[0], -1)
            self.std = np.sqrt(flat.var(axis=0, ddof=1) + 1e-6)  # noqa: F821
            self.xn = (flat - flat.mean(axis=0)) / self.std
            out = (self.gamma * self.xn + self.beta).reshape(x.shape)
        return out
