"""What the known mistakes of softmax, cross_entropy_error and SoftmaxWithLoss give on a check's input, as
(hint key, wrong answer) pairs for expect_close's mistakes: a hint is shown only where the submission's answer
is the one its mistake gives. A wrong answer of None is a mistake whose formula raises on this input.

Also how label indices t (N,) are told apart from one-hot t: the book's printed chapter 5 code handles one-hot t
only (its repository handles both), so only label_targets asks for label indices; every other check uses them
where the code handles them, and one-hot t where it does not.
"""
import numpy as np

from backprop_grader.diagnose import answer_of, matches

from .strategies import one_hot

BOOK_DELTA = 1e-7


def softmax_mistakes(x):
    """softmax without the shift by the maximum (inf / inf = nan at large logits), shifted by the whole batch's
    maximum (0 / 0 = nan for a row far below it), normalised over the whole batch (chapter 3's one-sample
    softmax), or with np.log where it has np.exp. A mistake that gives the right softmax on this x is left out:
    this x does not show it."""
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        right = e / np.sum(e, axis=-1, keepdims=True)
        e = np.exp(x)
        no_shift = e / np.sum(e, axis=-1, keepdims=True)
        e = np.exp(x - np.max(x))
        batch_max = e / np.sum(e, axis=-1, keepdims=True)
        whole = e / np.sum(e)
        logs = [np.log(v) / np.sum(np.log(v), axis=-1, keepdims=True) for v in (x, x - np.max(x, axis=-1, keepdims=True))]
    found = [("hint_softmax_overflow", no_shift), ("hint_softmax_row_max", batch_max), ("hint_softmax_log", logs[0])]
    found.append(("hint_softmax_log", logs[1]))
    found += [("hint_softmax_per_row", whole)] if x.ndim > 1 else []
    return [(key, y) for key, y in found if not matches(y, right)]


def losses(y, indices):
    """The mean loss of softmax output y at the labels: exact, and the book's (1e-7 inside the log)."""
    y = y.reshape(-1, y.shape[-1])
    with np.errstate(all="ignore"):
        picked = y[np.arange(len(y)), np.reshape(indices, -1)]
        return [float(-np.mean(np.log(picked))), float(-np.mean(np.log(picked + BOOK_DELTA)))]


def loss_mistakes(ref, x, indices):
    """A batch's loss (x (N, C)): divided by N * C (np.mean over every entry) or not divided at all, taken
    without a delta in the log (log(0) = -inf at logits of +-1000), or of a wrong softmax."""
    n, c = x.shape
    exact, book = losses(ref.softmax(x), indices)
    right = [loss for loss in (exact, book) if np.isfinite(loss)]
    found = [("hint_swl_loss", loss / c) for loss in right] + [("hint_swl_loss", loss * n) for loss in right]
    found.append(("hint_swl_extreme", None if np.isfinite(exact) else exact))  # log(0) where a probability is 0
    # a wrong softmax under a loss without the delta is two mistakes at once: its inf is the missing delta's
    wrong_softmax = [(key, loss) for key, y in softmax_mistakes(x) for loss in losses(y, indices) if np.isfinite(loss)]
    return found + wrong_softmax


def dx_mistakes(ref, x, t, dout=1.0):
    """backward(dout) of a batch: divided by the number of classes instead of N, or from a wrong softmax."""
    n, c = x.shape
    t = t if t.shape == x.shape else one_hot(t, c)
    found = [("hint_swl_dx", dout * (ref.softmax(x) - t) / c)]
    return found + [(key, dout * (y - t) / n) for key, y in softmax_mistakes(x)]


def printed_one_hot_only(y, t):
    """(loss, dx) of the book's printed code, which handles one-hot t only: -sum(t * log(y + 1e-7)) / N and
    (y - t) / N, whatever t is. For label indices t (N,) its arrays broadcast only when N == C (or N == 1), into
    wrong numbers; elsewhere None: the printed code raises a ValueError there."""
    n = y.shape[0]
    with np.errstate(all="ignore"):
        loss = answer_of(lambda: float(-np.sum(t * np.log(y + BOOK_DELTA)) / n))
        exact = answer_of(lambda: float(-np.sum(t * np.log(y)) / n))
        dx = answer_of(lambda: (y - t) / n)
    return (loss, exact), dx


def labels_handled(impl, x, indices):
    """Whether SoftmaxWithLoss gives the same loss and backward(1) for label indices as for the same targets
    one-hot: then a check may use label indices without grading them (label_targets grades them)."""

    def loss_and_dx(t):
        layer = impl.SoftmaxWithLoss()
        loss = layer.forward(x.copy(), t.copy())
        return loss, layer.backward(1)

    as_labels = answer_of(loss_and_dx, indices)
    as_one_hot = answer_of(loss_and_dx, one_hot(indices, x.shape[-1]))
    return as_labels is not None and as_one_hot is not None and all(map(matches, as_labels, as_one_hot))


def cross_entropy_handles_labels(impl, y, indices):
    """Whether cross_entropy_error gives the same loss for label indices as for the same targets one-hot."""
    as_labels = answer_of(impl.cross_entropy_error, y.copy(), indices.copy())
    as_one_hot = answer_of(impl.cross_entropy_error, y.copy(), one_hot(indices, y.shape[-1]))
    return as_labels is not None and as_one_hot is not None and matches(as_labels, as_one_hot)
