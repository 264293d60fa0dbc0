"""My im2col fills a (N, C, filter_h, filter_w, out_h, out_w) array with one strided slice per filter position,
then transposes it into rows, the way the book builds it. Right."""
LAYER = "im2col"
FILE = "chapter7/util.py"


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])  # noqa: F821
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))  # noqa: F821
    for y in range(filter_h):
        for x in range(filter_w):
            col[:, :, y, x] = img[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)
