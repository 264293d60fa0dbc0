"""SoftmaxWithLoss: forward(x, t) returns the mean cross-entropy of softmax(x) against one-hot t (N, C) or label
indices t (N,); backward(dout) returns dout * (softmax(x) - t) / N. The module functions softmax and
cross_entropy_error are graded here too.

Two right losses exist: the exact one, and the book's, whose 1e-7 inside the log shifts it by ~1e-7 / y. Where
they agree to the tolerance's order (logits in [-3, 3]) either is accepted; at logits of +-1000, where they
differ by orders of magnitude, only finiteness is checked. backward is graded only on batches (N, C): the book
divides by t.shape[0], which is wrong for one unbatched sample (C,). Only backward_scales_by_dout passes a
dout other than 1, since the book's backward ignores dout. Only label_targets grades label indices t (N,), which
the book's printed code does not handle (its repository does): every other check uses them where the code
handles them, and one-hot t where it does not (swl_mistakes.py).
"""
from functools import partial

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader.diagnose import answer_of, expect_close, expect_close_to_any, expect_number
from backprop_grader.feedback import CheckFailure, after_statement, passed_to, show

from .at_scale import expect_loss_at_scale
from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, Weighted, numeric_grad
from .marks import check, diagnosis_examples
from .strategies import batch_classes, classes, labels, one_hot, seeds, sides, uniform
from .swl_mistakes import (
    cross_entropy_handles_labels,
    dx_mistakes,
    labels_handled,
    loss_mistakes,
    losses,
    printed_one_hot_only,
    softmax_mistakes,
)

FORM_NAMES = ("labels", "one-hot")
FORMS = st.sampled_from(FORM_NAMES)

# Logits of +-1000 where a probability underflows to exactly 0. Every row holds its batch's maximum, so that a
# softmax shifted by the maximum of the whole batch rather than of each row fails only softmax_rows_far_apart.
EXTREME_LOGITS = [
    (np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]]), np.array([1, 0])),
    (np.array([[-1000.0, 1000.0]]), np.array([0])),
    (np.array([[1000.0, 1000.0, -1000.0], [1000.0, -1000.0, -1000.0]]), np.array([2, 0])),
]
EXTREME_SOFTMAX_INPUTS = [x for x, _ in EXTREME_LOGITS] + [np.array([1000.0, -1000.0, 0.0]), np.array([-1000.0, -999.0])]
# Rows far apart: shifted by the batch's maximum (2), the second row's exp underflows to 0 everywhere: 0 / 0. In
# the first, no shift at all goes wrong in the other row (inf / inf), so that the two mistakes are told apart.
ROWS_FAR_APART = [
    (np.array([[1000.0, 999.0, 998.0], [0.0, 1.0, 2.0]]), np.array([0, 2])),
    (np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]]), np.array([2, 0])),
    (np.array([[-998.0, -999.0, -1000.0], [3.0, 1.0, 2.0], [-800.0, -800.0, -801.0]]), np.array([0, 1, 2])),
]
# Logits that tell apart the shifts that go wrong alike on those above, tried only by the mutants' diagnosis
# (marks.diagnosis_examples): a row of large logits close together (no shift, or one by +max, overflows; one by
# the row's minimum does not), a row near 400 (only a shift by +max overflows), rows far apart (a shift by the
# batch's maximum underflows, as no shift does; one by the row's minimum does not), and small logits, where
# every shift is right (and log in place of exp is not).
SHIFTS_TOLD_APART = [
    (np.array([[0.0, 1.0, 2.0]]), np.array([2])),
    (np.array([[1000.0, 999.0, 998.0]]), np.array([0])),
    (np.array([[400.0, 399.0, 398.0]]), np.array([0])),
    (np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]]), np.array([2, 0])),
]


def _problem(seed, n, c, form):
    """Logits x (N, C) in [-3, 3], the labels, and t in the requested form."""
    x, indices = uniform(seed, (n, c)), labels(seed + 1, n, c)
    return x, indices, (indices if form == "labels" else one_hot(indices, c))


def _targets(impl, x, indices, form):
    """t in the requested form, but one-hot where the form is labels and the code does not handle them."""
    if form == "labels" and labels_handled(impl, x, indices):
        return indices
    return one_hot(indices, x.shape[-1])


