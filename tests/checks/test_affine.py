"""Affine: out = x @ W + b for x (N, D), or (N, C, H, W) flattened to (N, D); backward returns dx = dout @ W.T
shaped like x and stores dW = x.T @ dout (D, M) and db = dout summed over the batch axis (M,)."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader.diagnose import expect_close
from backprop_grader.feedback import passed_to

from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, numeric_grad, weighted
from .marks import check
from .strategies import batch_dims, rng, seeds, sides, uniform


def _problem(seed, n, d, m):
    """x (N, D), W (D, M), b (M,) and an upstream gradient dout (N, M), each from its own seed."""
    return uniform(seed, (n, d)), uniform(seed + 1, (d, m)), uniform(seed + 2, (m,)), uniform(seed + 3, (n, m))


def _round_trip(Affine, x, W, b, dout):
    """(out, dx, dW, db) of one forward and backward, the implementation given copies of every input."""
    layer = Affine(W.copy(), b.copy())
    out = layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    return out, dx, layer.dW, layer.db


def _shown(x, W, b, dout=None):
    inputs = {"x": x, "W": W, "b": b}
    return inputs if dout is None else dict(inputs, dout=dout)


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=15)
@example(dims=(1, 3, 2), seed=0)
@example(dims=(3, 3, 3), seed=0)
def test_forward_values(impl, ref, dims, seed):
    """forward returns x @ W + b, of shape (N, M), for a single sample (N = 1) and for a batch."""
    x, W, b, _ = _problem(seed, *dims)
    out = impl.Affine(W.copy(), b.copy()).forward(x.copy())
    expected = ref.Affine(W, b).forward(x)
    expect_close(out, expected, "Affine.forward(x)", inputs=_shown(x, W, b), batch_size=dims[0], hint="hint_affine_forward")


@check("Affine", points=1)
def test_mnist_batch(impl, ref):
    """a batch as chapter 5 trains on MNIST, x (100, 784) and W (784, 50): out, dx, dW and db are right at that size too."""
    n, d, m = 100, 784, 50
    # Multiples of small powers of two: every product and sum is exact, in any order, so that the numbers a
    # failure shows are the same whatever BLAS (and its threads) computed them.
    draw = rng(5).integers
    x = draw(0, 5, (n, d)) / 4  # pixels in [0, 1]
    W, b, dout = draw(-8, 9, (d, m)) / 256, draw(-8, 9, (m,)) / 64, draw(-8, 9, (n, m)) / 16
    inputs = _shown(x, W, b, dout)
    out, dx, dW, db = _round_trip(impl.Affine, x, W, b, dout)
    expected = _round_trip(ref.Affine, x, W, b, dout)
    for got, want, what, hint in zip(
        (out, dx, dW, db), expected, ("Affine.forward(x)", "Affine.backward(dout)", "self.dW", "self.db"),
        ("hint_affine_forward", "hint_affine_dx", "hint_affine_dW", "hint_affine_db"),
    ):
        expect_close(got, want, what, inputs=inputs, batch_size=n, hint=hint)


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(2, 3, 4), seed=0)
@example(dims=(3, 3, 3), seed=0)
def test_backward_dx(impl, ref, dims, seed):
    """backward(dout) returns dx = dout @ W.T, shaped like x."""
    x, W, b, dout = _problem(seed, *dims)
    _, dx, _, _ = _round_trip(impl.Affine, x, W, b, dout)
    _, expected, _, _ = _round_trip(ref.Affine, x, W, b, dout)
    expect_close(dx, expected, "Affine.backward(dout)", inputs=_shown(x, W, b, dout), batch_size=dims[0], hint="hint_affine_dx")


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(2, 3, 4), seed=0)
@example(dims=(3, 3, 3), seed=0)
def test_backward_dW(impl, ref, dims, seed):
    """backward stores self.dW = x.T @ dout, shaped like W (D, M)."""
    x, W, b, dout = _problem(seed, *dims)
    _, _, dW, _ = _round_trip(impl.Affine, x, W, b, dout)
    _, _, expected, _ = _round_trip(ref.Affine, x, W, b, dout)
    expect_close(dW, expected, "self.dW", inputs=_shown(x, W, b, dout), batch_size=dims[0], hint="hint_affine_dW")


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(3, 2, 4), seed=0)
@example(dims=(3, 2, 3), seed=0)
def test_backward_db(impl, ref, dims, seed):
    """backward stores self.db = dout summed over the batch axis (axis=0), shaped like b (M,)."""
    x, W, b, dout = _problem(seed, *dims)
    _, _, _, db = _round_trip(impl.Affine, x, W, b, dout)
    _, _, _, expected = _round_trip(ref.Affine, x, W, b, dout)
    expect_close(db, expected, "self.db", inputs=_shown(x, W, b, dout), batch_size=dims[0], hint="hint_affine_db")


@check("Affine", points=3)
@given(n=sides, image=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)), m=sides, seed=seeds)
@settings(max_examples=8)
@example(n=2, image=(2, 3, 2), m=3, seed=0)
def test_four_d_input(impl, ref, n, image, m, seed):
    """an image batch x (N, C, H, W) is flattened to (N, C*H*W): out is (N, M), dx has x's shape, dW is (C*H*W, M)."""
    _, W, b, dout = _problem(seed, n, int(np.prod(image)), m)
    x = uniform(seed, (n, *image))
    got = _round_trip(impl.Affine, x, W, b, dout)
    expected = _round_trip(ref.Affine, x, W, b, dout)
    for what, actual, wanted in zip(("Affine.forward(x)", "Affine.backward(dout)", "self.dW"), got[:3], expected[:3]):
        expect_close(actual, wanted, what, inputs=_shown(x, W, b, dout), batch_size=n, hint="hint_affine_4d")


