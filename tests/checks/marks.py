"""The one way a test declares what it grades: its layer (a marker), its points, whether it is strict, and the
inputs only the mutants' diagnosis tries (diagnosis_examples)."""
import pytest

from backprop_grader.book import ALL_LAYERS


def check(layer, points, strict=False):
    """Mark a test as a graded check of layer worth points. strict: the book's own code fails it too."""
    if layer not in ALL_LAYERS:
        raise ValueError(f"unknown layer {layer!r}")

    def mark(test):
        test = getattr(pytest.mark, layer)(test)
        test = pytest.mark.points(points)(test)
        return pytest.mark.strict(test) if strict else test

    return mark


def check_each(points, strict=False):
    """Mark a test as one graded check of each layer of points ({layer: points}): it runs once per layer, which
    it takes as its argument `layer` (the optimizers of chapter 6 share their checks)."""
    for layer in points:
        if layer not in ALL_LAYERS:
            raise ValueError(f"unknown layer {layer!r}")
    strictness = (pytest.mark.strict,) if strict else ()
    return pytest.mark.parametrize("layer", [
        pytest.param(layer, marks=(getattr(pytest.mark, layer), pytest.mark.points(n), *strictness), id=layer)
        for layer, n in points.items()
    ])


def diagnosis_examples(*examples):
    """Inputs of a check (each a dict of its keyword arguments) that grading never runs: when it fails and the
    failing input leaves several changes of the reference behaving as the submission does, the mutants'
    diagnosis (backprop_grader/mutation/replay.py) runs each on the submission and on them, and sets aside those
    that behave otherwise there. Each should tell apart mistakes the check's own inputs leave alike."""

    def mark(test):
        test.diagnosis_examples = examples
        return test

    return mark