def _book_loss(y, indices):
    """The book's loss: the mean of -log(y + 1e-7) at each sample's label."""
    return losses(y, indices)[1]


def _accepted_losses(ref, x, indices, t):
    return ref.SoftmaxWithLoss().forward(x, t), _book_loss(ref.softmax(x), indices)


def _forward_backward(SoftmaxWithLoss, x, t, dout=1):
    """(loss, dx) of one forward and backward(dout), the implementation given copies of x and t."""
    layer = SoftmaxWithLoss()
    loss = layer.forward(x.copy(), t.copy())
    return loss, layer.backward(dout)


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds)
@settings(max_examples=12)
@example(nc=(3, 4), seed=0)
def test_loss_one_hot(impl, ref, nc, seed):
    """forward(x, t) with one-hot t returns the mean over the batch of -log(softmax(x)) at each sample's label."""
    x, indices, t = _problem(seed, *nc, "one-hot")
    loss = impl.SoftmaxWithLoss().forward(x.copy(), t.copy())
    accepted = _accepted_losses(ref, x, indices, t)
    what = "SoftmaxWithLoss.forward(x, t)"
    inputs = {"x": x, "t": t}
    expect_close_to_any(loss, accepted, what, inputs=inputs, batch_size=nc[0], mistakes=partial(loss_mistakes, ref, x, indices))


@check("SoftmaxWithLoss", points=2)
@given(nc=batch_classes(), seed=seeds)
@settings(max_examples=12)
@example(nc=(3, 4), seed=0)
@example(nc=(3, 3), seed=0)
def test_label_targets(impl, ref, nc, seed):
    """label indices t (N,) give what one-hot t gives: the loss of forward(x, t), backward(1), and cross_entropy_error(y, t)."""
    x, indices, t = _problem(seed, *nc, "labels")
    inputs, hot = {"x": x, "t": t}, one_hot(indices, nc[1])
    y = ref.softmax(x)
    (printed_loss, printed_exact), printed_dx = printed_one_hot_only(y, t)
    one_hot_only = [("hint_swl_labels", printed_loss), ("hint_swl_labels", printed_exact)]
    # Held to your own answers for the same targets one-hot where you give usable ones (other checks grade those):
    # this check asks only that label indices are handled as one-hot t is.
    own_loss, own_dx = answer_of(_forward_backward, impl.SoftmaxWithLoss, x, hot) or (None, None)
    layer = impl.SoftmaxWithLoss()
    what = "SoftmaxWithLoss.forward(x, t)"
    loss = _on_labels(layer.forward, (x.copy(), t.copy()), printed_loss, what, inputs)
    accepted = _own_or(own_loss, _accepted_losses(ref, x, indices, t))
    expect_close_to_any(loss, accepted, what, inputs=inputs, batch_size=nc[0], mistakes=one_hot_only)
    what = "SoftmaxWithLoss.backward(1)"
    dx = _on_labels(layer.backward, (1,), printed_dx, what, inputs)
    [expected] = _own_or(own_dx, [_forward_backward(ref.SoftmaxWithLoss, x, t)[1]])
    expect_close(dx, expected, what, inputs=inputs, batch_size=nc[0], mistakes=[("hint_swl_labels", printed_dx)])
    what, inputs = "cross_entropy_error(y, t)", {"y": y, "t": t}
    loss = _on_labels(impl.cross_entropy_error, (y.copy(), t.copy()), printed_loss, what, inputs)
    own_loss = answer_of(impl.cross_entropy_error, y.copy(), hot)
    accepted = _own_or(own_loss, (ref.cross_entropy_error(y, t), _book_loss(y, indices)))
    expect_close_to_any(loss, accepted, what, inputs=inputs, batch_size=nc[0], mistakes=one_hot_only)


def _own_or(own, reference):
    """[own], your answer for one-hot t, where it is finite and shaped like the reference's answers; else those."""
    try:
        usable = (isinstance(own, np.ndarray) == isinstance(reference[0], np.ndarray) and own is not None
                  and np.shape(own) == np.shape(reference[0]) and bool(np.isfinite(own).all()))
    except TypeError:  # not numbers at all
        usable = False
    return [own] if usable else reference


