"""The book's names, the names learners give the same things, and aliases an instructor grades under.

Learners write ReLU for Relu, soft_max for softmax, dw for dW, foward for forward. When a book name is missing,
`closest` finds what the learner most likely meant, so the failure can say "found ReLU ... the book calls it
Relu" instead of "no Relu". `wrap` gives a found class the same courtesy for its members (methods and the
attributes the checks read) and serves the member aliases of `--alias Affine.dW=dw`.
"""

import re
from dataclasses import dataclass, field

from .book import ALL_CLASSES, ALL_NAMES, MEMBERS
from .messages import msg
from .results import SubmissionError

# Other names for the same thing, normalised (see normalise): what courses, translations and learners use.
SYNONYMS = {
    "mul": {"multiply", "multiplication", "mult", "product", "times"},
    "add": {"addition", "plus", "sum"},
    "relu": {"rectifiedlinear", "rectifiedlinearunit", "rectifier"},
    "sigmoid": {"logistic", "sigm"},
    "affine": {"dense", "linear", "fullyconnected", "fc", "fullconnect", "fullconnected", "innerproduct"},
    "softmaxwithloss": {
        "softmaxloss",
        "softmaxcrossentropy",
        "softmaxwithcrossentropy",
        "softmaxcrossentropyloss",
        "softmaxce",
        "softmaxwithce",
        "softmaxwithcrossentropyloss",
        "softmaxcrossentropyerror",
    },
    "softmax": {"softmaxfunction", "softmaxfunc"},
    "crossentropyerror": {
        "crossentropy",
        "crossentropyloss",
        "cee",
        "crossentropyerr",
        "celoss",
        "crossentropyerrorfunc",
    },
    "twolayernet": {
        "twolayernetwork",
        "twolayersnet",
        "twolayernn",
        "twolayerneuralnet",
        "twolayerneuralnetwork",
        "twolayermlp",
        "2layernet",
    },
    "numericalgradient": {"numericgradient", "numgrad", "numericalgrad", "numericalgradients", "numericaldiff"},
    "forward": {"fwd", "forwardpass", "forwardprop", "fprop", "forwardpropagation"},
    "backward": {"bwd", "backwardpass", "backprop", "bprop", "backpropagation", "backwardpropagation"},
    "params": {"parameters", "param", "parameter"},
    "dw": {"gradw", "dweight", "dweights", "wgrad", "gradweight"},
    "db": {"gradb", "dbias", "bgrad", "gradbias"},
    "lastlayer": {"losslayer", "outputlayer", "finallayer"},
    "__init__": {"__int__", "__ini__", "__init", "_init_", "__inti__"},
}

# Different functions that happen to be a letter away from a book name: never suggested for it.
NOT_THE_SAME = {"elu", "gelu", "selu", "prelu", "relu6", "mlp"}


def kind_of(book):
    """What a book name is, as a message in the learner's words: a class (Relu) or a function (softmax)."""
    return msg("kind_class") if book in ALL_CLASSES else msg("kind_function")


def normalise(name, strip_layer=False):
    """Lower case without underscores or dashes (and, for a class, without a Layer prefix or suffix):
    ReLU_Layer, ReLU and Relu are one class name; d_W and dw one member name."""
    if name.startswith("__") and name.endswith("__"):
        return name
    plain = re.sub(r"[_\-]", "", name).lower()
    if strip_layer and plain != "layer":
        plain = plain.removesuffix("layer") if plain.endswith("layer") else plain.removeprefix("layer")
    return plain


def edit_distance(a, b):
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _allowed_edits(name):
    return 2 if len(name) >= 7 else 1 if len(name) >= 4 else 0


def likeness(wanted, candidate):
    """How surely candidate is a variant of the book's wanted name: a sort key (lower is surer), or None."""
    if candidate == wanted:
        return None
    strip = wanted in ALL_CLASSES
    w, c = normalise(wanted, strip), normalise(candidate, strip)
    if c in NOT_THE_SAME:
        return None
    if w == c:
        return (0, 0)
    if c in SYNONYMS.get(w, ()):
        return (1, 0)
    distance = edit_distance(w, c)
    if 0 < distance <= _allowed_edits(w):
        return (2, distance)
    return None


