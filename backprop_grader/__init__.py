"""backprop-grader: grade hand-written chapter-5 layers (Deep Learning from Scratch) against a verified reference.

`from backprop_grader import check` in a notebook runs a layer's checks on the learner's own objects
(notebook.py); it is imported on first use, so importing the package stays cheap.
"""
from pathlib import Path

LAYERS = ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "TwoLayerNet")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT / "reference"
TEMPLATE_DIR = PROJECT_ROOT / "student_template"
TESTS_DIR = PROJECT_ROOT / "tests"


def checks_module(layer):
    """The one module of tests/ that holds a layer's graded checks: test_softmax_with_loss.py for SoftmaxWithLoss."""
    return TESTS_DIR / ("test_" + "".join("_" + c.lower() if c.isupper() else c for c in layer).lstrip("_") + ".py")


def __getattr__(name):
    if name == "check":
        from .notebook import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