def _on_labels(function, args, printed, what, inputs):
    """function(*args) for label indices t; where it raises a ValueError where the book's printed one-hot-only
    code raises one too (printed is None: its arrays do not broadcast), a failure saying so."""
    try:
        return function(*args)
    except ValueError as error:
        if printed is not None:
            raise
        shown = "; ".join(f"{name} = {show(value)}" for name, value in inputs.items())
        error = f"{type(error).__name__}: {show(str(error), 200)}"
        raise CheckFailure("swl_labels_raised", hint="hint_swl_labels", what=what, error=error, inputs=shown) from None


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=FORMS)
@settings(max_examples=4)
@example(nc=(3, 4), seed=0, form="one-hot")
def test_loss_is_a_number(impl, nc, seed, form):
    """forward returns the loss as one finite number (a float), not None or an array of per-sample losses."""
    x, indices, _ = _problem(seed, *nc, form)
    t = _targets(impl, x, indices, form)
    loss = impl.SoftmaxWithLoss().forward(x.copy(), t.copy())
    expect_number(loss, "SoftmaxWithLoss.forward(x, t)", inputs={"x": x, "t": t})


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds)
@settings(max_examples=12)
@example(nc=(3, 4), seed=0)
def test_backward_one_hot(impl, ref, nc, seed):
    """backward(1) returns (softmax(x) - t) / N for one-hot t, N being the batch size."""
    x, _, t = _problem(seed, *nc, "one-hot")
    _, dx = _forward_backward(impl.SoftmaxWithLoss, x, t)
    _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
    what = "SoftmaxWithLoss.backward(1)"
    expect_close(dx, expected, what, inputs={"x": x, "t": t}, batch_size=nc[0], mistakes=partial(dx_mistakes, ref, x, t))


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=FORMS)
@settings(max_examples=2)
@example(nc=(3, 4), seed=0, form="labels")
def test_backward_default_dout(impl, ref, nc, seed, form):
    """backward() with no argument returns backward(1): dout defaults to 1, as in the book's backward(self, dout=1)."""
    x, indices, _ = _problem(seed, *nc, form)
    t = _targets(impl, x, indices, form)
    layer = impl.SoftmaxWithLoss()
    layer.forward(x.copy(), t.copy())
    inputs = {"x": x, "t": t}
    try:
        dx = layer.backward()
    except TypeError:
        raise CheckFailure("swl_backward_no_default", hint="hint_swl_default_dout", what="SoftmaxWithLoss.backward()") from None
    _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
    mistakes = partial(dx_mistakes, ref, x, t)
    expect_close(dx, expected, "SoftmaxWithLoss.backward()", inputs=inputs, batch_size=nc[0], mistakes=mistakes)


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=FORMS)
@settings(max_examples=4)
@example(nc=(3, 4), seed=0, form="labels")
@example(nc=(3, 4), seed=0, form="one-hot")
def test_backward_twice(impl, ref, nc, seed, form):
    """a second backward(1) returns the same dx as the first, and leaves the stored softmax output (self.y) unchanged."""
    x, indices, _ = _problem(seed, *nc, form)
    t = _targets(impl, x, indices, form)
    layer = impl.SoftmaxWithLoss()
    layer.forward(x.copy(), t.copy())
    stored = getattr(layer, "y", None)
    stored = np.array(stored, dtype=np.float64) if isinstance(stored, np.ndarray) else None
    layer.backward(1)
    dx = layer.backward(1)
    inputs = {"x": x, "t": t}
    _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
    # dx = self.y, then 1 taken off at the labels in place: the first backward took it off self.y already
    y, hot = ref.softmax(x), one_hot(indices, nc[1])
    what = after_statement("SoftmaxWithLoss.backward(1)", "backward(1)")
    twice = [("hint_swl_backward_twice", (y - 2 * hot) / nc[0])]
    expect_close(dx, expected, what, inputs=inputs, batch_size=nc[0], mistakes=twice + dx_mistakes(ref, x, t))
    if stored is not None:
        written = [("hint_swl_backward_twice", stored - hot), ("hint_swl_backward_twice", (stored - hot) / nc[0])]
        expect_close(layer.y, stored, after_statement("self.y", "backward(1)"), inputs=inputs, mistakes=written)


