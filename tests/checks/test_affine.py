"""Affine: out = x @ W + b for x (N, D), or (N, C, H, W) flattened to (N, D); backward returns dx = dout @ W.T
shaped like x and stores dW = x.T @ dout (D, M) and db = dout summed over the batch axis (M,)."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader.diagnose import expect_close
from backprop_grader.feedback import CheckFailure, passed_to
from backprop_grader.results import SubmissionError

from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, Weighted, numeric_grad
from .marks import check
from .strategies import batch_dims, rng, seeds, sides, uniform


def _problem(seed, n, d, m):
    """x (N, D), W (D, M), b (M,) and an upstream gradient dout (N, M), each from its own seed."""
    return uniform(seed, (n, d)), uniform(seed + 1, (d, m)), uniform(seed + 2, (m,)), uniform(seed + 3, (n, m))


def _round_trip(Affine, x, W, b, dout):
    """(layer, out, dx) of one forward and backward, the implementation given copies of every input: a check
    reads the gradients the layer stored (_stored) only if it checks them, so a layer whose dx is right loses
    no check of dx for keeping its weight gradient under another name."""
    layer = Affine(W.copy(), b.copy())
    out = layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    return layer, out, dx


def _stored(layer, name):
    """The gradient backward stored as self.dW or self.db, or a failure saying it is not there."""
    try:
        return getattr(layer, name)
    except SubmissionError:
        raise  # a near miss (self.dw for self.dW): its own message names what was found instead
    except AttributeError:
        raise CheckFailure("affine_gradient_missing", name=name) from None


def _reference(ref, x, W, b, dout):
    """(out, dx, dW, db) of the reference."""
    layer, out, dx = _round_trip(ref.Affine, x, W, b, dout)
    return out, dx, layer.dW, layer.db


def _shown(x, W, b, dout=None):
    inputs = {"x": x, "W": W, "b": b}
    return inputs if dout is None else dict(inputs, dout=dout)


# What the known mistakes give, quantity by quantity, on the failing input (x as given: flattened here).
def _out_mistakes(x, W, b):
    return [("hint_affine_no_bias", x.reshape(len(x), -1) @ W)]


def _dx_mistakes(x, W, b, dout):
    square = W.shape[0] == W.shape[1]
    return [
        ("hint_affine_dx", (dout @ W).reshape(x.shape) if square else None),  # W for W.T: runs only when D == M
        ("hint_affine_4d", dout @ W.T if x.ndim > 2 else None),  # dx left flattened, (N, D) for x (N, C, H, W)
    ]


def _dW_mistakes(x, W, b, dout):
    return [("hint_affine_dW", dout.T @ x.reshape(len(x), -1))]


def _db_mistakes(x, W, b, dout):
    # dout itself, its mean over the batch, its sum over the wrong axis: the three the hint names
    return [("hint_affine_db", wrong) for wrong in (dout, np.mean(dout, axis=0), np.sum(dout, axis=1))]


def _mistakes(x, W, b, dout):
    """The known mistakes of out, dx, dW and db, in this order."""
    return _out_mistakes(x, W, b), _dx_mistakes(x, W, b, dout), _dW_mistakes(x, W, b, dout), _db_mistakes(x, W, b, dout)


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
    expect_close(out, expected, "Affine.forward(x)", inputs=_shown(x, W, b), batch_size=dims[0], mistakes=_out_mistakes(x, W, b))


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
    layer, out, dx = _round_trip(impl.Affine, x, W, b, dout)
    got = (lambda: out, lambda: dx, lambda: _stored(layer, "dW"), lambda: _stored(layer, "db"))
    names = ("Affine.forward(x)", "Affine.backward(dout)", "self.dW", "self.db")
    for actual, want, what, mistakes in zip(got, _reference(ref, x, W, b, dout), names, _mistakes(x, W, b, dout)):
        expect_close(actual(), want, what, inputs=inputs, batch_size=n, mistakes=mistakes)


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(3, 3, 3), seed=0)  # first: where D == M, dout @ W runs and its values show the missing .T
@example(dims=(2, 3, 4), seed=0)
def test_backward_dx(impl, ref, dims, seed):
    """backward(dout) returns dx = dout @ W.T, shaped like x."""
    x, W, b, dout = _problem(seed, *dims)
    _, _, dx = _round_trip(impl.Affine, x, W, b, dout)
    expected = _reference(ref, x, W, b, dout)[1]
    inputs = _shown(x, W, b, dout)
    expect_close(dx, expected, "Affine.backward(dout)", inputs=inputs, batch_size=dims[0], mistakes=_dx_mistakes(x, W, b, dout))


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(2, 3, 4), seed=0)
@example(dims=(3, 3, 3), seed=0)
def test_backward_dW(impl, ref, dims, seed):
    """backward stores self.dW = x.T @ dout, shaped like W (D, M)."""
    x, W, b, dout = _problem(seed, *dims)
    dW = _stored(_round_trip(impl.Affine, x, W, b, dout)[0], "dW")
    expected = _reference(ref, x, W, b, dout)[2]
    expect_close(dW, expected, "self.dW", inputs=_shown(x, W, b, dout), batch_size=dims[0], mistakes=_dW_mistakes(x, W, b, dout))


@check("Affine", points=3)
@given(dims=batch_dims(), seed=seeds)
@settings(max_examples=12)
@example(dims=(3, 2, 4), seed=0)
@example(dims=(3, 2, 3), seed=0)
def test_backward_db(impl, ref, dims, seed):
    """backward stores self.db = dout summed over the batch axis (axis=0), shaped like b (M,)."""
    x, W, b, dout = _problem(seed, *dims)
    db = _stored(_round_trip(impl.Affine, x, W, b, dout)[0], "db")
    expected = _reference(ref, x, W, b, dout)[3]
    expect_close(db, expected, "self.db", inputs=_shown(x, W, b, dout), batch_size=dims[0], mistakes=_db_mistakes(x, W, b, dout))


@check("Affine", points=3)
@given(n=sides, image=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)), m=sides, seed=seeds)
@settings(max_examples=8)
@example(n=2, image=(2, 3, 2), m=3, seed=0)
def test_four_d_input(impl, ref, n, image, m, seed):
    """an image batch x (N, C, H, W) is flattened to (N, C*H*W): out is (N, M), dx has x's shape, dW is (C*H*W, M)."""
    _, W, b, dout = _problem(seed, n, int(np.prod(image)), m)
    x = uniform(seed, (n, *image))
    layer, out, dx = _round_trip(impl.Affine, x, W, b, dout)
    got = (lambda: out, lambda: dx, lambda: _stored(layer, "dW"))
    names = ("Affine.forward(x)", "Affine.backward(dout)", "self.dW")
    for what, actual, wanted, mistakes in zip(names, got, _reference(ref, x, W, b, dout), _mistakes(x, W, b, dout)):
        expect_close(actual(), wanted, what, inputs=_shown(x, W, b, dout), batch_size=n, mistakes=mistakes)