def closest(wanted, candidates, exclude=ALL_NAMES):
    """The candidate most likely meant for the book name wanted, or None. Other book names are never it."""
    scored = [(likeness(wanted, c), i, c) for i, c in enumerate(candidates) if c not in exclude]
    scored = [s for s in scored if s[0] is not None]
    return min(scored)[2] if scored else None


@dataclass
class Aliases:
    """BOOK=THEIRS for names (Relu=ReLU) and members (Affine.dW=dw), from --alias or a rubric's [aliases]."""

    names: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)  # (book class, book member) -> their member

    @classmethod
    def parse(cls, specs):
        """Aliases from "BOOK=THEIRS" strings; ValueError for one that names no book name."""
        aliases = cls()
        for spec in specs or ():
            book, sep, theirs = (part.strip() for part in spec.partition("="))
            if not sep or not book or not theirs:
                raise ValueError(f"--alias {spec!r}: expected BOOK=THEIRS, e.g. Relu=ReLU or Affine.dW=dw")
            owner, dot, member = book.partition(".")
            if owner not in ALL_NAMES:
                raise ValueError(f"--alias {spec!r}: {owner} is not one of the book's names ({', '.join(ALL_NAMES)})")
            if dot:
                aliases.members[(owner, member)] = theirs
            else:
                aliases.names[owner] = theirs
        return aliases

    def merged(self, other):
        return Aliases({**self.names, **other.names}, {**self.members, **other.members})

    def specs(self):
        """Back to "BOOK=THEIRS" strings, to hand to a pytest run or a worker process."""
        return [f"{b}={t}" for b, t in self.names.items()] + [f"{c}.{m}={t}" for (c, m), t in self.members.items()]

    def name_for(self, book):
        return self.names.get(book, book)


def as_aliases(value):
    """Aliases from an Aliases, a list of "BOOK=THEIRS" strings, a {BOOK: THEIRS} dict or None."""
    if isinstance(value, Aliases):
        return value
    if isinstance(value, dict):
        return Aliases.parse(f"{b}={t}" for b, t in value.items())
    return Aliases.parse(value)


class MisspeltMember(AttributeError):
    """Raised in place of AttributeError for a book member a class lacks; hasattr() still sees it as missing."""


def wrap(cls, book, origin, aliases):
    """cls, subclassed so that a missing book member raises a SubmissionError saying what was found instead.

    Nothing changes for a class that has its members: __getattr__ runs only when normal lookup fails. Member
    aliases (Affine.dW=dw) are served from the same place; an __init__ alias or an __int__ typo needs __init__.
    """
    class Missing(SubmissionError, MisspeltMember):
        pass

    members = {m: t for (c, m), t in aliases.members.items() if c == book}
    book_members = set(MEMBERS.get(book, ())) | set(members)
    typo_init = "__init__" not in members and cls.__init__ is object.__init__ and hasattr(cls, "__int__")

    # In a notebook's namespace (check()) there is no file to name.
    where = {"file": origin} if origin else {}
    suffix = "" if origin else "_inline"

    their_getattr = getattr(cls, "__getattr__", None)

    def __getattr__(self, name):
        if name in members and name != "__init__":
            return getattr(self, members[name])
        if their_getattr is not None:
            try:
                return their_getattr(self, name)
            except AttributeError:
                pass
        if name not in book_members:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        if typo_init:
            raise Missing("misspelt_init" + suffix, cls=book, member=name, **where)
        found = closest(name, [a for a in dir(self) if not (a.startswith("__") and a.endswith("__"))], exclude=())
        if found is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        raise Missing("misspelt_member" + suffix, cls=book, member=name, found=found, **where)

    namespace = {"__getattr__": __getattr__, "__doc__": cls.__doc__, "__module__": cls.__module__}
    if "__init__" in members:
        their_init = members["__init__"]

        def __init__(self, *args, **kwargs):
            getattr(self, their_init)(*args, **kwargs)

        namespace["__init__"] = __init__
    elif typo_init:

        def __init__(self, *args, **kwargs):
            if args or kwargs:
                raise Missing("misspelt_init" + suffix, cls=book, member="__init__", **where)

        namespace["__init__"] = __init__
    wrapped = type(cls)(cls.__name__, (cls,), namespace)
    wrapped.__qualname__ = cls.__qualname__
    return wrapped