@check("SoftmaxWithLoss", points=1)
@diagnosis_examples(*({"cases": [case]} for case in SHIFTS_TOLD_APART))
def test_extreme_logits(impl, ref, cases=EXTREME_LOGITS):
    """logits of +-1000 give a finite loss and the right dx: no overflow in exp and no log(0)."""
    for x, indices in cases:
        for form in FORM_NAMES:
            t = _targets(impl, x, indices, form)
            loss, dx = _forward_backward(impl.SoftmaxWithLoss, x, t)
            inputs = {"x": x, "t": t}
            expect_number(loss, "SoftmaxWithLoss.forward(x, t)", inputs=inputs, mistakes=loss_mistakes(ref, x, indices))
            _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
            what = "SoftmaxWithLoss.backward(1)"
            expect_close(dx, expected, what, inputs=inputs, batch_size=len(x), mistakes=dx_mistakes(ref, x, t))


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(min_batch=2), seed=seeds, form=FORMS)
@settings(max_examples=5)
@example(nc=(3, 4), seed=0, form="labels")
def test_softmax_per_row(impl, ref, nc, seed, form):
    """each sample gets its own softmax: every row of dx sums to 0, as each row of softmax(x) and of t sums to 1."""
    x, indices, _ = _problem(seed, *nc, form)
    x = x + uniform(seed + 2, (nc[0], 1), -5.0, 5.0)  # rows at different levels, as real logits are
    t = _targets(impl, x, indices, form)
    _, dx = _forward_backward(impl.SoftmaxWithLoss, x, t)
    row_sums = np.sum(dx, axis=-1)
    mistakes = [(key, np.sum(wrong, axis=-1)) for key, wrong in dx_mistakes(ref, x, t)]
    expect_close(row_sums, np.zeros(nc[0]), "np.sum(dx, axis=-1)", inputs={"x": x, "t": t}, mistakes=mistakes)


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=FORMS)
@settings(max_examples=6)
def test_numerical_gradient(impl, ref, nc, seed, form):
    """backward(1) agrees with central differences of your own forward's loss with respect to x."""
    x, indices, _ = _problem(seed, *nc, form)
    t = _targets(impl, x, indices, form)
    _, dx = _forward_backward(impl.SoftmaxWithLoss, x, t)
    numeric = numeric_grad(Weighted(lambda v: impl.SoftmaxWithLoss().forward(v, t.copy())), x)
    expect_close(
        dx,
        numeric,
        "SoftmaxWithLoss.backward(1)",
        inputs={"x": x, "t": t},
        batch_size=nc[0],
        rtol=NUMERIC_RTOL,
        floor=NUMERIC_FLOOR,
        mistakes=partial(dx_mistakes, ref, x, t),
    )


softmax_shapes = st.one_of(st.tuples(classes), st.tuples(sides, classes))


@check("SoftmaxWithLoss", points=1)
@given(shape=softmax_shapes, seed=seeds)
@settings(max_examples=10)
@example(shape=(4,), seed=0)
@example(shape=(3, 4), seed=0)
def test_softmax_function(impl, ref, shape, seed):
    """softmax(x) normalises exp(x) over each row (the last axis), for a batch (N, C) and a single sample (C,)."""
    x = uniform(seed, shape) + uniform(seed + 1, shape[:-1] + (1,), -5.0, 5.0)
    expect_close(impl.softmax(x.copy()), ref.softmax(x), "softmax(x)", inputs={"x": x}, mistakes=partial(softmax_mistakes, x))


@check("SoftmaxWithLoss", points=1)
@given(shape=softmax_shapes, seed=seeds, shift=st.integers(-1000, 1000))
@settings(max_examples=4)
@example(shape=(2, 3), seed=0, shift=800)
@example(shape=(3,), seed=0, shift=-800)
def test_softmax_shift_invariance(impl, ref, shape, seed, shift):
    """softmax(x + c) equals softmax(x) for any constant c, even c = +-800."""
    x = uniform(seed, shape) + shift
    expect_close(impl.softmax(x.copy()), ref.softmax(x), "softmax(x)", inputs={"x": x}, mistakes=partial(softmax_mistakes, x))


