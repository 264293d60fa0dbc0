"""My BatchNormalization takes means over axis 0 of x as it comes, without reshaping a 4-D batch to (N, C*H*W):
gamma of C*H*W entries does not broadcast against (N, C, H, W)."""
LAYER = "BatchNormalization"
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        if x.ndim == 2:
            return super().forward(x, train_flg)
        mu = x.mean(axis=0)
        xn = (x - mu) / np.sqrt(x.var(axis=0) + 1e-6)  # noqa: F821
        return self.gamma * xn + self.beta
