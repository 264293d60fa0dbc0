"""Convolution as the book writes it (common/layers.py): out[n, f] = sum over c of x[n, c] cross-correlated with
W[f, c], plus b[f], of shape (N, FN, out_h, out_w); backward gives dx in x's shape and keeps dW (W's shape) and db
(FN,). Graded on the reference's im2col and col2im (the `on_ref` fixture), so that a mistake there costs im2col or
col2im alone; a Convolution by einsum or as_strided, with no im2col at all, is as right."""
import numpy as np

from backprop_grader.diagnose import expect_close

from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, Weighted, numeric_grad
from .marks import check

FORWARD, BACKWARD = "Convolution.forward(x)", "Convolution.backward(dout)"


def _case(seed, x_shape, w_shape, stride, pad):
    """x, W, b and a dout of forward's output shape."""
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    out_h = (x_shape[2] + 2 * pad - w_shape[2]) // stride + 1
    out_w = (x_shape[3] + 2 * pad - w_shape[3]) // stride + 1
    return x, W, b, rng.standard_normal((x_shape[0], w_shape[0], out_h, out_w))


# Several channels and filters, a filter that is not square and an image that is not either: a mistake of order
# (channels, rows, transposes) shows.
PLAIN = dict(x_shape=(2, 3, 5, 6), w_shape=(4, 3, 3, 2), stride=1, pad=0)
STRIDED = dict(x_shape=(2, 2, 7, 6), w_shape=(3, 2, 3, 3), stride=2, pad=1)


def _pair(on_ref, ref, W, b, stride, pad):
    return on_ref.Convolution(W.copy(), b.copy(), stride, pad), ref.Convolution(W.copy(), b.copy(), stride, pad)


def _forward(on_ref, ref, seed, case):
    x, W, b, dout = _case(seed, **case)
    layer, expected = _pair(on_ref, ref, W, b, case["stride"], case["pad"])
    out = layer.forward(x.copy())
    right = expected.forward(x)
    inputs = {"x": x, "W": W, "b": b, "stride": case["stride"], "pad": case["pad"]}
    # The product (N*out_h*out_w, FN) reshaped straight to (N, FN, out_h, out_w), without the transpose.
    flat = np.ascontiguousarray(right.transpose(0, 2, 3, 1)).reshape(right.shape)
    expect_close(out, right, FORWARD, inputs=inputs, mistakes=[("hint_conv_output_not_transposed", flat)])
    return layer, expected, x, dout, inputs


@check("Convolution", points=6)
def test_forward_values(on_ref, ref):
    """forward gives each filter's sum over channels of its cross-correlation with x, plus its bias, as (N, FN, out_h, out_w)."""
    _forward(on_ref, ref, 0, PLAIN)


@check("Convolution", points=4)
def test_forward_stride_and_pad(on_ref, ref):
    """with stride 2 and pad 1, out_h = (H + 2*pad - FH) // stride + 1, the windows taken on x surrounded by zeros."""
    _forward(on_ref, ref, 1, STRIDED)


def _backward(on_ref, ref, seed, case):
    layer, expected, x, dout, inputs = _forward(on_ref, ref, seed, case)
    dx = layer.backward(dout.copy())
    return layer, expected, dx, expected.backward(dout), {**inputs, "dout": dout}


@check("Convolution", points=5)
def test_backward_dx(on_ref, ref):
    """backward's dx has x's shape and sums, for each pixel, W times dout over every window that covers it (stride and pad included)."""
    for seed, case in ((2, PLAIN), (3, STRIDED)):
        _, _, dx, right, inputs = _backward(on_ref, ref, seed, case)
        expect_close(dx, right, BACKWARD, inputs=inputs)


@check("Convolution", points=4)
def test_dW(on_ref, ref):
    """after backward, dW has W's shape (FN, C, FH, FW): each filter's weight times the inputs it met, summed over the batch and positions."""
    for seed, case in ((4, PLAIN), (5, STRIDED)):
        layer, expected, _, _, inputs = _backward(on_ref, ref, seed, case)
        right = expected.dW
        # (C*FH*FW, FN) reshaped straight to W's shape, without the transpose back to (FN, C*FH*FW).
        unordered = right.reshape(right.shape[0], -1).T.reshape(right.shape)
        expect_close(layer.dW, right, "Convolution.dW", inputs=inputs,
                     mistakes=[("hint_conv_dW_wrong_order", unordered)])


@check("Convolution", points=3)
def test_db(on_ref, ref):
    """after backward, db has one entry per filter: dout summed over the batch and every output position."""
    layer, expected, _, _, inputs = _backward(on_ref, ref, 6, PLAIN)
    expect_close(layer.db, expected.db, "Convolution.db", inputs=inputs,
                 mistakes=[("hint_conv_db_not_summed", inputs["dout"].sum(axis=0))])


@check("Convolution", points=3)
def test_numerical_gradient(on_ref):
    """backward's dx agrees with central differences of your own forward."""
    x, W, b, dout = _case(7, (1, 2, 4, 4), (2, 2, 3, 3), 1, 1)
    layer = on_ref.Convolution(W.copy(), b.copy(), 1, 1)
    layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    probe = on_ref.Convolution(W.copy(), b.copy(), 1, 1)
    numeric = numeric_grad(Weighted(probe.forward, dout), x)
    expect_close(dx, numeric, BACKWARD, inputs={"x": x, "dout": dout}, rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR)
