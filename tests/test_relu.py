"""Relu: out = max(x, 0) for any shape; dx = dout where x > 0, else 0 (including x exactly 0.0 and -0.0)."""
import numpy as np
from hypothesis import example, given, settings

from backprop_grader.diagnose import expect_close
from checks import check
from gradcheck import numeric_grad, weighted
from strategies import away_from_zero, seeds, shapes, uniform


@check("Relu", points=3)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=15)
def test_forward_values(impl, ref, shape, seed):
    """forward returns x where x > 0 and 0 elsewhere, shaped like x."""
    x = uniform(seed, shape)
    expect_close(impl.Relu().forward(x.copy()), ref.Relu().forward(x), "Relu.forward(x)", inputs={"x": x})


@check("Relu", points=3)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=15)
def test_backward_values(impl, ref, shape, seed):
    """backward passes dout through where x > 0 and blocks it elsewhere."""
    x, dout = uniform(seed, shape), uniform(seed + 1, shape)
    layer, expected = impl.Relu(), ref.Relu()
    layer.forward(x.copy())
    expected.forward(x)
    expect_close(layer.backward(dout.copy()), expected.backward(dout), "Relu.backward(dout)", inputs={"x": x, "dout": dout})


@check("Relu", points=2)
def test_zero_is_blocked(impl):
    """x exactly 0.0 or -0.0 gives out 0 and gradient 0: the mask is x <= 0, not x < 0."""
    x = np.array([[-0.0, 0.0, 1.5], [0.0, -2.0, -0.0]])
    dout = np.array([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]])
    layer = impl.Relu()
    out = layer.forward(x.copy())
    expect_close(out, np.array([[0.0, 0.0, 1.5], [0.0, 0.0, 0.0]]), "Relu.forward(x)", inputs={"x": x})
    expect_close(
        layer.backward(dout.copy()),
        np.array([[0.0, 0.0, 7.0], [0.0, 0.0, 0.0]]),
        "Relu.backward(dout)",
        inputs={"x": x, "dout": dout},
        hint="hint_relu_zero",
    )


@check("Relu", points=2)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=10)
def test_numerical_gradient(impl, shape, seed):
    """backward agrees with central differences of your own forward (x kept away from the kink at 0)."""
    x, dout = away_from_zero(seed, shape), uniform(seed + 1, shape)
    layer = impl.Relu()
    layer.forward(x.copy())
    analytic = layer.backward(dout.copy())
    numeric = numeric_grad(weighted(lambda v: impl.Relu().forward(v), dout), x)
    expect_close(analytic, numeric, "Relu.backward(dout)", inputs={"x": x, "dout": dout}, hint="hint_grad_vs_numeric")


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
    expect_close(given_dout, dout, "the dout you passed to backward", inputs={"x": x}, hint="hint_relu_inplace_dout")
