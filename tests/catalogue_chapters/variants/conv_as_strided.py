"""My Convolution takes the windows with np.lib.stride_tricks.as_strided (strides times stride) and contracts
them with tensordot; backward contracts dout with the same windows for dW, and for dx convolves dout, dilated by
the stride and padded, with the filters turned by 180 degrees. Right."""
LAYER = "Convolution"
FILE = "chapter7/layers.py"
from numpy.lib.stride_tricks import as_strided  # noqa: E402


def _windows(a, fh, fw, s):
    N, C, H, W = a.shape
    oh, ow = (H - fh) // s + 1, (W - fw) // s + 1
    sn, sc, sh, sw = a.strides
    return as_strided(a, (N, C, oh, ow, fh, fw), (sn, sc, sh * s, sw * s, sh, sw), writeable=False)


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.dW = self.db = None

    def forward(self, x):
        p = self.pad
        self.x_shape = x.shape
        self.xp = np.ascontiguousarray(np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)]))  # noqa: F821
        win = _windows(self.xp, *self.W.shape[2:], self.stride)
        out = np.tensordot(win, self.W, axes=([1, 4, 5], [1, 2, 3]))  # (N, oh, ow, FN)
        return (out + self.b).transpose(0, 3, 1, 2)

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        s, p = self.stride, self.pad
        N, _, oh, ow = dout.shape
        self.db = dout.sum(axis=(0, 2, 3))
        self.dW = np.tensordot(dout, _windows(self.xp, FH, FW, s), axes=([0, 2, 3], [0, 2, 3]))  # noqa: F821
        # dout dilated by the stride, padded by the filter's size less one: dx of the padded input is its
        # correlation with the flipped filters.
        Hp, Wp = self.xp.shape[2:]
        full = np.zeros((N, FN, Hp + FH - 1, Wp + FW - 1))  # noqa: F821
        full[:, :, FH - 1:FH - 1 + s * oh:s, FW - 1:FW - 1 + s * ow:s] = dout
        win = _windows(np.ascontiguousarray(full), FH, FW, 1)[:, :, :Hp, :Wp]  # noqa: F821
        dxp = np.tensordot(win, self.W[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3])).transpose(0, 3, 1, 2)
        return dxp[:, :, p:p + self.x_shape[2], p:p + self.x_shape[3]]
