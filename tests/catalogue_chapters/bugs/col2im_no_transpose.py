"""My col2im reshapes col straight to (N, C, filter_h, filter_w, out_h, out_w), without the transpose from the
(N, out_h, out_w, C, filter_h, filter_w) order im2col's rows and columns have: every entry lands on another pixel."""
LAYER = "col2im"
FILE = "chapter7/util.py"


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, C, filter_h, filter_w, out_h, out_w)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))  # noqa: F821
    for y in range(filter_h):
        for x in range(filter_w):
            img[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride] += col[:, :, y, x]
    return img[:, :, pad:H + pad, pad:W + pad]
