"""My BatchNormalization normalises a test batch by that batch's own mean and variance, as in training (I kept
running_mean and running_var up to date but never used them), so a prediction depends on the rest of the batch."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_testing_uses_batch"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        if train_flg:
            return super().forward(x, train_flg)
        kept = (self.running_mean, self.running_var)
        out = super().forward(x, train_flg=True)
        self.running_mean, self.running_var = kept
        return out