@check("SoftmaxWithLoss", points=1)
@diagnosis_examples(*({"cases": [x]} for x, _ in SHIFTS_TOLD_APART))
def test_softmax_extreme_logits(impl, ref, cases=EXTREME_SOFTMAX_INPUTS):
    """softmax of logits of +-1000 is finite and right: exp must never see a large positive number."""
    for x in cases:
        expect_close(impl.softmax(x.copy()), ref.softmax(x), "softmax(x)", inputs={"x": x}, mistakes=softmax_mistakes(x))


@check("SoftmaxWithLoss", points=1)
@diagnosis_examples(*({"cases": [case]} for case in SHIFTS_TOLD_APART))
def test_softmax_rows_far_apart(impl, ref, cases=ROWS_FAR_APART):
    """softmax is right for rows far apart, such as [[0, 1, 2], [-1000, -999, -998]]: each row is shifted by its own maximum."""
    for x, indices in cases:
        inputs = {"x": x}
        expect_close(impl.softmax(x.copy()), ref.softmax(x), "softmax(x)", inputs=inputs, mistakes=softmax_mistakes(x))
        t = _targets(impl, x, indices, "labels")
        loss, dx = _forward_backward(impl.SoftmaxWithLoss, x, t)
        inputs = {"x": x, "t": t}
        expect_number(loss, "SoftmaxWithLoss.forward(x, t)", inputs=inputs, mistakes=loss_mistakes(ref, x, indices))
        _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
        what = "SoftmaxWithLoss.backward(1)"
        expect_close(dx, expected, what, inputs=inputs, batch_size=len(x), mistakes=dx_mistakes(ref, x, t))


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=st.sampled_from(["labels", "one-hot", "single sample"]))
@settings(max_examples=6)
@example(nc=(3, 4), seed=0, form="labels")
@example(nc=(3, 4), seed=0, form="one-hot")
@example(nc=(3, 4), seed=0, form="single sample")
def test_cross_entropy_error(impl, ref, nc, seed, form):
    """cross_entropy_error(y, t) is the mean over the batch of -log(y) at each label: one-hot t, labels t, one sample (C,)."""
    x, indices, t = _problem(seed, *nc, "one-hot")
    y = ref.softmax(x)
    if form == "labels" and cross_entropy_handles_labels(impl, y, indices):
        t = indices
    if form == "single sample":
        y, indices, t = y[0], indices[:1], t[0]
    accepted = (ref.cross_entropy_error(y, t), _book_loss(y, indices))
    loss = impl.cross_entropy_error(y.copy(), t.copy())
    batch_size = None if form == "single sample" else nc[0]
    # one sample divided by C (y.shape[0] without reshaping it to (1, C)); a batch summed, not divided by N
    scale = 1 / nc[1] if form == "single sample" else nc[0]
    scaled = [("hint_cross_entropy", right * scale) for right in accepted]
    what = "cross_entropy_error(y, t)"
    expect_close_to_any(loss, accepted, what, inputs={"y": y, "t": t}, batch_size=batch_size, mistakes=scaled)


@check("SoftmaxWithLoss", points=1)
@given(c=classes, seed=seeds)
@settings(max_examples=4)
@example(c=4, seed=0)
def test_single_sample_loss(impl, ref, c, seed):
    """forward on one unbatched sample, x (C,) with one-hot t (C,), returns that sample's loss (the batch size is 1)."""
    x, indices, t = _problem(seed, 1, c, "one-hot")
    x, t = x[0], t[0]
    loss = impl.SoftmaxWithLoss().forward(x.copy(), t.copy())
    accepted = _accepted_losses(ref, x, indices, t)
    what = "SoftmaxWithLoss.forward(x, t)"
    # divided by x.shape[0], which is C for x (C,); np.mean over every entry divides by C too
    by_classes = [("hint_swl_single_sample", right / c) for right in accepted]
    expect_close_to_any(loss, accepted, what, inputs={"x": x, "t": t}, mistakes=by_classes)


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), seed=seeds, form=FORMS)
@settings(max_examples=4)
@example(nc=(3, 4), seed=0, form="one-hot")
@example(nc=(3, 4), seed=0, form="labels")
def test_inputs_unchanged(impl, nc, seed, form):
    """forward and backward leave the x and t they were given unchanged."""
    x, indices, _ = _problem(seed, *nc, form)
    t = _targets(impl, x, indices, form)
    given_x, given_t = x.copy(), t.copy()
    layer = impl.SoftmaxWithLoss()
    layer.forward(given_x, given_t)
    layer.backward(1)
    # x -= np.max(x, axis=-1, keepdims=True) (or np.max(x)), shifting it for np.exp
    shifted = [("hint_swl_unchanged", x - np.max(x, axis=-1, keepdims=True)), ("hint_swl_unchanged", x - np.max(x))]
    for name, given_value, original, mistakes in (("x", given_x, x, shifted), ("t", given_t, t, None)):
        expect_close(given_value, original, passed_to(name, "forward"), inputs={"x": x, "t": t}, mistakes=mistakes)


