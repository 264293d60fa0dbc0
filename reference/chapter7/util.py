"""im2col and col2im with the book's API (common/util.py): the unrolling that turns a convolution into one
matrix product, and its adjoint, which carries the product's gradient back to the image.

im2col(x)[row, column] is x padded, at row (n, i, j) = sample n, output position (i, j), and column
(c, y, x) = channel c, position (y, x) in the filter: the pixel x[n, c, i*stride + y - pad, j*stride + x - pad].
col2im(col) sums every entry of col into the pixel it was copied from. Where windows overlap (stride smaller than
the filter) a pixel appears in several rows, and its gradient is the sum over them: col2im must add, not assign.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """How many positions a filter takes along one axis: (input + 2 pad - filter) // stride + 1."""
    return (input_size + 2 * pad - filter_size) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """input_data: (N, C, H, W). Returns col of shape (N*out_h*out_w, C*filter_h*filter_w), rows and columns
    ordered as the book's (see the module's docstring)."""
    x = np.asarray(input_data)
    N, C, H, W = x.shape
    out_h = conv_output_size(H, filter_h, stride, pad)
    out_w = conv_output_size(W, filter_w, stride, pad)
    if pad:
        x = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    # windows[n, c, i, j, y, x] = x[n, c, i*stride + y, j*stride + x], a view (taking every stride-th of the
    # stride-1 windows leaves exactly out_h x out_w): nothing is copied until the reshape below, which copies
    # once, straight into the book's (n, i, j) x (c, y, x) order.
    windows = sliding_window_view(x, (filter_h, filter_w), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(N * out_h * out_w, C * filter_h * filter_w)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The adjoint of im2col: an image of input_shape (N, C, H, W) in which each pixel is the sum of the entries
    of col that im2col copied from it.

    col: (N*out_h*out_w, C*filter_h*filter_w) as im2col returns it, or the same with its first axis split in
    two, (N, out_h*out_w, C*filter_h*filter_w). The split form lets Convolution hand over a transposed view of
    its gradient, which merging N with out_h*out_w would have to copy.
    """
    N, C, H, W = input_shape
    out_h = conv_output_size(H, filter_h, stride, pad)
    out_w = conv_output_size(W, filter_w, stride, pad)
    col = np.asarray(col).reshape(N, out_h, out_w, C, filter_h, filter_w)
    # Padded, and large enough that every strided slice below ends inside it.
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1), dtype=np.result_type(col, 0.0))
    # One slice per filter position (filter_h * filter_w of them, not one per pixel): the pixels that filter
    # position (y, x) reads form a strided grid, and each receives that position's entries of every window.
    for y in range(filter_h):
        y_end = y + stride * out_h
        for x in range(filter_w):
            x_end = x + stride * out_w
            img[:, :, y:y_end:stride, x:x_end:stride] += col[:, :, :, :, y, x].transpose(0, 3, 1, 2)
    return img[:, :, pad:H + pad, pad:W + pad]
