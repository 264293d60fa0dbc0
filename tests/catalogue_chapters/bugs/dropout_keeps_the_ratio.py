"""My mask is np.random.rand(...) < dropout_ratio: it keeps dropout_ratio of the units instead of dropping them."""
LAYER = "Dropout"
HINTS = ["hint_dropout_keeps_the_ratio"]
FILE = "chapter6/layers.py"


class Dropout(Dropout):  # noqa: F821
    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) < self.dropout_ratio  # noqa: F821
            return x * self.mask
        return x * self.dropout_ratio