@check("SoftmaxWithLoss", points=1)
@given(nc=batch_classes(), second_n=sides, seed=seeds, form=FORMS)
@settings(max_examples=4)
@example(nc=(3, 4), second_n=3, seed=0, form="one-hot")
def test_latest_forward_wins(impl, ref, nc, second_n, seed, form):
    """after forward on a second batch, the loss and backward(1) are those of the second batch alone."""
    first_x, first_indices, _ = _problem(seed, *nc, form)
    x, indices, _ = _problem(seed + 2, second_n, nc[1], form)
    first_t, t = _targets(impl, first_x, first_indices, form), _targets(impl, x, indices, form)
    layer = impl.SoftmaxWithLoss()
    layer.forward(first_x.copy(), first_t.copy())
    layer.backward(1)
    loss = layer.forward(x.copy(), t.copy())
    dx = layer.backward(1)
    inputs = {"x": x, "t": t}
    what = "SoftmaxWithLoss.forward(x, t)"
    # the first batch's softmax kept, where its shape lets it stand for the second's
    stale = ref.softmax(first_x) if first_x.shape == x.shape else None
    kept = [] if stale is None else [("hint_swl_state", loss) for loss in losses(stale, indices)]
    expected = _accepted_losses(ref, x, indices, t)
    expect_close_to_any(loss, expected, what, inputs=inputs, mistakes=kept + loss_mistakes(ref, x, indices))
    _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t)
    kept = [] if stale is None else [("hint_swl_state", (stale - one_hot(indices, nc[1])) / second_n)]
    what = "SoftmaxWithLoss.backward(1)"
    expect_close(dx, expected, what, inputs=inputs, batch_size=second_n, mistakes=kept + dx_mistakes(ref, x, t))


@check("SoftmaxWithLoss", points=1, strict=True)
@given(nc=batch_classes(), seed=seeds)
@settings(max_examples=2)
@example(nc=(3, 4), seed=0)
def test_backward_scales_by_dout(impl, ref, nc, seed):
    """backward(2.0) returns twice backward(1): the upstream gradient dout scales dx (the book ignores dout too)."""
    x, indices, _ = _problem(seed, *nc, "labels")
    t = _targets(impl, x, indices, "labels")
    _, dx = _forward_backward(impl.SoftmaxWithLoss, x, t, dout=2.0)
    _, expected = _forward_backward(ref.SoftmaxWithLoss, x, t, dout=2.0)
    ignored = [("hint_swl_dout", expected / 2.0)]  # backward(1)'s dx: dout left out
    mistakes = ignored + dx_mistakes(ref, x, t, dout=2.0)
    expect_close(dx, expected, "SoftmaxWithLoss.backward(2.0)", inputs={"x": x, "t": t}, mistakes=mistakes)


@check("SoftmaxWithLoss", points=1)
def test_mnist_batch(impl, ref):
    """a batch of scores as chapter 5 trains on MNIST (100, 10), one-hot labels: the loss and backward(1) are right at that size too."""
    accepted = lambda x, indices, t: _accepted_losses(ref, x, indices, t)  # noqa: E731
    expect_loss_at_scale(impl.SoftmaxWithLoss, ref.SoftmaxWithLoss, accepted, partial(loss_mistakes, ref),
                         partial(dx_mistakes, ref))
