"""Chapter 7.4: Convolution and Pooling on batches of shape (N, C, H, W) (the book's common/layers.py)."""
import numpy as np

from .util import col2im, im2col


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in chapter7/layers.py (see its docstring).")


class Convolution:
    """Convolution layer. W: (FN, C, FH, FW) filters, b: (FN,) biases. Keep them as given (do not copy)."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x = None
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """x: (N, C, H, W). Return out of shape (N, FN, out_h, out_w), with
        out_h = (H + 2*pad - FH) // stride + 1 (out_w likewise). Keep what backward needs."""
        raise _todo("Convolution.forward")

    def backward(self, dout):
        """dout: (N, FN, out_h, out_w). Store self.dW (W's shape) and self.db (FN,); return dx shaped like x."""
        raise _todo("Convolution.backward")


class Pooling:
    """Max pooling over pool_h x pool_w windows, channel by channel."""

    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self.arg_max = None

    def forward(self, x):
        """x: (N, C, H, W). Return the maximum of each window: (N, C, out_h, out_w). Keep where each maximum was."""
        raise _todo("Pooling.forward")

    def backward(self, dout):
        """dout: (N, C, out_h, out_w). Return dx shaped like x: each dout entry goes to the input that was its
        window's maximum, and nowhere else."""
        raise _todo("Pooling.backward")
