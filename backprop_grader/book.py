"""The book as the grader knows it, in one table: the names chapter 5 asks a reader to define, in the book's
order, which of the template's files defines each, where the book's own repository keeps it, the graded layer
whose checks use it, and what the checks (and the book) call on each class.

Everything else (the loader, intake, the names' near-miss finder, the check markers, the reports' order) reads
this table; nothing here imports anything, so that an isolation worker can load it by path.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class BookName:
    name: str
    module: str  # the template's (and the reference's) file that defines it, without .py
    book_files: tuple  # the book repository's files that define it: where a study repository is looked at first
    layer: str = None  # the graded layer whose checks use it (None: used by checks of no single layer)
    members: tuple = None  # for a class: what the checks read or call on it; None for a function

    @property
    def is_class(self):
        return self.members is not None


TABLE = (
    BookName("MulLayer", "layers", ("layer_naive", "layers"), "MulLayer", ("forward", "backward", "x", "y")),
    BookName("AddLayer", "layers", ("layer_naive", "layers"), "AddLayer", ("forward", "backward")),
    BookName("Relu", "layers", ("layers",), "Relu", ("forward", "backward", "mask")),
    BookName("Sigmoid", "layers", ("layers",), "Sigmoid", ("forward", "backward", "out")),
    BookName(
        "Affine", "layers", ("layers",), "Affine",
        ("forward", "backward", "W", "b", "x", "dW", "db", "original_x_shape"),
    ),
    BookName("SoftmaxWithLoss", "layers", ("layers",), "SoftmaxWithLoss", ("forward", "backward", "loss", "y", "t")),
    BookName(
        "TwoLayerNet", "two_layer_net", ("two_layer_net",), "TwoLayerNet",
        ("params", "layers", "lastLayer", "predict", "loss", "accuracy", "gradient", "numerical_gradient"),
    ),
    BookName("softmax", "layers", ("functions", "layers"), "SoftmaxWithLoss"),
    BookName("cross_entropy_error", "layers", ("functions", "layers"), "SoftmaxWithLoss"),
    BookName("numerical_gradient", "gradient", ("gradient",)),
)

BY_NAME = {entry.name: entry for entry in TABLE}
# The graded layers, in the book's order: the classes. Each is a check marker and a line of every report.
LAYERS = tuple(entry.name for entry in TABLE if entry.is_class)
CLASSES = LAYERS
FUNCTIONS = tuple(entry.name for entry in TABLE if not entry.is_class)
BOOK_NAMES = CLASSES + FUNCTIONS
# The network is graded on the reference's layers and functions: these are what it may use that is graded elsewhere.
GRADED_ELSEWHERE = tuple(name for name in BOOK_NAMES if name != "TwoLayerNet")
MODULE_OF = {entry.name: entry.module for entry in TABLE}
# The graded layer whose checks use a name: check(softmax) in a notebook runs SoftmaxWithLoss's checks.
LAYER_OF = {entry.name: entry.layer for entry in TABLE if entry.layer}
MEMBERS = {entry.name: entry.members for entry in TABLE if entry.is_class}

# Markers the checks carry besides their layer's.
MARKERS = {
    "points(n)": "the points a check is worth when grading",
    "strict": "a strict check the book's own code fails too (its feedback says so)",
}


def checks_module_name(layer):
    """The module that holds a layer's graded checks: test_softmax_with_loss for SoftmaxWithLoss."""
    return "test_" + "".join("_" + c.lower() if c.isupper() else c for c in layer).lstrip("_")
