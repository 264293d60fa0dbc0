"""My im2col computes out_h and out_w with the pad but never pads the image (I left out the np.pad line), so the
windows at the border are missing or shifted."""
LAYER = "im2col"
FILE = "chapter7/util.py"


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))  # noqa: F821
    for y in range(filter_h):
        for x in range(filter_w):
            got = input_data[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride]
            col[:, :, y, x, :got.shape[2], :got.shape[3]] = got
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)
