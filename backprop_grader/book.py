"""The book as the grader knows it, in one table: the names chapters 5, 6 and 7 ask a reader to define, in the
book's order, each with its chapter, which of the template's files defines each, where the book's own repository
keeps it, the graded layer whose checks use it, and what the checks (and the book) call on each class.

Chapter 5 is what the grader grades unless told otherwise, so the short names (LAYERS, BOOK_NAMES, ...) are
chapter 5's; layers_of(chapter) and names_of(chapter) give another chapter's.

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
    chapter: int = 5
    checks: str = None  # the module of its graded checks, when several layers share one (test_optimizers)

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
    *(BookName(name, "optimizer", ("optimizer",), name, ("update", "lr", *state), 6, "test_optimizers")
      for name, state in (("SGD", ()), ("Momentum", ("momentum", "v")), ("Nesterov", ("momentum", "v")),
                          ("AdaGrad", ("h",)), ("RMSprop", ("decay_rate", "h")),
                          ("Adam", ("beta1", "beta2", "iter", "m", "v")))),
    BookName("Dropout", "layers", ("layers",), "Dropout", ("forward", "backward", "dropout_ratio", "mask"), 6),
    BookName(
        "BatchNormalization", "layers", ("layers",), "BatchNormalization",
        ("forward", "backward", "gamma", "beta", "momentum", "running_mean", "running_var", "dgamma", "dbeta"), 6,
    ),
    # Chapter 7 grades two functions as layers of their own: a bug in im2col costs im2col alone, since
    # Convolution and Pooling are graded on the reference's.
    BookName("im2col", "util", ("util",), "im2col", None, 7),
    BookName("col2im", "util", ("util",), "col2im", None, 7),
    BookName("Convolution", "layers", ("layers",), "Convolution",
             ("forward", "backward", "W", "b", "stride", "pad", "dW", "db"), 7),
    BookName("Pooling", "layers", ("layers",), "Pooling", ("forward", "backward", "pool_h", "pool_w", "stride", "pad"), 7),
    BookName(
        "SimpleConvNet", "simple_convnet", ("simple_convnet",), "SimpleConvNet",
        ("params", "layers", "last_layer", "predict", "loss", "accuracy", "gradient", "numerical_gradient"), 7,
        "test_simple_convnet",
    ),
)
DEFAULT_CHAPTER = 5
CHAPTERS = tuple(sorted({entry.chapter for entry in TABLE}))
BY_NAME = {entry.name: entry for entry in TABLE}


def names_of(chapter):
    """The book's names chapter asks for: its classes, then its functions."""
    entries = [entry for entry in TABLE if entry.chapter == chapter]
    return tuple(e.name for e in entries if e.is_class) + tuple(e.name for e in entries if not e.is_class)


def layers_of(chapter):
    """The graded layers of chapter, in the book's order: the names graded under their own name (its classes, and
    chapter 7's im2col and col2im). Each is a check marker and a line of every report of that chapter."""
    return tuple(entry.name for entry in TABLE if entry.layer == entry.name and entry.chapter == chapter)


def chapter_of(name):
    """The chapter that asks for the book's name."""
    return BY_NAME[name].chapter


# Chapter 5's graded layers, in the book's order: the classes. Each is a check marker and a line of every report.
LAYERS = layers_of(DEFAULT_CHAPTER)
# Every chapter's layers, in the book's order: the markers a check may carry, and the order of any report's lines.
ALL_LAYERS = tuple(layer for chapter in CHAPTERS for layer in layers_of(chapter))
CLASSES = LAYERS
FUNCTIONS = tuple(entry.name for entry in TABLE if not entry.is_class and entry.chapter == DEFAULT_CHAPTER)
BOOK_NAMES = CLASSES + FUNCTIONS
ALL_NAMES = tuple(entry.name for entry in TABLE)
ALL_CLASSES = tuple(entry.name for entry in TABLE if entry.is_class)
# The network is graded on the reference's layers and functions: these are what it may use that is graded elsewhere.
GRADED_ELSEWHERE = tuple(name for name in BOOK_NAMES if name != "TwoLayerNet")
# What is graded on the reference's modules, each on those it builds on: its own file is run afresh with them in
# place of the submission's, so that a bug in the submission's im2col costs im2col alone, not Convolution too.
BUILT_ON = {
    "TwoLayerNet": ("layers", "gradient"),
    "Convolution": ("util",),
    "Pooling": ("util",),
    "SimpleConvNet": ("layers", "util", "gradient"),
}


def graded_elsewhere(name):
    """The book's names that what is graded as name (BUILT_ON) may use, the reference's standing in for them."""
    if name == "TwoLayerNet":
        return GRADED_ELSEWHERE
    return tuple(entry.name for entry in TABLE if entry.module in BUILT_ON[name] and entry.name != name
                 and entry.chapter in (DEFAULT_CHAPTER, chapter_of(name)))
MODULE_OF = {entry.name: entry.module for entry in TABLE}
# The graded layer whose checks use a name, chapter 5's: softmax is graded by SoftmaxWithLoss's checks.
LAYER_OF = {entry.name: entry.layer for entry in TABLE if entry.layer and entry.chapter == DEFAULT_CHAPTER}
# The same for every chapter: check(Adam) in a notebook runs chapter 6's Adam checks.
GRADED_AS = {entry.name: entry.layer for entry in TABLE if entry.layer}
MEMBERS = {entry.name: entry.members for entry in TABLE if entry.is_class}

# Markers the checks carry besides their layer's.
MARKERS = {
    "points(n)": "the points a check is worth when grading",
    "strict": "a strict check the book's own code fails too (its feedback says so)",
}


def checks_module_name(layer):
    """The module that holds a layer's graded checks: test_softmax_with_loss for SoftmaxWithLoss."""
    entry = BY_NAME.get(layer)
    if entry is not None and entry.checks:
        return entry.checks
    return "test_" + "".join("_" + c.lower() if c.isupper() else c for c in layer).lstrip("_")
