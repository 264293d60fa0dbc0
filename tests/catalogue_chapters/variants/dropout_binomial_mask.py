"""I draw the mask with NumPy's new Generator, keeping each unit with probability 1 - dropout_ratio
(rng.random(x.shape) >= dropout_ratio): another draw, the same ratio, right."""
LAYER = "Dropout"
FILE = "chapter6/layers.py"


class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None
        self.rng = np.random.default_rng(12345)  # noqa: F821

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = self.rng.random(x.shape) >= self.dropout_ratio
            return np.where(self.mask, x, 0.0)  # noqa: F821
        return x * (1 - self.dropout_ratio)

    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)  # noqa: F821
