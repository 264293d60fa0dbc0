"""im2col as the book writes it (common/util.py): input_data (N, C, H, W) unrolled into col of shape
(N*out_h*out_w, C*filter_h*filter_w), row (n, i, j) the window at output position (i, j) of sample n, its columns
channel by channel, then row by row within the filter: the order in which W.reshape(FN, -1) lists a filter's
weights. stride moves the window; pad surrounds the image with zeros first."""
import numpy as np

from backprop_grader.diagnose import expect_close, expect_like

from .marks import check

WHAT = "im2col(input_data, filter_h, filter_w, stride, pad)"


def _image(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape)


def _inputs(x, fh, fw, stride, pad):
    return {"input_data": x, "filter_h": fh, "filter_w": fw, "stride": stride, "pad": pad}


def _channels_last(ref, x, fh, fw, stride, pad):
    """What an im2col whose columns go (filter row, filter column, channel) returns."""
    col = ref.im2col(x, fh, fw, stride, pad)
    return col.reshape(-1, x.shape[1], fh, fw).transpose(0, 2, 3, 1).reshape(col.shape)


def _at_stride_1(ref, x, fh, fw, stride, pad):
    """What an im2col that takes every window at stride 1 and keeps the first out_h x out_w of them returns."""
    N, _, H, W = x.shape
    out_h, out_w = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    all_h, all_w = H + 2 * pad - fh + 1, W + 2 * pad - fw + 1
    col = ref.im2col(x, fh, fw, 1, pad).reshape(N, all_h, all_w, -1)
    return col[:, :out_h, :out_w].reshape(N * out_h * out_w, -1)


def _compare(impl, ref, x, fh, fw, stride, pad):
    got = impl.im2col(x.copy(), fh, fw, stride, pad)
    mistakes = [("hint_im2col_channels_last", _channels_last(ref, x, fh, fw, stride, pad))]
    if stride > 1:
        mistakes.append(("hint_im2col_ignores_stride", _at_stride_1(ref, x, fh, fw, stride, pad)))
    expect_close(got, ref.im2col(x, fh, fw, stride, pad), WHAT, inputs=_inputs(x, fh, fw, stride, pad),
                 mistakes=mistakes)


@check("im2col", points=4)
def test_shapes_the_book_prints(impl):
    """the book's shapes (section 7.4.3): 1x3x7x7 with 5x5 filters unrolls to (9, 75), 10x3x7x7 to (90, 75)."""
    for n, expected in ((1, (9, 75)), (10, (90, 75))):
        x = _image(n, (n, 3, 7, 7))
        got = impl.im2col(x.copy(), 5, 5, stride=1, pad=0)
        expect_like(got, np.zeros(expected), WHAT, inputs=_inputs(x, 5, 5, 1, 0))


@check("im2col", points=6)
def test_rows_are_windows(impl, ref):
    """each row is one window of one sample, its columns channel by channel, each channel's filter_h x filter_w in reading order."""
    _compare(impl, ref, _image(2, (2, 3, 5, 4)), 3, 2, 1, 0)


@check("im2col", points=5)
def test_stride(impl, ref):
    """with stride 2, the windows start every 2 pixels: out_h = (H + 2*pad - filter_h) // stride + 1 rows of them."""
    _compare(impl, ref, _image(3, (2, 2, 7, 8)), 3, 3, 2, 0)


@check("im2col", points=5)
def test_padding(impl, ref):
    """with pad 1, the image is surrounded by a border of zeros before the windows are taken."""
    _compare(impl, ref, _image(4, (2, 2, 5, 5)), 3, 3, 1, 1)
    _compare(impl, ref, _image(5, (1, 2, 6, 5)), 3, 2, 2, 1)
