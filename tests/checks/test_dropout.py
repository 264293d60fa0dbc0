"""Dropout: training multiplies x by a random mask (every entry x's, or x's scaled by 1 / (1 - dropout_ratio) in
inverted dropout, or 0), keeping about 1 - dropout_ratio of the units; backward passes dout through forward's own
mask; testing uses every unit, scaled so that both modes have the same expected output. The mask is random, so
the checks ask what holds whatever mask is drawn (numpy's generator is seeded before each check)."""
import numpy as np

from backprop_grader.diagnose import expect_close, expect_like, likely_mistake
from backprop_grader.feedback import CheckFailure

from .marks import check

RATIO = 0.3
SHAPE = (300, 400)
# The kept fraction of 120,000 units drawn at 70% lies within 0.5% of it but once in 10^20 draws: 2% is no luck.
FRACTION_TOLERANCE = 0.02
TRAIN, TEST = "Dropout.forward(x, train_flg=True)", "Dropout.forward(x, train_flg=False)"


def _inputs(seed):
    """x and dout with no zero entry, so that a 0 in out or dx can only be a dropped unit."""
    rng = np.random.default_rng(seed)
    return rng.random(SHAPE) + 1.0, rng.random(SHAPE) + 1.0


def _trained(impl, x):
    """A Dropout after one training forward of x, its output as a float array, and the scale of its kept units
    (1 as the book keeps them, 1 / (1 - dropout_ratio) in inverted dropout; None when it is neither)."""
    layer = impl.Dropout(RATIO)
    out = layer.forward(x.copy(), train_flg=True)
    expect_like(out, x, TRAIN)
    out = np.asarray(out, dtype=np.float64)
    kept = out != 0
    scales = out[kept] / x[kept]
    scale = next((s for s in (1.0, 1.0 / (1.0 - RATIO)) if scales.size and np.allclose(scales, s, rtol=1e-12)), None)
    return layer, out, scale


@check("Dropout", points=5)
def test_training_keeps_or_drops(impl):
    """in training every entry is x's (or x's times 1 / (1 - dropout_ratio)) or 0, and about 1 - dropout_ratio of the units are kept."""
    x, _ = _inputs(0)
    _, out, scale = _trained(impl, x)
    if scale is None:
        kept = out != 0
        index = tuple(int(i) for i in np.argwhere(kept & ~np.isclose(out, x) & ~np.isclose(out, x / (1 - RATIO)))[0])
        raise CheckFailure("dropout_not_kept_or_dropped", what=TRAIN, index=str(index), got=f"{out[index]:.6g}",
                           x=f"{x[index]:.6g}", ratio=RATIO)
    fraction = float(np.mean(out != 0))
    if abs(fraction - (1 - RATIO)) > FRACTION_TOLERANCE:
        hint = "hint_dropout_keeps_the_ratio" if abs(fraction - RATIO) <= FRACTION_TOLERANCE else None
        raise CheckFailure("dropout_kept_fraction", hint=hint, what=TRAIN, kept=f"{fraction:.1%}",
                           expected=f"{1 - RATIO:.0%}", ratio=RATIO)


@check("Dropout", points=6)
def test_backward_uses_forward_mask(impl):
    """backward passes dout through the units forward kept (scaled alike) and blocks the ones it dropped, with no new mask."""
    x, dout = _inputs(1)
    layer, out, _ = _trained(impl, x)
    dx = layer.backward(dout.copy())
    expected = dout * (out / x)
    dropped = np.asarray(dx, dtype=np.float64) == 0 if isinstance(dx, np.ndarray) and dx.shape == x.shape else None
    new_mask = dropped is not None and not np.array_equal(dropped, out == 0) \
        and abs(float(np.mean(dropped)) - RATIO) <= FRACTION_TOLERANCE
    expect_close(dx, expected, "Dropout.backward(dout)", inputs={"dout": dout},
                 hint="hint_dropout_backward_new_mask" if new_mask else None)


@check("Dropout", points=5)
def test_testing_uses_every_unit(impl):
    """in testing every unit is used: x * (1 - dropout_ratio) when training keeps units as they are (the book's), x itself in inverted dropout."""
    x, _ = _inputs(2)
    layer, _, scale = _trained(impl, x)
    test = layer.forward(x.copy(), train_flg=False)
    inverted = scale is not None and scale != 1.0
    expected = x if inverted else x * (1 - RATIO)
    if isinstance(test, np.ndarray) and test.shape == x.shape and np.any(test == 0):
        hint = "hint_dropout_drops_in_testing"
    else:
        hint = likely_mistake(test, [("hint_dropout_testing_not_scaled", x)])
    expect_close(test, expected, TEST, inputs={"x": x}, hint=hint)
