"""Chapter 5 layers with the book's API (common/layers.py), written to be exact and never to touch their inputs.

Differences from the book that a reader may notice, each for a reason:
- no layer writes into an array it was given (the book's Relu.backward writes into dout);
- SoftmaxWithLoss computes the loss by log-sum-exp from the logits, so it is exact and finite for logits of
  +-1000 where the book's 1e-7 inside the log caps a sample's loss near 16;
- Sigmoid is computed from e = exp(-|x|), as 1 / (1 + e) for x >= 0 and e / (1 + e) below: it never overflows
  or warns, and is within 2 ulp of the true value everywhere, subnormal results included.
Each layer's formulation is the fastest exact one we measured (benchmarks/alternatives_table.py, in the README).
"""
import numpy as np

_TINY = np.finfo(np.float64).tiny


def softmax(x):
    """Softmax over the last axis, shifted by the maximum so that exp never overflows."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _as_labels_or_one_hot(t, y2):
    """Return (labels, one_hot) for the rows of y2; exactly one is not None.

    As in the book, t is one-hot when it has as many entries as y, and label indices otherwise.
    """
    t = np.asarray(t)
    if t.size == y2.size:
        return None, t.reshape(y2.shape)
    return t.reshape(-1).astype(np.intp, copy=False), None


def cross_entropy_error(y, t):
    """Mean cross-entropy of probabilities y (N, C) or (C,) against one-hot t or label indices t.

    Probabilities are clipped to the smallest positive double so that log never sees 0.
    """
    y = np.asarray(y, dtype=np.float64)
    y2 = y.reshape(-1, y.shape[-1])
    labels, one_hot = _as_labels_or_one_hot(t, y2)
    log_y = np.log(np.maximum(y2, _TINY))
    n = y2.shape[0]
    if one_hot is not None:
        return float(-(one_hot * log_y).sum() / n)
    return float(-log_y[np.arange(n), labels].sum() / n)


class MulLayer:
    """out = x * y; the gradient of each input is dout times the other input."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    """out = x + y; both inputs receive dout unchanged (as new objects, so callers may write into them)."""

    def __init__(self):
        pass

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class Relu:
    """out = max(x, 0); keeps only the boolean mask of the inputs that were cut, not a copy of x."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        x = np.asarray(x)
        self.mask = x <= 0
        return np.maximum(x, 0.0)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class Sigmoid:
    """out = 1 / (1 + exp(-x)); keeps its output, since dx = dout * out * (1 - out)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        # One temporary reused in place: e = exp(-|x|), then the denominator 1 + e. It is made with out= so
        # that it is an array even for a 0-d x, where NumPy would return a scalar that out= cannot take.
        e = np.abs(x, out=np.empty_like(x))
        np.negative(e, out=e)
        np.exp(e, out=e)
        out = np.where(x >= 0, 1.0, e)
        e += 1.0
        out /= e
        self.out = out
        return out

    def backward(self, dout):
        dx = 1.0 - self.out
        dx *= self.out
        dx *= dout
        return dx


class Affine:
    """out = x @ W + b for x of shape (N, D), or (N, ...) flattened to (N, D) as in the book's CNN chapters.

    W and b are kept by reference, not copied, so that TwoLayerNet.params and the layer share them.
    """

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        x = np.asarray(x)
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dx.reshape(self.original_x_shape)


class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy loss; backward gives dout * (y - t) / N."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        x = np.asarray(x, dtype=np.float64)
        self.t = t
        x2 = x.reshape(-1, x.shape[-1])
        shifted = x2 - x2.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        e /= total
        self.y = e.reshape(x.shape)
        labels, one_hot = _as_labels_or_one_hot(t, x2)
        n = x2.shape[0]
        # log y = shifted - log(total); for label targets only the labels' entries are needed.
        if one_hot is not None:
            self.loss = float(-(one_hot * (shifted - np.log(total))).sum() / n)
        else:
            self.loss = float((np.log(total[:, 0]) - shifted[np.arange(n), labels]).sum() / n)
        return self.loss

    def backward(self, dout=1):
        y2 = self.y.reshape(-1, self.y.shape[-1])
        n = y2.shape[0]
        labels, one_hot = _as_labels_or_one_hot(self.t, y2)
        if one_hot is not None:
            dx = y2 - one_hot
        else:
            dx = y2.copy()
            dx[np.arange(n), labels] -= 1.0
        dx *= dout / n
        return dx.reshape(self.y.shape)
