"""My im2col takes every window at stride 1, then keeps the first out_h x out_w of them: right only at stride 1."""
LAYER = "im2col"
FILE = "chapter7/util.py"
HINTS = ["hint_im2col_ignores_stride"]
_im2col_right = im2col  # noqa: F821


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = _im2col_right(input_data, filter_h, filter_w, 1, pad)
    all_h, all_w = H + 2 * pad - filter_h + 1, W + 2 * pad - filter_w + 1
    return col.reshape(N, all_h, all_w, -1)[:, :out_h, :out_w].reshape(N * out_h * out_w, -1)
