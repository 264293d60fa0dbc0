"""col2im as the book writes it (common/util.py): the way back of im2col. Each entry of col (N*out_h*out_w,
C*filter_h*filter_w) goes to the pixel im2col copied it from, and where windows overlap (stride smaller than the
filter) a pixel receives the sum of its entries: col2im adds, it does not assign. The image has input_shape,
the pad cut off again."""
import numpy as np

from backprop_grader.diagnose import expect_close

from .marks import check

WHAT = "col2im(col, input_shape, filter_h, filter_w, stride, pad)"


def _col(ref, seed, shape, fh, fw, stride, pad):
    """A col of the shape im2col gives for an image of shape, with entries of its own (not an image's copies)."""
    rows = ref.im2col(np.zeros(shape), fh, fw, stride, pad).shape
    return np.random.default_rng(seed).standard_normal(rows)


def _overwritten(shape, col, fh, fw, stride, pad):
    """What a col2im that assigns (img[...] = col[...]) instead of adding returns: the last window's entry wins."""
    N, C, H, W = shape
    out_h, out_w = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    windows = col.reshape(N, out_h, out_w, C, fh, fw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(fh):
        for x in range(fw):
            img[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride] = windows[:, :, y, x]
    return img[:, :, pad:H + pad, pad:W + pad]


def _compare(impl, ref, seed, shape, fh, fw, stride, pad):
    col = _col(ref, seed, shape, fh, fw, stride, pad)
    got = impl.col2im(col.copy(), shape, fh, fw, stride, pad)
    expected = ref.col2im(col, shape, fh, fw, stride, pad)
    inputs = {"col": col, "input_shape": shape, "filter_h": fh, "filter_w": fw, "stride": stride, "pad": pad}
    mistakes = [("hint_col2im_overwrites", _overwritten(shape, col, fh, fw, stride, pad))]
    if pad:
        padded = (shape[0], shape[1], shape[2] + 2 * pad, shape[3] + 2 * pad)
        mistakes.append(("hint_col2im_keeps_padding", ref.col2im(col, padded, fh, fw, stride, 0)))
    expect_close(got, expected, WHAT, inputs=inputs, mistakes=mistakes)


@check("col2im", points=5)
def test_windows_apart(impl, ref):
    """where windows do not overlap (stride = filter size), each pixel gets back the one entry im2col took from it."""
    _compare(impl, ref, 0, (2, 3, 4, 6), 2, 2, 2, 0)


@check("col2im", points=7)
def test_adds_where_windows_overlap(impl, ref):
    """at stride 1 a pixel lies in several windows, and its value is the sum of their entries for it."""
    _compare(impl, ref, 1, (2, 2, 5, 4), 3, 2, 1, 0)


@check("col2im", points=4)
def test_stride(impl, ref):
    """at stride 2 with 3x3 windows, every other row and column of pixels is shared by two windows."""
    _compare(impl, ref, 2, (2, 2, 7, 7), 3, 3, 2, 0)


@check("col2im", points=4)
def test_padding(impl, ref):
    """with pad 1 the entries that came from the border of zeros are dropped, and the image has input_shape."""
    _compare(impl, ref, 3, (2, 2, 5, 5), 3, 3, 1, 1)
    _compare(impl, ref, 4, (1, 2, 6, 5), 3, 2, 2, 1)
