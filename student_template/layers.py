"""Chapter 5: the layers of a neural network, each with forward and backward.

Fill in every method that raises NotImplementedError, then run `python grader.py` to see your score per layer.
Keep the names and signatures: the grader calls them as the book does (common/layers.py).
Use NumPy on whole arrays (no Python loops over the batch), and never write into an array you were given.
"""
import numpy as np


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in layers.py (see its docstring).")


def softmax(x):
    """Softmax over the last axis (section 3.5).

    x: logits of shape (N, C) or (C,). Returns probabilities of the same shape, each row summing to 1.
    Subtract the row maximum before np.exp, or logits such as 1000 overflow.
    """
    raise _todo("softmax")


def cross_entropy_error(y, t):
    """Mean cross-entropy error over the batch (section 4.2).

    y: probabilities (N, C) or (C,); t: one-hot labels of the same shape, or label indices (N,).
    Returns a float. Guard against log(0).
    """
    raise _todo("cross_entropy_error")


class MulLayer:
    """Multiplication node, out = x * y (section 5.4.1). Works on Python floats and on arrays."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """Return x * y. Keep x and y: backward needs them."""
        raise _todo("MulLayer.forward")

    def backward(self, dout):
        """Return (dx, dy). The gradient of each input is dout times the *other* input."""
        raise _todo("MulLayer.backward")


class AddLayer:
    """Addition node, out = x + y (section 5.4.2)."""

    def __init__(self):
        pass

    def forward(self, x, y):
        """Return x + y. Nothing needs keeping."""
        raise _todo("AddLayer.forward")

    def backward(self, dout):
        """Return (dx, dy): both inputs receive dout unchanged."""
        raise _todo("AddLayer.backward")


class Relu:
    """ReLU activation, out = max(x, 0), for x of any shape (section 5.5.1)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """Return an array shaped like x: x where x > 0, else 0.

        Keep a boolean mask of where x <= 0; backward needs it. Do not change x itself.
        """
        raise _todo("Relu.forward")

    def backward(self, dout):
        """Return dx shaped like dout: dout where forward's x > 0, else 0.

        Build a new array; do not write into dout.
        """
        raise _todo("Relu.backward")


class Sigmoid:
    """Sigmoid activation, out = 1 / (1 + exp(-x)), for x of any shape (section 5.5.2)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """Return the sigmoid of x, shaped like x. Keep the output: backward needs it."""
        raise _todo("Sigmoid.forward")

    def backward(self, dout):
        """Return dx = dout * out * (1 - out), shaped like dout."""
        raise _todo("Sigmoid.backward")


class Affine:
    """Fully connected layer, out = x @ W + b (section 5.6.2).

    W: (D, M) weights, b: (M,) bias. Keep them as given (do not copy): TwoLayerNet shares them with its params.
    """

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """Return out of shape (N, M).

        x: (N, D), or (N, C, H, W) as in chapter 7: flatten every axis after the first to get (N, D).
        Keep the (flattened) x and x's original shape: backward needs them.
        """
        raise _todo("Affine.forward")

    def backward(self, dout):
        """dout: (N, M). Store self.dW (D, M) and self.db (M,), and return dx shaped like forward's x.

        db sums dout over the batch axis, since b was added to every row.
        """
        raise _todo("Affine.backward")


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy error (section 5.6.3)."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        """x: logits (N, C); t: one-hot (N, C) or label indices (N,). Return the loss as a float.

        Keep softmax(x) and t: backward needs them.
        """
        raise _todo("SoftmaxWithLoss.forward")

    def backward(self, dout=1):
        """Return dx of shape (N, C): (y - t) / N, times dout. N is the batch size."""
        raise _todo("SoftmaxWithLoss.backward")
