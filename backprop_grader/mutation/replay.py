"""Which single change of the reference behaves like a submission on the input where one of its checks failed.

When a check fails (and has no hand-written hint), its body runs again on the same failing example: once on the
submission, recording every value the check compared (compared.py) and how it ended, then once per mutant of the
check's layer (table.py), the reference changed in one place, in place of the submission. A mutant reproduces
the failure when it gives every compared value the submission gave, within diagnose's tolerance, and ends the
same way (the same failure key, or the same exception and message). If the mutants that reproduce it are all of
one family, the failure's hint names the change: "Relu.forward behaves like `self.mask = x < 0`, where the
reference has `self.mask = x <= 0`".

The mutants run in the grader's process: they are the reference's own code. The submission's code runs where
it always does (in its worker, isolated), on the same input and numpy seed as the mutants. Nothing here runs
unless a check failed.
"""
import ast
import linecache
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..compared import listening
from ..counting import CountingLayers
from ..diagnose import is_close
from ..feedback import CheckFailure
from ..isolation.errors import WorkerFailure
from ..results import SubmissionError
from . import table

# The fixtures a mutant stands in for, and the one whose layer a check's mutants are found in.
_NET_FIXTURES = ("net_class", "layer_calls")


class _Differs(Exception):
    """A mutant's run compared a value the submission's did not: it cannot reproduce the failure, stop it."""


@dataclass(frozen=True)
class Diagnosis:
    mutant: table.Mutant

    @property
    def hint(self):
        return f"hint_mutant_{self.mutant.family}"

    @property
    def params(self):
        m = self.mutant
        return {"method": m.method, "yours": m.mutated, "reference": m.original}


@dataclass(frozen=True)
class _Object:
    """A compared value that is neither a number nor an array, by its type's name."""

    type_name: str


def _snapshot(value):
    """value as it was when compared: arrays copied (a submission may write into one it returned), objects by type."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, np.ndarray, np.generic)):
        return np.array(value)
    if isinstance(value, (tuple, list)):
        return tuple(_snapshot(v) for v in value)
    return _Object(type(value).__name__)


def _same(a, b):
    """Whether two snapshots are the same value: arrays of one kind and shape, equal within diagnose's tolerance
    where finite and equal where not."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(map(_same, a, b))
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return a == b
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind not in "biuf":
        return bool(np.all(a == b))
    a, b = a.astype(np.float64), b.astype(np.float64)
    finite = np.isfinite(a)
    if not np.array_equal(finite, np.isfinite(b)) or not np.array_equal(a[~finite], b[~finite], equal_nan=True):
        return False
    return is_close(a[finite], b[finite])


def _outcome(exc):
    """How a run ended, as two runs can be compared: the failure's key, or the exception's type and message."""
    if exc is None:
        return None
    if isinstance(exc, CheckFailure):
        return ("failure", exc.key)
    return ("raised", type(exc).__name__, str(exc))


def _run(body, fixtures, kwargs, seed, listener):
    """Run a check's body, listening; how it ended (_outcome)."""
    np.random.seed(seed)
    try:
        with listening(listener):
            body(**fixtures, **kwargs)
    except _Differs:
        raise
    except Exception as exc:  # what the check (or the code under it) raised is the outcome compared
        return _outcome(exc)
    return None


def falsifying_kwargs(exc, names):
    """The arguments Hypothesis's note gives for the smallest failing example, for the parameters in names."""
    for note in getattr(exc, "__notes__", ()):
        if note.startswith("Falsifying"):
            found = {}
            for line in note.split("(", 1)[-1].rsplit(")", 1)[0].splitlines():
                name, _, value = line.strip().rstrip(",").partition("=")
                if name in names:
                    try:
                        found[name] = ast.literal_eval(value)
                    except (ValueError, SyntaxError):
                        return None
            return found if set(found) == set(names) else None
    return None


def _worth_diagnosing(exc):
    if isinstance(exc, CheckFailure):
        return exc.hint is None
    return isinstance(exc, Exception) and not isinstance(exc, (NotImplementedError, SubmissionError))


@lru_cache(maxsize=8)
def _counting(ref):
    return CountingLayers(ref)


def _fixtures_for(layer, fixtures, mutant=None, called=None):
    """The check's fixtures with the mutant (None: the reference itself) standing in for the code under test,
    or, given the set called, the reference adding to it the qualname of each of its functions that runs. None
    for a check of the net on the submission's own layers, where no mutant of the net stands for both."""
    if layer != "TwoLayerNet":
        module = table.layers_module(mutant)
        return {**fixtures, "impl": table.Layers(module if called is None else table.traced(module, called))}
    if "impl" in fixtures:
        return None
    net_layers = _counting(fixtures["ref"])
    module = table.net_module(mutant, net_layers)
    net = (module if called is None else table.traced(module, called)).TwoLayerNet
    stand_ins = {"net_class": net, "layer_calls": net_layers.calls}
    return {**fixtures, **{name: value for name, value in stand_ins.items() if name in fixtures}}


