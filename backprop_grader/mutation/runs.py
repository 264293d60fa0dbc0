"""Running a check's body again, on the submission or on a mutant, and telling whether two runs did the same:
the values the check compared (compared.py) and how it ended.
"""
import ast
import sys
from dataclasses import dataclass

import numpy as np

from .. import failing_example
from ..compared import listening
from ..diagnose import is_close
from ..feedback import CheckFailure
from ..isolation.errors import WorkerFailure


class Differs(Exception):
    """A mutant's run compared a value the submission's did not: it cannot reproduce the failure, stop it."""


@dataclass(frozen=True)
class _Object:
    """A compared value that is neither a number nor an array, by its type's name."""

    type_name: str


def snapshot(value):
    """value as it was when compared: arrays copied (a submission may write into one it returned), objects by type."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, np.ndarray, np.generic)):
        return np.array(value)
    if isinstance(value, (tuple, list)):
        return tuple(snapshot(v) for v in value)
    return _Object(type(value).__name__)


def same(a, b):
    """Whether two snapshots are the same value: arrays of one kind and shape, equal within diagnose's tolerance
    where finite and equal where not."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(map(same, a, b))
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


def outcome_of(exc):
    """How a run ended, as two runs can be compared: the failure's key and params, or the exception's type and
    message."""
    if exc is None:
        return None
    if isinstance(exc, CheckFailure):
        return ("failure", exc.key, tuple(sorted((k, str(v)) for k, v in exc.params.items())))
    return ("raised", type(exc).__name__, str(exc))


def same_outcome(a, b, compared):
    """Whether two runs ended alike. A failure of diagnose's (compared: it compared values, which were the same)
    by its key; a failure a check raised by itself (nothing compared: its params are what it found) by its params
    too."""
    if compared and a and b and a[0] == b[0] == "failure":
        return a[:2] == b[:2]
    return a == b


def run(body, fixtures, kwargs, seed, listener, raised=None):
    """Run a check's body, listening; how it ended (outcome_of). raised, a list, is given what it raised."""
    np.random.seed(seed)
    try:
        with listening(listener):
            body(**fixtures, **kwargs)
    except Differs:
        raise
    except Exception as exc:  # what the check (or the code under it) raised is the outcome compared
        if raised is not None:
            raised.append(exc)
        return outcome_of(exc)
    return None


def submissions_run(test, fixtures, kwargs, seed):
    """(the values the check compared, how it ended) on the submission, or None if its code ran out of time or
    memory this time."""
    theirs = []
    # Run in this process (--no-isolate), a breakpoint() the learner is debugging with stops them once, not again.
    hook, sys.breakpointhook = sys.breakpointhook, lambda *args, **kwargs: None
    try:
        return theirs, run(test, fixtures, kwargs, seed, lambda value: theirs.append(snapshot(value)))
    except WorkerFailure:
        return None
    finally:
        sys.breakpointhook = hook


def falsifying_kwargs(exc, names):
    """The arguments Hypothesis's note gives for the smallest failing example, for the parameters in names."""
    lines = failing_example.arguments(exc)
    if lines is None:
        return None
    found = {}
    for line in lines:
        name, _, value = line.partition("=")
        if name in names:
            try:
                found[name] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return None
    return found if set(found) == set(names) else None


def size(snapshot):
    return sum(map(size, snapshot)) if isinstance(snapshot, tuple) else int(np.size(snapshot)) if isinstance(snapshot, np.ndarray) else 1


def reproduces(test, fixtures, kwargs, seed, theirs, outcome, raised=None):
    seen = []

    def compare(value):
        if len(seen) >= len(theirs) or not same(snapshot(value), theirs[len(seen)]):
            raise Differs
        seen.append(value)

    try:
        ended = run(test, fixtures, kwargs, seed, compare, raised)
    except Differs:
        return False
    return len(seen) == len(theirs) and same_outcome(ended, outcome, bool(theirs))


def parameters(function):
    code = function.__code__
    return code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