def _numerical_check(impl, dims, seed, wrt):
    """The analytic gradient wrt x, W or b next to central differences of sum(forward * dout), each evaluation
    through a fresh layer built from the perturbed W or b (so the check does not depend on how W is kept)."""
    x, W, b, dout = _problem(seed, *dims)
    layer, _, dx = _round_trip(impl.Affine, x, W, b, dout)
    forward_of = {
        "x": (x, lambda v: impl.Affine(W.copy(), b.copy()).forward(v), lambda: dx, "Affine.backward(dout)", _dx_mistakes),
        "W": (W, lambda v: impl.Affine(v, b.copy()).forward(x.copy()), lambda: _stored(layer, "dW"), "self.dW", _dW_mistakes),
        "b": (b, lambda v: impl.Affine(W.copy(), v).forward(x.copy()), lambda: _stored(layer, "db"), "self.db", _db_mistakes),
    }
    point, forward, analytic, what, mistakes = forward_of[wrt]
    analytic = analytic()
    numeric = numeric_grad(Weighted(forward, dout), point)
    expect_close(
        analytic,
        numeric,
        what,
        inputs=_shown(x, W, b, dout),
        batch_size=dims[0],
        rtol=NUMERIC_RTOL,
        floor=NUMERIC_FLOOR,
        mistakes=mistakes(x, W, b, dout),
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
def test_inputs_unchanged(impl, ref, dims, seed):
    """forward and backward leave the x, dout, W and b they were given unchanged."""
    x, W, b, dout = _problem(seed, *dims)
    given = {"x": x.copy(), "W": W.copy(), "b": b.copy(), "dout": dout.copy()}
    layer = impl.Affine(given["W"], given["b"])
    layer.forward(given["x"])
    layer.backward(given["dout"])
    _, _, dW, db = _reference(ref, x, W, b, dout)
    steps = {"W": dW, "b": db}
    for name, original in (("x", x), ("W", W), ("b", b), ("dout", dout)):
        mistakes = [("hint_affine_updates_params", _stepped(given[name], original, steps[name]))] if name in steps else None
        expect_close(given[name], original, passed_to(name, "Affine"), inputs=_shown(x, W, b, dout), mistakes=mistakes)


def _stepped(changed, original, gradient):
    """original - lr * gradient for the lr that comes closest to changed: equal to changed where backward took
    a gradient step on the param in place (self.W -= lr * self.dW), whatever its learning rate."""
    direction = np.ravel(gradient)
    lr = -float(np.dot(np.ravel(changed - original), direction) / np.dot(direction, direction)) if direction.any() else 0.0
    return original - lr * gradient


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
    out, dx = layer.forward(x.copy()), layer.backward(dout.copy())
    got = (lambda: out, lambda: dx, lambda: _stored(layer, "dW"), lambda: _stored(layer, "db"))
    expected = _reference(ref, x, W, b, dout)
    first = _reference(ref, first_x, W, b, first_dout)
    # self.dW += ...: the two batches' gradients added up
    added = ([], [], [("hint_affine_state", first[2] + expected[2])], [("hint_affine_state", first[3] + expected[3])])
    names = ("Affine.forward(x)", "Affine.backward(dout)", "self.dW", "self.db")
    for what, actual, wanted, known, state in zip(names, got, expected, _mistakes(x, W, b, dout), added):
        expect_close(actual(), wanted, what, inputs=_shown(x, W, b, dout), batch_size=second_n, mistakes=known + state)


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
    copied = [("hint_affine_by_reference", ref.Affine(W, b).forward(x))]  # the W and b it was built with
    mistakes = copied + _out_mistakes(x, new_W, new_b)
    expect_close(out, expected, "Affine.forward(x)", inputs=_shown(x, new_W, new_b), mistakes=mistakes)
