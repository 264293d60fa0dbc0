"""Chapter 7.4: im2col and col2im (the book's common/util.py), which turn a convolution into a matrix product."""
import numpy as np


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in chapter7/util.py (see its docstring).")


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """Given: how many positions a filter takes along one axis."""
    return (input_size + 2 * pad - filter_size) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """input_data: (N, C, H, W). Pad H and W with pad zeros on each side, then return col of shape
    (N*out_h*out_w, C*filter_h*filter_w): one row per sample and output position (n, i, j), holding the window
    that the filter sees there, ordered by channel, then filter row, then filter column."""
    raise _todo("im2col")


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The way back: an array of input_shape (N, C, H, W) in which each pixel is the SUM of the entries of col
    that im2col copied from it. Windows overlap when stride < filter size, so add (+=), do not assign.
    Drop the padding at the end."""
    raise _todo("col2im")
