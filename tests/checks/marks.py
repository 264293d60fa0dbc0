"""The one way a test declares what it grades: its layer (a marker), its points, and whether it is strict."""
import pytest

from backprop_grader.book import LAYERS


def check(layer, points, strict=False):
    """Mark a test as a graded check of layer worth points. strict: the book's own code fails it too."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}")

    def mark(test):
        test = getattr(pytest.mark, layer)(test)
        test = pytest.mark.points(points)(test)
        return pytest.mark.strict(test) if strict else test

    return mark
