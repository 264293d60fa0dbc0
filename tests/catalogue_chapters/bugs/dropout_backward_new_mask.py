"""My Dropout.backward draws a mask of its own, so the gradient flows through units that forward dropped."""
LAYER = "Dropout"
HINTS = ["hint_dropout_backward_new_mask"]
FILE = "chapter6/layers.py"


class Dropout(Dropout):  # noqa: F821
    def backward(self, dout):
        return dout * (np.random.rand(*dout.shape) > self.dropout_ratio)  # noqa: F821
