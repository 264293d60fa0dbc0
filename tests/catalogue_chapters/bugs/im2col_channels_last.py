"""My im2col orders each row's columns as (filter row, filter column, channel) instead of (channel, row, column),
so W.reshape(FN, -1) no longer lines up with it when there are several channels."""
LAYER = "im2col"
FILE = "chapter7/util.py"
HINTS = ["hint_im2col_channels_last"]
_im2col_right = im2col  # noqa: F821


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    col = _im2col_right(input_data, filter_h, filter_w, stride, pad)
    C = input_data.shape[1]
    return col.reshape(-1, C, filter_h, filter_w).transpose(0, 2, 3, 1).reshape(col.shape)
