"""Sigmoid: out = 1 / (1 + exp(-x)) for any shape, finite for |x| up to 1000; dx = dout * out * (1 - out)."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader.diagnose import FLOOR, answer_of, expect_close, expect_like, is_close
from backprop_grader.feedback import after_calls, passed_to, show

from .at_scale import expect_elementwise_at_scale
from .gradcheck import ELEMENTWISE_FLOOR, Weighted, numeric_grad
from .marks import check
from .strategies import seeds, shapes, uniform

# Integer inputs, such as a batch of raw pixels or labels: the sigmoid of an int array is still a float array.
INTEGER_INPUTS = [np.array([[0, 1], [-2, 3]]), np.array([5, -5, 0], dtype=np.int32), np.array(2)]

# Beyond |x| = 709.78, np.exp(|x|) overflows to inf: a formula that divides inf by inf gives nan there.
EXP_OVERFLOWS = 709.78


def _sample(seed, shape):
    """x over the range where the sigmoid bends and saturates, without overflow."""
    return uniform(seed, shape, low=-8.0, high=8.0)


def _forward_mistakes(x, expected):
    """The sigmoid of -x, and np.log where the formula has np.exp (nan for every x > 0)."""
    with np.errstate(all="ignore"):
        return [("hint_sigmoid_minus_x", 1.0 - expected), ("hint_sigmoid_log", 1.0 / (1.0 + np.log(-x)))]


def _overflow_hint(out, x, expected):
    """(hint, hint_params): the overflow hint, where forward is right except for an inf or nan where np.exp
    overflows (|x| > 709.78), else no hint."""
    if out is None:
        return None, {}
    try:
        values = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        return None, {}
    bad = ~np.isfinite(values) if values.shape == x.shape else None
    if bad is None or not bad.any() or np.any(np.abs(x[bad]) <= EXP_OVERFLOWS) or not is_close(values[~bad], expected[~bad]):
        return None, {}
    at = tuple(np.argwhere(bad)[0])
    return "hint_sigmoid_overflow", {"x": show(x[at]), "value": show(values[at])}


def _expect_forward(out, expected, x):
    hint, hint_params = _overflow_hint(out, x, expected)
    expect_close(out, expected, "Sigmoid.forward(x)", inputs={"x": x}, hint=hint, hint_params=hint_params,
                 mistakes=lambda: _forward_mistakes(x, expected))


def _expect_usable(out, expected, x):
    """forward's output as a float array, failing unless it has the right type and shape and is finite:
    what a check of backward against your own forward needs (its values are forward_values' job)."""
    expect_like(out, expected, "Sigmoid.forward(x)", inputs={"x": x})
    if not np.isfinite(np.asarray(out, dtype=np.float64)).all():
        _expect_forward(out, expected, x)
    return np.asarray(out, dtype=np.float64)


def _backward_mistakes(x, out, dout):
    return [
        ("hint_sigmoid_missing_one_minus", dout * out),
        ("hint_sigmoid_missing_out", dout * (1.0 - out)),
        ("hint_sigmoid_from_x", dout * x * (1.0 - x)),
        ("hint_sigmoid_forgot_dout", out * (1.0 - out)),
    ]


def _expect_backward(dx, expected, x, out, dout, floor=FLOOR):
    inputs = {"x": x, "dout": dout}
    expect_close(dx, expected, "Sigmoid.backward(dout)", inputs=inputs, floor=floor, mistakes=lambda: _backward_mistakes(x, out, dout))


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
    expect_elementwise_at_scale(impl.Sigmoid(), ref.Sigmoid(), "Sigmoid", _forward_mistakes, _backward_mistakes)


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
        out, expected = impl.Sigmoid().forward(x.copy()), ref.Sigmoid().forward(x)
        cut = [("hint_sigmoid_integer_input", expected.astype(x.dtype))]  # written into an integer array
        expect_close(out, expected, "Sigmoid.forward(x)", inputs={"x": x}, mistakes=cut + _forward_mistakes(x, expected))


@check("Sigmoid", points=2)
@given(x=st.floats(min_value=-1000.0, max_value=1000.0))
@settings(max_examples=5)
@example(x=40.0)
@example(x=-40.0)
@example(x=709.0)
@example(x=-709.0)
@example(x=710.0)
@example(x=-710.0)
@example(x=1000.0)
@example(x=-1000.0)
@example(x=0.0)  # last: a failure is told on the first example that fails, and at x = 0 (out = 0.5) backward's two mistakes give the same dx
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
    numeric = numeric_grad(Weighted(lambda v: impl.Sigmoid().forward(v), dout), x)
    _expect_backward(analytic, numeric, x, out, dout, ELEMENTWISE_FLOOR)


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

    def after_one(forward_x):
        """What your own layer's backward gives after the one forward(forward_x): what a stale state gives."""
        layer = impl.Sigmoid()
        layer.forward(forward_x.copy())
        return layer.backward(dout.copy())

    expect_close(
        dx,
        fresh.backward(dout.copy()),
        after_calls("Sigmoid.backward(dout)", "forward(x0)", "forward(x)", "Sigmoid", "forward(-x)"),
        inputs={"x0": x0, "x": x, "dout": dout},
        mistakes=lambda: [("hint_latest_forward", answer_of(after_one, earlier)) for earlier in (x0, -x)],
    )


@check("Sigmoid", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_leaves_inputs_unchanged(impl, ref, shape, seed):
    """forward does not write into x, and backward does not write into dout."""
    x, dout = _sample(seed, shape), uniform(seed + 1, shape)
    given_x, given_dout = x.copy(), dout.copy()
    layer = impl.Sigmoid()
    layer.forward(given_x)
    # x *= -1, np.exp(x, out=x) or np.exp(-x, out=x) on the way to the sigmoid
    in_place = [("hint_sigmoid_forward_in_place", value) for value in (-x, np.exp(x), np.exp(-x))]
    expect_close(given_x, x, passed_to("x", "forward"), inputs={"x": x}, mistakes=in_place)
    layer.backward(given_dout)
    out = ref.Sigmoid().forward(x)
    in_place = [("hint_sigmoid_backward_in_place", value) for value in (dout * out * (1.0 - out), dout * out, dout * (1.0 - out))]
    expect_close(given_dout, dout, passed_to("dout", "backward"), inputs={"x": x}, mistakes=in_place)