class Suspects:
    """What the failed checks of one grade found so far: per layer, the mutants that reproduced its last failure.

    A layer's next failure is tried on those first: a submission that behaves like one mutant fails each of its
    checks as that mutant does. Only when none of them reproduces it are all the layer's mutants tried, at most
    FULL_SEARCHES times a layer, so that a layer that fails every check costs a few searches, not one a check.
    A check that compares more than LARGE numbers (Affine's at MNIST size: each run of it costs as much as a
    dozen small ones) never starts a search: it waits for the suspects a smaller check of its layer finds.
    """

    FULL_SEARCHES = 2
    LARGE = 20_000

    def __init__(self):
        self.pool = {}
        self.searches = {}
        self.waiting = {}  # layer -> {key: retry(pool) -> Diagnosis or None}

    def search(self, layer, reproduces, reference_run):
        """(the mutants that reproduce a failure of layer's, whether the check is large): reproduces(mutant) ->
        bool; reference_run() -> (qualnames of the functions the check runs, how many numbers it compares)."""
        found = [m for m in self.pool.get(layer, ()) if reproduces(m)]
        large = False
        if not found and self.searches.get(layer, 0) < self.FULL_SEARCHES:
            called, compared = reference_run()
            large = compared > self.LARGE
            if not large:
                self.searches[layer] = self.searches.get(layer, 0) + 1
                found = [m for m in table.of_layer(layer) if m.function in called and reproduces(m)]
        if found:
            self.pool[layer] = found
        return found, large

    def wait(self, layer, key, retry):
        self.waiting.setdefault(layer, {})[key] = retry

    def settled(self, layer):
        """(key, Diagnosis) of each failure of layer waiting for suspects that the layer's suspects now explain."""
        done = []
        for key, retry in list(self.waiting.get(layer, {}).items()):
            found = retry(self.pool.get(layer, ()))
            if found is not None:
                done.append((key, found))
                del self.waiting[layer][key]
        return done


def _size(snapshot):
    return sum(map(_size, snapshot)) if isinstance(snapshot, tuple) else int(np.size(snapshot)) if isinstance(snapshot, np.ndarray) else 1


def _reference_run(test, layer, fixtures, kwargs, seed):
    """(the qualnames of the reference's functions a check runs, how many numbers it compares) when the
    reference stands in for the submission."""
    called, compared = set(), []
    _run(test, _fixtures_for(layer, fixtures, called=called), kwargs, seed, lambda value: compared.append(_snapshot(value)))
    return called, _size(tuple(compared))


def diagnose(item, exc, layer, seed, suspects):
    """The Diagnosis of a failed check (item, the exception it raised, its layer), or None when no one family of
    the layer's mutants reproduces it. suspects: the grade's Suspects."""
    if not _worth_diagnosing(exc):
        return None
    test = item.obj
    handle = getattr(test, "hypothesis", None)
    kwargs = {}
    if handle is not None:
        kwargs = falsifying_kwargs(exc, set(handle._given_kwargs))
        if kwargs is None:
            return None
        test = handle.inner_test
    fixtures = {name: value for name, value in item.funcargs.items() if name not in kwargs and name in _parameters(test)}
    if _fixtures_for(layer, fixtures) is None:
        return None
    theirs = []
    # Run in this process (--no-isolate), a breakpoint() the learner is debugging with stops them once, not again.
    hook, sys.breakpointhook = sys.breakpointhook, lambda *args, **kwargs: None
    try:
        outcome = _run(test, fixtures, kwargs, seed, lambda value: theirs.append(_snapshot(value)))
    except WorkerFailure:  # the submission's code ran out of time or memory this time: no diagnosis
        return None
    finally:
        sys.breakpointhook = hook
    if outcome != _outcome(exc):
        return None

    def reproduces(mutant):
        return _reproduces(test, _fixtures_for(layer, fixtures, mutant), kwargs, seed, theirs, outcome)

    found, large = suspects.search(layer, reproduces, lambda: _reference_run(test, layer, fixtures, kwargs, seed))
    found = _one_family(found, exc)
    if found is None and large:
        suspects.wait(layer, item.nodeid, lambda pool: _one_family([m for m in pool if reproduces(m)], exc))
    return found


def _one_family(found, exc):
    """The Diagnosis if the mutants found are of one family; else if those of the function that failed are (the
    function the failure names, or where the exception was raised), or at last those whose changed statement
    is the very line that raised."""
    where = _where_raised(exc)
    narrowing = [
        lambda m: True,
        lambda m: f"{m.function}(" in str(getattr(exc, "params", {}).get("what", "")) or where and m.function == where[0],
        lambda m: where and m.mutated == where[1],
    ]
    for keep in narrowing:
        found = [m for m in found if keep(m)] or found
        if len({m.family for m in found}) == 1:
            return Diagnosis(found[0])
    return None


def _where_raised(exc):
    """(qualname, statement) of the innermost frame of exc, the statement as ast.unparse writes it (so that it
    compares with a mutant's), or None for a CheckFailure, which the check raised, not the code under it."""
    if isinstance(exc, CheckFailure) or exc.__traceback__ is None:
        return None
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    try:
        statement = ast.unparse(ast.parse(linecache.getline(code.co_filename, tb.tb_lineno).strip()))
    except (SyntaxError, ValueError):
        statement = None
    return getattr(code, "co_qualname", code.co_name), statement


def _reproduces(test, fixtures, kwargs, seed, theirs, outcome):
    seen = []

    def compare(value):
        if len(seen) >= len(theirs) or not _same(_snapshot(value), theirs[len(seen)]):
            raise _Differs
        seen.append(value)

    try:
        return _run(test, fixtures, kwargs, seed, compare) == outcome and len(seen) == len(theirs)
    except _Differs:
        return False


def _parameters(function):
    code = function.__code__
    return code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
