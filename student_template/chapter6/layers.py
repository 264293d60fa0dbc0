"""Chapter 6.3 and 6.4: Dropout and BatchNormalization, each with forward and backward (the book's common/layers.py).

forward takes train_flg: True while training, False when testing. Never write into an array you were given.
"""
import numpy as np


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in chapter6/layers.py (see its docstring).")


class Dropout:
    """Dropout (section 6.4.3): in training, each unit is dropped (set to 0) with probability dropout_ratio."""

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        """Training: draw self.mask = np.random.rand(*x.shape) > dropout_ratio and return x * mask.
        Testing: return x * (1 - dropout_ratio), so that each unit's expected output is the same in both."""
        raise _todo("Dropout.forward")

    def backward(self, dout):
        """Return dout * mask, with the mask of the last training forward (do not draw a new one)."""
        raise _todo("Dropout.backward")


class BatchNormalization:
    """Batch normalization (section 6.3): out = gamma * (x - mean) / sqrt(var + 1e-6) + beta.

    gamma, beta: (D,) for x of shape (N, D). A 4-D x (N, C, H, W) is reshaped to (N, C*H*W) and treated the same
    (the book's choice), so gamma and beta then have C*H*W entries.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None
        self.running_mean = running_mean
        self.running_var = running_var
        self.batch_size = None
        self.xc = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        """Return out shaped like x. If running_mean is None, start it and running_var at zeros (D,).

        Training: normalise with the batch's mean and variance (over axis 0), keep what backward needs, and move
        running_mean = momentum * running_mean + (1 - momentum) * mean (running_var likewise, with the variance).
        Testing: normalise with running_mean and running_var instead, and update nothing.
        """
        raise _todo("BatchNormalization.forward")

    def backward(self, dout):
        """dout shaped like forward's x. Store self.dgamma and self.dbeta (D,), and return dx shaped like x.

        Every x moves the batch's mean and variance, so dx has terms through both, not only gamma * dout / std.
        """
        raise _todo("BatchNormalization.backward")
