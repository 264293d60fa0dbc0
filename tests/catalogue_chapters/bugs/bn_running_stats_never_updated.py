"""My BatchNormalization computes the batch's mean and variance but never moves running_mean and running_var, so
testing normalises with zeros."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_running_never_updated"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        kept = (self.running_mean, self.running_var)
        out = super().forward(x, train_flg)
        if kept[0] is not None:
            self.running_mean, self.running_var = kept
        else:
            self.running_mean = np.zeros_like(self.running_mean)  # noqa: F821
            self.running_var = np.zeros_like(self.running_var)  # noqa: F821
        return out
