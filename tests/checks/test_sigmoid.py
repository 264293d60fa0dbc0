"""Sigmoid: out = 1 / (1 + exp(-x)) for any shape, finite for |x| up to 1000; dx = dout * out * (1 - out)."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader.diagnose import FLOOR, expect_close, expect_like, likely_mistake
from backprop_grader.feedback import after_calls, passed_to, show

from .at_scale import expect_elementwise_at_scale
from .gradcheck import ELEMENTWISE_FLOOR, numeric_grad, weighted
from .marks import check
from .strategies import seeds, shapes, uniform

# Integer inputs, such as a batch of raw pixels or labels: the sigmoid of an int array is still a float array.
INTEGER_INPUTS = [np.array([[0, 1], [-2, 3]]), np.array([5, -5, 0], dtype=np.int32), np.array(2)]

# Beyond |x| = 709.78, np.exp(|x|) overflows to inf: a formula that divides inf by inf gives nan there.
EXP_OVERFLOWS = 709.78


def _sample(seed, shape):
    """x over the range where the sigmoid bends and saturates, without overflow."""
    return uniform(seed, shape, low=-8.0, high=8.0)


def _forward_hint(out, x, expected):
    """(hint, hint_params) for a wrong Sigmoid.forward(x): where it is nan or inf, and which formula it matches."""
    if out is None:
        return None, {}
    try:
        values = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return None, {}
    if values.shape != x.shape:
        return None, {}
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        at = tuple(bad[0])
        key = "hint_sigmoid_overflow" if abs(x[at]) > EXP_OVERFLOWS else "hint_sigmoid_nan"
        return key, {"x": show(x[at]), "value": show(values[at])}
    with np.errstate(all="ignore"):
        mistakes = [("hint_sigmoid_minus_x", 1.0 - expected), ("hint_sigmoid_log", 1.0 / (1.0 + np.log(-x)))]
    return likely_mistake(values, mistakes), {}


def _expect_forward(out, expected, x):
    hint, hint_params = _forward_hint(out, x, expected)
    expect_close(out, expected, "Sigmoid.forward(x)", inputs={"x": x}, hint=hint, hint_params=hint_params)


def _expect_usable(out, expected, x):
    """forward's output as a float array, failing unless it has the right type and shape and is finite:
    what a check of backward against your own forward needs (its values are forward_values' job)."""
    expect_like(out, expected, "Sigmoid.forward(x)", inputs={"x": x})
    if not np.isfinite(np.asarray(out, dtype=np.float64)).all():
        _expect_forward(out, expected, x)
    return np.asarray(out, dtype=np.float64)


def _backward_hint(dx, x, out, dout, default=None):
    mistakes = [
        ("hint_sigmoid_missing_one_minus", dout * out),
        ("hint_sigmoid_from_x", dout * x * (1.0 - x)),
        ("hint_sigmoid_forgot_dout", out * (1.0 - out)),
    ]
    return likely_mistake(dx, mistakes, default)


def _expect_backward(dx, expected, x, out, dout, default_hint=None, floor=FLOOR):
    hint = _backward_hint(dx, x, out, dout, default_hint)
    expect_close(dx, expected, "Sigmoid.backward(dout)", inputs={"x": x, "dout": dout}, hint=hint, floor=floor)


@check("Sigmoid", points=2)
@given(shape=shapes(min_dims=0), seed=seeds)
@settings(max_examples=15)
def test_forward_values(impl, ref, shape, seed):
    """forward returns 1 / (1 + exp(-x)) element by element, shaped like x."""
    x = _sample(seed, shape)
    _expect_forward(impl.Sigmoid().forward(x.copy()), ref.Sigmoid().forward(x), x)


@check("Sigmoid", points=1)
def test_mnist_batch(impl, ref):
    """the hidden layer of a batch as chapter 5 trains on MNIST, x and dout (100, 50): out and dx are right at that size too."""
    expect_elementwise_at_scale(impl.Sigmoid(), ref.Sigmoid(), "Sigmoid")


@check("Sigmoid", points=2)
@given(shape=shapes(min_dims=0), seed=seeds)
@settings(max_examples=15)
def test_backward_values(impl, ref, shape, seed):
    """backward returns dout * out * (1 - out), with out the sigmoid of forward's x."""
    x, dout = _sample(seed, shape), uniform(seed + 1, shape)
    layer, expected = impl.Sigmoid(), ref.Sigmoid()
    out = expected.forward(x)
    _expect_usable(layer.forward(x.copy()), out, x)
    _expect_backward(layer.backward(dout.copy()), expected.backward(dout), x, out, dout)


@check("Sigmoid", points=1)
def test_integer_input(impl, ref):
    """forward of an integer array, such as np.array([[0, 1], [-2, 3]]), returns the float sigmoid, not values cut to integers."""
    for x in INTEGER_INPUTS:
        out = impl.Sigmoid().forward(x.copy())
        expect_close(out, ref.Sigmoid().forward(x), "Sigmoid.forward(x)", inputs={"x": x}, hint="hint_sigmoid_integer_input")


@check("Sigmoid", points=2)
@given(x=st.floats(min_value=-1000.0, max_value=1000.0))
@settings(max_examples=5)
@example(x=0.0)
@example(x=40.0)
@example(x=-40.0)
@example(x=709.0)
@example(x=-709.0)
@example(x=710.0)
@example(x=-710.0)
@example(x=1000.0)
@example(x=-1000.0)
def test_large_inputs(impl, ref, x):
    """forward and backward stay finite and right for |x| up to 1000, where np.exp overflows
    (1 / (1 + np.exp(-x)) warns there but is right)."""
    xs, dout = np.array([x, -x]), np.array([0.7, -1.3])
    layer, expected = impl.Sigmoid(), ref.Sigmoid()
    out = expected.forward(xs)
    _expect_forward(layer.forward(xs.copy()), out, xs)
    _expect_backward(layer.backward(dout.copy()), expected.backward(dout), xs, out, dout)


@check("Sigmoid", points=2)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_backward_uses_stored_output(impl, ref, shape, seed):
    """backward returns dout * out * (1 - out) for the very out your forward returned: it keeps the output, not x."""
    x, dout = _sample(seed, shape), uniform(seed + 1, shape)
    layer = impl.Sigmoid()
    out = _expect_usable(layer.forward(x.copy()), ref.Sigmoid().forward(x), x)
    _expect_backward(layer.backward(dout.copy()), dout * out * (1.0 - out), x, out, dout)


@check("Sigmoid", points=2)
@given(shape=shapes(max_dims=2, max_side=4), seed=seeds)
@settings(max_examples=8)
def test_numerical_gradient(impl, ref, shape, seed):
    """backward agrees with central differences of your own forward."""
    x, dout = _sample(seed, shape), uniform(seed + 1, shape)
    layer = impl.Sigmoid()
    out = _expect_usable(layer.forward(x.copy()), ref.Sigmoid().forward(x), x)
    analytic = layer.backward(dout.copy())
    numeric = numeric_grad(weighted(lambda v: impl.Sigmoid().forward(v), dout), x)
    _expect_backward(analytic, numeric, x, out, dout, "hint_grad_vs_numeric", ELEMENTWISE_FLOOR)


@check("Sigmoid", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_state_latest_forward(impl, ref, shape, seed):
    """backward uses the output of the latest forward of its own layer, not an earlier one or another layer's."""
    x0, x, dout = _sample(seed, shape), _sample(seed + 1, shape), uniform(seed + 2, shape)
    layer, other, fresh = impl.Sigmoid(), impl.Sigmoid(), impl.Sigmoid()
    layer.forward(x0.copy())
    layer.forward(x.copy())
    other.forward(-x)
    dx = layer.backward(dout.copy())
    # Compared with your own layer used once, so that only state is judged here: values are other checks' job
    # (but a forward that returns nan leaves nothing to compare).
    _expect_usable(fresh.forward(x.copy()), ref.Sigmoid().forward(x), x)
    expect_close(
        dx,
        fresh.backward(dout.copy()),
        after_calls("Sigmoid.backward(dout)", "forward(x0)", "forward(x)", "Sigmoid", "forward(-x)"),
        inputs={"x0": x0, "x": x, "dout": dout},
        hint="hint_latest_forward",
    )


@check("Sigmoid", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_leaves_inputs_unchanged(impl, shape, seed):
    """forward does not write into x, and backward does not write into dout."""
    x, dout = _sample(seed, shape), uniform(seed + 1, shape)
    given_x, given_dout = x.copy(), dout.copy()
    layer = impl.Sigmoid()
    layer.forward(given_x)
    expect_close(given_x, x, passed_to("x", "forward"), inputs={"x": x}, hint="hint_sigmoid_forward_in_place")
    layer.backward(given_dout)
    expect_close(given_dout, dout, passed_to("dout", "backward"), inputs={"x": x}, hint="hint_sigmoid_backward_in_place")
