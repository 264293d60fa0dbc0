"""Other NumPy formulations of each reference layer, to show the reference is (about) the fastest exact one.

Each formulation has the layer's API and is timed forward + backward at the size the layer has in 784-50-10 on
a batch of 100 (benchmarks/test_reference_alternatives.py; table by benchmarks/alternatives_table.py). A
formulation counts only if it is exact: it gives the right values to rounding on realistic inputs and on the
layer's edge inputs, never writes into its inputs, and stores no more than the reference. Those that do not count
are timed too and say why in EXCLUDED; the test checks that the inexact ones really fail where they say.
"""
from collections import OrderedDict

import numpy as np

from reference.layers import _as_labels_or_one_hot  # the book's rule for telling labels from one-hot


class MulMultiply:
    def forward(self, x, y):
        self.x, self.y = x, y
        return np.multiply(x, y)

    def backward(self, dout):
        return np.multiply(dout, self.y), np.multiply(dout, self.x)


class AddCopy:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout.copy(), dout.copy()


class AddPositive:
    def forward(self, x, y):
        return np.add(x, y)

    def backward(self, dout):
        return +dout, +dout


class ReluWhere:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class ReluCopyAssign:
    def forward(self, x):
        self.mask = x <= 0
        out = np.array(x, dtype=np.float64)
        out[self.mask] = 0.0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=np.float64)
        dx[self.mask] = 0.0
        return dx


class ReluMultiply:
    def forward(self, x):
        self.mask = x <= 0
        return x * ~self.mask

    def backward(self, dout):
        return dout * ~self.mask


class SigmoidPiecewise:
    """The reference's formula with a new array for each step (the reference reuses one temporary in place)."""

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        e = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1.0, e) / (1.0 + e)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class SigmoidLogAddExp:
    """exp(-log(1 + exp(-x))) by np.logaddexp: never overflows, but exp multiplies the rounding of its argument."""

    def forward(self, x):
        self.out = np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=np.float64)))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class SigmoidReciprocal:
    def forward(self, x):
        with np.errstate(over="ignore"):
            self.out = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class SigmoidTanh:
    def forward(self, x):
        self.out = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class AffineDot:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(self.original_x_shape)


class AffineInPlaceBias:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        out = self.x @ self.W
        out += self.b
        return out

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.add.reduce(dout, axis=0)
        return dx.reshape(self.original_x_shape)


