"""My BatchNormalization updates running_mean and running_var in every forward, testing included."""
LAYER = "BatchNormalization"
HINTS = ["hint_bn_running_moved_in_testing"]
FILE = "chapter6/layers.py"


class BatchNormalization(BatchNormalization):  # noqa: F821
    def forward(self, x, train_flg=True):
        if not train_flg:
            flat = np.asarray(x, dtype=float).reshape(x.shape[0], -1)  # noqa: F821
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * flat.mean(axis=0)
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * flat.var(axis=0)
        return super().forward(x, train_flg)