def _numerical_check(impl, dims, seed, wrt):
    """The analytic gradient wrt x, W or b next to central differences of sum(forward * dout), each evaluation
    through a fresh layer built from the perturbed W or b (so the check does not depend on how W is kept)."""
    x, W, b, dout = _problem(seed, *dims)
    _, dx, dW, db = _round_trip(impl.Affine, x, W, b, dout)
    forward_of = {
        "x": (x, lambda v: impl.Affine(W.copy(), b.copy()).forward(v), dx, "Affine.backward(dout)"),
        "W": (W, lambda v: impl.Affine(v, b.copy()).forward(x.copy()), dW, "self.dW"),
        "b": (b, lambda v: impl.Affine(W.copy(), v).forward(x.copy()), db, "self.db"),
    }
    point, forward, analytic, what = forward_of[wrt]
    numeric = numeric_grad(weighted(forward, dout), point)
    expect_close(
        analytic,
        numeric,
        what,
        inputs=_shown(x, W, b, dout),
        batch_size=dims[0],
        hint="hint_grad_vs_numeric",
        rtol=NUMERIC_RTOL,
        floor=NUMERIC_FLOOR,
    )


@check("Affine", points=1)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=6)
def test_numerical_gradient_dx(impl, dims, seed):
    """dx agrees with central differences of your own forward with respect to x."""
    _numerical_check(impl, dims, seed, "x")


@check("Affine", points=1)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=6)
def test_numerical_gradient_dW(impl, dims, seed):
    """dW agrees with central differences of your own forward with respect to W."""
    _numerical_check(impl, dims, seed, "W")


@check("Affine", points=1)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=6)
@example(dims=(3, 2, 2), seed=0)
def test_numerical_gradient_db(impl, dims, seed):
    """db agrees with central differences of your own forward with respect to b."""
    _numerical_check(impl, dims, seed, "b")


@check("Affine", points=1)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=4)
@example(dims=(2, 3, 4), seed=0)
def test_inputs_unchanged(impl, dims, seed):
    """forward and backward leave the x, dout, W and b they were given unchanged."""
    x, W, b, dout = _problem(seed, *dims)
    given = {"x": x.copy(), "W": W.copy(), "b": b.copy(), "dout": dout.copy()}
    layer = impl.Affine(given["W"], given["b"])
    layer.forward(given["x"])
    layer.backward(given["dout"])
    for name, original in (("x", x), ("W", W), ("b", b), ("dout", dout)):
        expect_close(given[name], original, passed_to(name, "Affine"), inputs=_shown(x, W, b, dout), hint="hint_affine_unchanged")


@check("Affine", points=1)
@given(dims=batch_dims(), second_n=sides, seed=seeds)
@settings(max_examples=4)
@example(dims=(2, 3, 4), second_n=3, seed=0)
def test_latest_forward_wins(impl, ref, dims, second_n, seed):
    """after a second forward and backward (another batch), out, dx, dW and db are those of the second batch alone."""
    n, d, m = dims
    first_x, W, b, first_dout = _problem(seed, n, d, m)
    x, _, _, dout = _problem(seed + 4, second_n, d, m)
    layer = impl.Affine(W.copy(), b.copy())
    layer.forward(first_x.copy())
    layer.backward(first_dout.copy())
    got = (layer.forward(x.copy()), layer.backward(dout.copy()), layer.dW, layer.db)
    expected = _round_trip(ref.Affine, x, W, b, dout)
    names = ("Affine.forward(x)", "Affine.backward(dout)", "self.dW", "self.db")
    for what, actual, wanted in zip(names, got, expected):
        expect_close(actual, wanted, what, inputs=_shown(x, W, b, dout), batch_size=second_n, hint="hint_affine_state")


@check("Affine", points=1)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=4)
@example(dims=(2, 3, 4), seed=0)
def test_uses_W_and_b_by_reference(impl, ref, dims, seed):
    """W and b changed in place after construction change forward's output: the layer keeps them, not copies."""
    x, W, b, _ = _problem(seed, *dims)
    new_W, new_b = uniform(seed + 4, W.shape), uniform(seed + 5, b.shape)
    shared_W, shared_b = W.copy(), b.copy()
    layer = impl.Affine(shared_W, shared_b)
    shared_W[...] = new_W
    shared_b[...] = new_b
    out = layer.forward(x.copy())
    expected = ref.Affine(new_W, new_b).forward(x)
    expect_close(out, expected, "Affine.forward(x)", inputs=_shown(x, new_W, new_b), hint="hint_affine_by_reference")
