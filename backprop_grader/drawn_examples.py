"""The inputs Hypothesis draws for each check, recorded (drawn_examples.json, beside the checks), so that a grade
runs a check on them without Hypothesis's engine, which cost about 0.7 ms an example: a third of the grader's own
time on a grade of the reference (docs/performance.md).

Why the verdict stays Hypothesis's: at the grade's seed, Hypothesis draws the same inputs in the same order for
every submission that passes them. What it draws depends on its seed and on which inputs failed, never on the
values a check computes (no check calls assume, target or st.data), so a check that passes every recorded input is
a check Hypothesis would have passed on those inputs. A check that fails one is handed to Hypothesis, which finds
the smallest failing input as it always did: its calls of the recorded inputs that already passed return at once,
and its call of the one that failed raises that failure again, so the submission's code runs on the same inputs,
in the same order, as without the recording. Should Hypothesis find no failure (another version of it draws other
inputs), the check fails on the recorded input, and its report names that input.

The recording is tied to the checks' sources: a hash of each checks module and one of their shared helpers. A
module changed since runs its checks under Hypothesis, as before, until `python scripts/drawn_examples.py --write`
records it again; tests/test_drawn_examples.py fails meanwhile. Only the grading profile at the default seed is
recorded: another seed draws other inputs.
"""
import ast
import functools
import hashlib
import inspect
import json

import pytest
from hypothesis.internal.entropy import deterministic_PRNG

from .options import DEFAULT_SEED as SEED
from .options import PROFILE
from .shipped import CHECKS_DIR

FILE = CHECKS_DIR / "drawn_examples.json"


def _digest(paths):
    found = hashlib.sha256()
    for path in paths:
        found.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return found.hexdigest()


def helpers_hash(folder=CHECKS_DIR):
    """What every check's inputs may depend on besides its own module: the strategies, the profile, the helpers."""
    return _digest(sorted(p for p in folder.glob("*.py") if not p.name.startswith("test_")))


def module_hash(path):
    return _digest([path])


def _text(kwargs):
    return repr(dict(sorted(kwargs.items())))


def encode(kwargs):
    """The drawn arguments as a Python literal that reads back to exactly them (-0.0 included), or None."""
    text = _text(kwargs)
    try:
        return text if repr(ast.literal_eval(text)) == text else None
    except (ValueError, SyntaxError):  # nan, inf, or an object with no literal
        return None


def _given(item):
    """The Hypothesis handle of a check drawn by Hypothesis, or None."""
    return getattr(item.obj, "hypothesis", None)


def _fixtures(item):
    return {name: item.funcargs[name] for name in item._fixtureinfo.argnames}


def _drawn(kwargs, names):
    """Of a check's arguments, those Hypothesis draws (names), not its fixtures."""
    return {key: value for key, value in kwargs.items() if key in names}


def _run_by_hypothesis(item, handle, body):
    """Hypothesis runs item's check, calling body (with the check's arguments) where it calls the check's own."""
    own, handle.inner_test = handle.inner_test, body
    try:
        item.obj(**_fixtures(item))
    finally:
        handle.inner_test = own


def _with_input(exc, name, body, kwargs):
    """exc with the note Hypothesis adds to a failure, naming kwargs in body's order (failing_example.py reads it)."""
    order = list(inspect.signature(body).parameters)
    lines = "".join(f"    {key}={kwargs[key]!r},\n" for key in sorted(kwargs, key=order.index))
    exc.__notes__ = [*getattr(exc, "__notes__", ()), f"Falsifying example: {name}(\n{lines})"]
    return exc


