"""Pooling as the book writes it (common/layers.py): max pooling, each output the largest input of its
pool_h x pool_w window, channel by channel, the windows every stride pixels (the book's default stride is 2; its
code pads nothing, and pad 0 is all that is graded). backward routes each dout to the one input that was its
window's maximum and adds where windows overlap. Graded on the reference's im2col and col2im (the `on_ref`
fixture); a Pooling that reshapes x into blocks where the stride equals the window is as right."""
import numpy as np

from backprop_grader.diagnose import expect_close

from .marks import check

FORWARD, BACKWARD = "Pooling.forward(x)", "Pooling.backward(dout)"


def _case(seed, x_shape, pool, stride):
    """x with no two equal entries (one maximum per window) and a dout of forward's output shape."""
    rng = np.random.default_rng(seed)
    x = rng.permutation(np.prod(x_shape)).reshape(x_shape) / 10.0 - 3.0
    out = ((x_shape[2] - pool) // stride + 1, (x_shape[3] - pool) // stride + 1)
    return x, rng.standard_normal((x_shape[0], x_shape[1], *out))


# The book's pool: 2x2 at its default stride 2, on several channels; and 3x3 windows at stride 2, which overlap.
BOOKS = dict(x_shape=(2, 3, 4, 6), pool=2, stride=None)
OVERLAPPING = dict(x_shape=(2, 2, 7, 7), pool=3, stride=2)


def _layers(on_ref, ref, pool, stride):
    """The layer under test and the reference's, made as Pooling(pool, pool) at the default stride where stride is None."""
    args = (pool, pool) if stride is None else (pool, pool, stride)
    return on_ref.Pooling(*args), ref.Pooling(*args)


def _forward(on_ref, ref, seed, case):
    stride = case["stride"] or 2
    x, dout = _case(seed, case["x_shape"], case["pool"], stride)
    layer, expected = _layers(on_ref, ref, case["pool"], case["stride"])
    out = layer.forward(x.copy())
    inputs = {"x": x, "pool_h": case["pool"], "pool_w": case["pool"], "stride": stride}
    expect_close(out, expected.forward(x), FORWARD, inputs=inputs)
    return layer, expected, x, dout, inputs


def _spread(ref, x, dout, pool, stride):
    """What a backward that gives each dout to every input of its window returns."""
    N, C = x.shape[:2]
    spread = np.repeat(dout.transpose(0, 2, 3, 1).reshape(-1, 1), pool * pool, axis=1)
    return ref.col2im(spread.reshape(-1, C * pool * pool), x.shape, pool, pool, stride, 0)


def _backward(on_ref, ref, seed, case):
    layer, expected, x, dout, inputs = _forward(on_ref, ref, seed, case)
    dx = layer.backward(dout.copy())
    stride = case["stride"] or 2
    mistakes = [("hint_pooling_gradient_everywhere", _spread(ref, x, dout, case["pool"], stride))]
    expect_close(dx, expected.backward(dout), BACKWARD, inputs={**inputs, "dout": dout}, mistakes=mistakes)


@check("Pooling", points=5)
def test_forward_max(on_ref, ref):
    """Pooling(2, 2) takes the largest of each 2x2 window at the default stride 2, channel by channel: (N, C, H/2, W/2)."""
    _forward(on_ref, ref, 0, BOOKS)


@check("Pooling", points=3)
def test_forward_overlapping(on_ref, ref):
    """with 3x3 windows at stride 2, neighbouring windows share a row or column and each still gives its own maximum."""
    _forward(on_ref, ref, 1, OVERLAPPING)


@check("Pooling", points=5)
def test_backward_to_the_maximum(on_ref, ref):
    """backward gives each dout to the one input that was its window's maximum, and 0 to the others."""
    _backward(on_ref, ref, 2, BOOKS)


@check("Pooling", points=2)
def test_backward_overlapping(on_ref, ref):
    """where 3x3 windows at stride 2 overlap, an input that is the maximum of two windows receives the sum of their douts."""
    _backward(on_ref, ref, 3, OVERLAPPING)
