"""Relu: out = max(x, 0) for any shape; dx = dout where x > 0, else 0 (including x exactly 0.0 and -0.0)."""
import numpy as np
from hypothesis import example, given, settings

from backprop_grader.diagnose import answer_of, expect_close, expect_like
from backprop_grader.feedback import after_calls, passed_to, where_true

from .at_scale import expect_elementwise_at_scale
from .gradcheck import ELEMENTWISE_FLOOR, Weighted, numeric_grad
from .marks import check
from .strategies import away_from_zero, seeds, shapes, uniform


def _forward_mistakes(x):
    """np.max(x, 0) for np.maximum(x, 0) (the maximum along axis 0, one axis short), or the mask inverted."""
    return [("hint_relu_np_max", np.max(x, axis=0) if x.ndim else None), ("hint_relu_mask_inverted", np.minimum(x, 0))]


def _backward_mistakes(x, dout):
    return [
        ("hint_relu_no_mask", dout),
        ("hint_relu_forgot_dout", (x > 0).astype(float)),
        ("hint_relu_times_output", dout * np.maximum(x, 0)),
        ("hint_relu_mask_inverted", np.where(x > 0, 0.0, dout)),
        ("hint_relu_zero", np.where(x < 0, 0.0, dout)),
    ]


@check("Relu", points=2)
@given(shape=shapes(min_dims=0), seed=seeds)
@settings(max_examples=15)
def test_forward_values(impl, ref, shape, seed):
    """forward returns x where x > 0 and 0 elsewhere, shaped like x."""
    x = uniform(seed, shape)
    out = impl.Relu().forward(x.copy())
    expect_close(out, ref.Relu().forward(x), "Relu.forward(x)", inputs={"x": x}, mistakes=lambda: _forward_mistakes(x))


@check("Relu", points=1)
def test_mnist_batch(impl, ref):
    """the hidden layer of a batch as chapter 5 trains on MNIST, x and dout (100, 50): out and dx are right at that size too."""
    expect_elementwise_at_scale(impl.Relu(), ref.Relu(), "Relu", lambda x, out: _forward_mistakes(x),
                                lambda x, out, dout: _backward_mistakes(x, dout))


@check("Relu", points=3)
@given(shape=shapes(min_dims=0), seed=seeds)
@settings(max_examples=15)
def test_backward_values(impl, ref, shape, seed):
    """backward passes dout through where x > 0 and blocks it elsewhere."""
    x, dout = uniform(seed, shape), uniform(seed + 1, shape)
    layer, expected = impl.Relu(), ref.Relu()
    layer.forward(x.copy())
    expected.forward(x)
    dx = layer.backward(dout.copy())
    inputs = {"x": x, "dout": dout}
    expect_close(dx, expected.backward(dout), "Relu.backward(dout)", inputs=inputs, mistakes=lambda: _backward_mistakes(x, dout))


@check("Relu", points=2)
def test_zero_is_blocked(impl):
    """x exactly 0.0 or -0.0 gives out 0 and gradient 0: the mask is x <= 0, not x < 0."""
    x = np.array([[-0.0, 0.0, 1.5], [0.0, -2.0, -0.0]])
    dout = np.array([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]])
    layer = impl.Relu()
    out = layer.forward(x.copy())
    expect_close(out, np.array([[0.0, 0.0, 1.5], [0.0, 0.0, 0.0]]), "Relu.forward(x)", inputs={"x": x}, mistakes=_forward_mistakes(x))
    dx = layer.backward(dout.copy())
    expected = np.array([[0.0, 0.0, 7.0], [0.0, 0.0, 0.0]])
    expect_close(dx, expected, "Relu.backward(dout)", inputs={"x": x, "dout": dout}, mistakes=_backward_mistakes(x, dout))


@check("Relu", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_gradient_passes_unchanged(impl, shape, seed):
    """where x > 0, backward returns dout itself: not scaled, not replaced by 1."""
    x, dout = np.abs(away_from_zero(seed, shape)), uniform(seed + 1, shape)
    layer = impl.Relu()
    layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    what = where_true("Relu.backward(dout)", "x > 0")
    expect_close(dx, dout, what, inputs={"x": x, "dout": dout}, mistakes=lambda: _backward_mistakes(x, dout))


@check("Relu", points=2)
@given(shape=shapes(max_dims=3, max_side=4), seed=seeds)
@settings(max_examples=10)
def test_numerical_gradient(impl, ref, shape, seed):
    """backward agrees with central differences of your own forward (x kept away from the kink at 0)."""
    x, dout = away_from_zero(seed, shape), uniform(seed + 1, shape)
    inputs = {"x": x, "dout": dout}
    layer = impl.Relu()
    expect_like(layer.forward(x.copy()), ref.Relu().forward(x), "Relu.forward(x)", inputs)
    analytic = layer.backward(dout.copy())
    numeric = numeric_grad(Weighted(lambda v: impl.Relu().forward(v), dout), x)
    expect_close(analytic, numeric, "Relu.backward(dout)", inputs=inputs, floor=ELEMENTWISE_FLOOR,
                 mistakes=lambda: _backward_mistakes(x, dout))


@check("Relu", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_forward_leaves_x_unchanged(impl, shape, seed):
    """forward builds a new array instead of zeroing the negative entries of the x it was given."""
    x = uniform(seed, shape)
    given_x = x.copy()
    impl.Relu().forward(given_x)
    in_place = [("hint_relu_forward_in_place", np.maximum(x, 0))]  # x[self.mask] = 0 zeroes x's own negatives
    expect_close(given_x, x, passed_to("x", "forward"), inputs={"x": x}, mistakes=in_place)


@check("Relu", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_state_latest_forward(impl, shape, seed):
    """backward uses the mask of the latest forward of its own layer, not an earlier one or another layer's."""
    x0, x, dout = uniform(seed, shape), uniform(seed + 1, shape), uniform(seed + 2, shape)
    layer, other, fresh = impl.Relu(), impl.Relu(), impl.Relu()
    layer.forward(x0.copy())
    layer.forward(x.copy())
    other.forward(-x)
    dx = layer.backward(dout.copy())
    # Compared with your own layer used once, so that only state is judged here: values are other checks' job.
    fresh.forward(x.copy())

    def after_one(forward_x):
        """What your own layer's backward gives after the one forward(forward_x): what a stale state gives."""
        layer = impl.Relu()
        layer.forward(forward_x.copy())
        return layer.backward(dout.copy())

    expect_close(
        dx,
        fresh.backward(dout.copy()),
        after_calls("Relu.backward(dout)", "forward(x0)", "forward(x)", "Relu", "forward(-x)"),
        inputs={"x0": x0, "x": x, "dout": dout},
        mistakes=lambda: [("hint_latest_forward", answer_of(after_one, earlier)) for earlier in (x0, -x)],
    )


@check("Relu", points=1, strict=True)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
@example(shape=(2, 3), seed=0)
def test_backward_leaves_dout_unchanged(impl, shape, seed):
    """backward builds a new array instead of writing into the dout it was given (the book writes into it too)."""
    x, dout = uniform(seed, shape), uniform(seed + 1, shape)
    layer = impl.Relu()
    layer.forward(x.copy())
    given_dout = dout.copy()
    layer.backward(given_dout)
    in_place = [("hint_relu_inplace_dout", np.where(x > 0, dout, 0.0))]  # dout[self.mask] = 0
    expect_close(given_dout, dout, passed_to("dout", "backward"), inputs={"x": x}, mistakes=in_place)