class Recorded:
    """pytest plugin: a check whose inputs are recorded and up to date runs on them, without Hypothesis's engine."""

    def __init__(self, recording, folder=CHECKS_DIR):
        self._recording = recording
        self._folder = folder  # where the recorded modules are
        self._fresh = {}  # checks module's name -> its recorded checks, or None when it changed since

    @classmethod
    def for_grade(cls, seed, profile):
        """The plugin for a grade at seed with that Hypothesis profile, or None when nothing is recorded for them."""
        if seed != SEED or profile != PROFILE or not FILE.is_file():
            return None
        recording = json.loads(FILE.read_text(encoding="utf-8"))
        if recording["seed"] != seed or recording["profile"] != profile or recording["helpers"] != helpers_hash():
            return None
        return cls(recording)

    def _checks(self, name):
        """The recorded checks of the checks module name, or None when it is not recorded or changed since."""
        if name not in self._fresh:
            module = self._recording["modules"].get(name)
            fresh = module is not None and module["source"] == module_hash(self._folder / name)
            self._fresh[name] = module["checks"] if fresh else None
        return self._fresh[name]

    def stale(self):
        """The checks modules whose source changed since they were recorded: their checks are drawn by Hypothesis."""
        return sorted(name for name in self._recording["modules"] if self._checks(name) is None)

    def examples(self, item):
        """The inputs recorded for item, in the order Hypothesis draws them, or None."""
        # An instructor's extra tests may share a checks module's name: only the package's own are recorded.
        checks = self._checks(item.path.name) if item.path.parent == self._folder else None
        return None if checks is None else checks.get(item.name)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        handle = _given(pyfuncitem)
        recorded = None if handle is None else self.examples(pyfuncitem)
        if recorded is None:
            return None
        fixtures, body = _fixtures(pyfuncitem), handle.inner_test
        failed = _first_failure(body, fixtures, recorded)
        if failed is None:
            return True
        at, kwargs, failure = failed
        _run_by_hypothesis(pyfuncitem, handle, _replaying(body, recorded[: at + 1], failure, set(handle._given_kwargs)))
        raise _with_input(failure, pyfuncitem.name, body, kwargs)


def _first_failure(body, fixtures, recorded):
    """(index, input, exception) of the first recorded input body fails on, or None."""
    for at, text in enumerate(recorded):
        kwargs = ast.literal_eval(text)
        try:
            # As Hypothesis runs each input: Python's and NumPy's global generators seeded, and put back after.
            with deterministic_PRNG():
                body(**fixtures, **kwargs)
        except KeyboardInterrupt:
            raise
        # Whatever the check raised is Hypothesis's to judge (a worker's failure is a BaseException, which it
        # does not shrink): it gets the same exception, on the same input, as if it had drawn the inputs itself.
        except BaseException as exc:
            return at, kwargs, exc
    return None


def _replaying(body, recorded, failure, names):
    """body as Hypothesis calls it after the last of the recorded inputs failed: while its calls' inputs are, in
    order, those, the ones that passed return at once and the last raises its failure again; from the first call
    that differs (the failure shrunk, or inputs drawn otherwise than recorded), every call runs."""
    position = [0]  # the recorded input Hypothesis should draw next; len(recorded) once it is past them

    @functools.wraps(body)  # Hypothesis names the check in its note, and orders its arguments, by body
    def run(*args, **kwargs):
        at = position[0]
        if at < len(recorded) and _text(_drawn(kwargs, names)) == recorded[at]:
            position[0] += 1
            if position[0] == len(recorded):
                raise failure
            return None
        position[0] = len(recorded)
        return body(*args, **kwargs)

    return run


class Recorder:
    """pytest plugin: records the inputs Hypothesis draws for each check. run_bodies=False runs none of the checks'
    code: what Hypothesis draws for a check that passes does not depend on it (see above)."""

    def __init__(self, run_bodies):
        self.run_bodies = run_bodies
        self.drawn = {}  # checks module file name -> {check name: [encode(kwargs), ...]}

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        handle = _given(pyfuncitem)
        if handle is None:
            return None
        body, names = handle.inner_test, set(handle._given_kwargs)
        drawn = self.drawn.setdefault(pyfuncitem.path.name, {}).setdefault(pyfuncitem.name, [])

        @functools.wraps(body)
        def recording(*args, **kwargs):
            drawn.append(encode(_drawn(kwargs, names)))
            return body(*args, **kwargs) if self.run_bodies else None

        _run_by_hypothesis(pyfuncitem, handle, recording)
        return True
