"""My col2im returns the padded image: I forgot to cut the pad rows and columns off at the end."""
LAYER = "col2im"
FILE = "chapter7/util.py"
HINTS = ["hint_col2im_keeps_padding"]
_col2im_right = col2im  # noqa: F821


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    padded = (N, C, H + 2 * pad, W + 2 * pad)
    return _col2im_right(col, padded, filter_h, filter_w, stride, 0) if pad else _col2im_right(
        col, input_shape, filter_h, filter_w, stride, 0)