class AffineEinsum:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.einsum("nd,dm->nm", self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.einsum("nm,dm->nd", dout, self.W)
        self.dW = np.einsum("nd,nm->dm", self.x, dout)
        self.db = np.einsum("nm->m", dout)
        return dx.reshape(self.original_x_shape)


class AffineBiasByMatmul:
    """db as a matrix product with a vector of ones, so all three gradients go through BLAS."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.ones(dout.shape[0]) @ dout
        return dx.reshape(self.original_x_shape)


class SoftmaxNewArrays:
    """The reference's formula without its in-place division: y = e / total as a new array."""

    def forward(self, x, t):
        x = np.asarray(x, dtype=np.float64)
        self.t = t
        shifted = x - x.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        self.y = e / total
        labels, one_hot = _as_labels_or_one_hot(t, x)
        n = x.shape[0]
        if one_hot is not None:
            self.loss = float(-(one_hot * (shifted - np.log(total))).sum() / n)
        else:
            self.loss = float((np.log(total[:, 0]) - shifted[np.arange(n), labels]).sum() / n)
        return self.loss

    def backward(self, dout=1):
        n = self.y.shape[0]
        labels, one_hot = _as_labels_or_one_hot(self.t, self.y)
        if one_hot is not None:
            dx = self.y - one_hot
        else:
            dx = self.y.copy()
            dx[np.arange(n), labels] -= 1.0
        dx *= dout / n
        return dx


class SoftmaxTwoExp(SoftmaxNewArrays):
    """log-softmax first, then y = exp(log_y): a second exp over the whole array."""

    def forward(self, x, t):
        x = np.asarray(x, dtype=np.float64)
        self.t = t
        shifted = x - x.max(axis=1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.y = np.exp(log_y)
        labels, one_hot = _as_labels_or_one_hot(t, x)
        n = x.shape[0]
        if one_hot is not None:
            self.loss = float(-(one_hot * log_y).sum() / n)
        else:
            self.loss = float(-log_y[np.arange(n), labels].sum() / n)
        return self.loss


class SoftmaxScaleFirst(SoftmaxNewArrays):
    """backward as y * (dout / N), then dout / N taken off at the labels (or dout / N * t): no copy of y."""

    def backward(self, dout=1):
        n = self.y.shape[0]
        scale = dout / n
        labels, one_hot = _as_labels_or_one_hot(self.t, self.y)
        dx = self.y * scale
        if one_hot is not None:
            dx -= one_hot * scale
        else:
            dx[np.arange(n), labels] -= scale
        return dx


class FusedTwoLayerNet:
    """The network's loss and gradient written out in one function, without layer objects; like the layers, it
    also computes the gradient of the input (the first Affine's dx), which gradient() then drops."""

    with_input_gradient = True

    def __init__(self, params):
        self.params = params

    def gradient(self, x, t):
        p = self.params
        a1 = x @ p["W1"] + p["b1"]
        mask = a1 <= 0
        z1 = np.maximum(a1, 0.0)
        a2 = z1 @ p["W2"] + p["b2"]
        shifted = a2 - a2.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        y = e / e.sum(axis=1, keepdims=True)
        n = x.shape[0]
        dy = y.copy()
        dy[np.arange(n), t] -= 1.0
        dy /= n
        dz1 = np.where(mask, 0.0, dy @ p["W2"].T)
        if self.with_input_gradient:
            dz1 @ p["W1"].T
        return OrderedDict(W1=x.T @ dz1, b1=dz1.sum(axis=0), W2=z1.T @ dy, b2=dy.sum(axis=0))


class FusedWithoutInputGradient(FusedTwoLayerNet):
    with_input_gradient = False


FORMULATIONS = {
    "MulLayer": {"np.multiply": MulMultiply},
    "AddLayer": {"dout.copy()": AddCopy, "+dout (np.positive)": AddPositive},
    "Relu": {"np.where(mask, 0, x)": ReluWhere, "copy, mask assign": ReluCopyAssign, "x * ~mask": ReluMultiply},
    "Sigmoid": {
        "piecewise, new arrays": SigmoidPiecewise,
        "exp(-logaddexp(0, -x))": SigmoidLogAddExp,
        "1 / (1 + exp(-x))": SigmoidReciprocal,
        "tanh": SigmoidTanh,
    },
    "Affine": {"np.dot": AffineDot, "out += b, np.add.reduce": AffineInPlaceBias, "einsum": AffineEinsum, "db = ones @ dout": AffineBiasByMatmul},
    "SoftmaxWithLoss": {"y = e / total, new array": SoftmaxNewArrays, "two exps": SoftmaxTwoExp, "scale first": SoftmaxScaleFirst},
    "TwoLayerNet": {"fused, no layer objects": FusedTwoLayerNet, "fused, without the input's gradient": FusedWithoutInputGradient},
}

# Why a formulation does not count: not exact (the test checks each of these fails where it says), or less work.
EXCLUDED = {
    "exp(-logaddexp(0, -x))": "up to 32 ulp off (x ~ -33): exp multiplies the rounding of its argument by |x|",
    "fused, without the input's gradient": "does less: skips dx of the first Affine, which a layer's backward returns",
    "x * ~mask": "-inf * 0 is nan: Relu(-inf) and a dout of inf where x <= 0 give nan",
    "1 / (1 + exp(-x))": "exp(-x) overflows for x < -709.8, giving 0 where sigmoid is a positive subnormal",
    "tanh": "1 + tanh(x / 2) cancels for x << 0: sigmoid(-30) has only ~4 correct digits",
}
