"""Chapter 7's layers with the book's API (common/layers.py): Convolution and Pooling on (N, C, H, W) batches.

Both unroll their input with im2col, so a convolution is one matrix product and max pooling one argmax per row,
and carry gradients back with col2im, which adds where windows overlap. Outputs are (N, channels, out_h, out_w)
views of the product, as in the book; gradients have the shape of what they are the gradient of.
"""
import numpy as np

from .util import col2im, conv_output_size, im2col


class Convolution:
    """out[n, f] = sum over c of x[n, c] cross-correlated with W[f, c], plus b[f]. W: (FN, C, FH, FW), b: (FN,).

    W and b are kept by reference, not copied, so that a network's params and the layer share them.
    """

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x = None
        self.col = None
        self.dW = None
        self.db = None

    def forward(self, x):
        x = np.asarray(x)
        FN, C, FH, FW = self.W.shape
        N, _, H, W = x.shape
        out_h = conv_output_size(H, FH, self.stride, self.pad)
        out_w = conv_output_size(W, FW, self.stride, self.pad)
        self.x = x
        self.col = im2col(x, FH, FW, self.stride, self.pad)
        out = self.col @ self.W.reshape(FN, -1).T
        out += self.b  # in place: a second output-sized array costs more than the product itself
        return out.reshape(N, out_h, out_w, FN).transpose(0, 3, 1, 2)

    def backward(self, dout):
        FN = self.W.shape[0]
        N = self.x.shape[0]
        W2 = self.W.reshape(FN, -1)
        # Per sample, dout[n] is (FN, out_h*out_w) as it comes, with no transpose; col[n] is (out_h*out_w, C*FH*FW).
        # A batch of small products is much faster than the one product over N*out_h*out_w rows, which BLAS
        # handles poorly for so long and thin a shape.
        d3 = np.asarray(dout).reshape(N, FN, -1)
        col3 = self.col.reshape(N, d3.shape[2], -1)
        self.db = d3.sum(axis=(0, 2))
        self.dW = np.matmul(d3, col3).sum(axis=0).reshape(self.W.shape)
        dcol = np.matmul(W2.T, d3)  # (N, C*FH*FW, out_h*out_w); col2im takes its transpose as a view
        return col2im(dcol.transpose(0, 2, 1), self.x.shape, *self.W.shape[2:], self.stride, self.pad)


class Pooling:
    """Max pooling: each output is the largest input of its pool_h x pool_w window, per channel.

    Backward routes each output's gradient to the one input that was the maximum (the first, on a tie), and
    adds where windows overlap. Padding, as in the book, pads with zeros; the book's networks never pad a pool.
    """

    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self.arg_max = None

    def forward(self, x):
        x = np.asarray(x)
        N, C, H, W = x.shape
        out_h = conv_output_size(H, self.pool_h, self.stride, self.pad)
        out_w = conv_output_size(W, self.pool_w, self.stride, self.pad)
        # im2col's columns are (channel, y, x), so after this reshape a row is one channel's window, (n, i, j, c),
        # and a column one position in it.
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self.x = x
        self.arg_max = col.argmax(axis=1)
        out = np.take_along_axis(col, self.arg_max[:, None], axis=1)
        return out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = np.asarray(dout)
        dmax = np.zeros((self.arg_max.size, self.pool_h * self.pool_w), dtype=np.result_type(dout, 0.0))
        dmax[np.arange(self.arg_max.size), self.arg_max] = dout.transpose(0, 2, 3, 1).reshape(-1)
        return col2im(dmax.reshape(-1, self.x.shape[1] * self.pool_h * self.pool_w), self.x.shape,
                      self.pool_h, self.pool_w, self.stride, self.pad)
