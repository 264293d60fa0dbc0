"""pytest plugin that turns each graded check's outcome into a CheckResult, from hooks and exception objects.

Nothing is parsed out of pytest's text output: the points and layer come from the markers tests/checks.py puts
on each test, and the failure from the exception the test raised (a CheckFailure carries its own diagnosis).
"""
import inspect
import re
from pathlib import Path

import pytest

from . import counting, failing_example, names
from .book import ALL_LAYERS
from .feedback import CheckFailure
from .isolation.errors import WorkerFailure
from .printed import Tail
from .pytest_plugin import loaded_implementation, sandbox_status, seed
from .qualnames import qualname
from .results import ERROR, FAILED, NOT_RUN, PASSED, SKIPPED, Check, CheckResult, Failure, SubmissionError
from .shipped import CHECKS_DIR
from .sources import in_submission, location

try:
    _EXCEPTION_GROUPS = BaseExceptionGroup
except NameError:  # Python 3.10: Hypothesis raises the exceptiongroup backport's class
    from exceptiongroup import BaseExceptionGroup as _EXCEPTION_GROUPS


def _summary(docstring):
    """A docstring's first paragraph on one line: a check's summary may wrap onto a second line."""
    first = inspect.cleandoc(docstring or "").split("\n\n")[0]
    return " ".join(line.strip() for line in first.splitlines())


def check_of(item):
    """The Check an item declares, or None for a test that is not graded."""
    layers = [m.name for m in item.iter_markers() if m.name in ALL_LAYERS]
    points = item.get_closest_marker("points")
    if not layers or points is None:
        return None
    name = item.originalname if hasattr(item, "originalname") else item.name
    return Check(
        id=item.nodeid,
        layer=layers[0],
        name=name.removeprefix("test_"),
        points=float(points.args[0]),
        strict=item.get_closest_marker("strict") is not None,
        description=_summary(getattr(item.obj, "__doc__", None)),
    )


def _falsifying_example(exc):
    """Hypothesis's smallest failing arguments, without the fixtures."""
    args = failing_example.arguments(exc)
    if args is None:
        return None
    return ", ".join(a for a in args if not a.startswith(("impl=", "ref=", "net_class=")))


def _frames(exc):
    """(code, line number) of each frame the exception passed through, outermost first; not those of the class
    wrapper that names a misspelt member (names.wrap) nor those of the reference layers' call counters
    (counting.py), which stand between the submission and Python."""
    found, tb = [], exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename not in (names.__file__, counting.__file__):
            found.append((tb.tb_frame.f_code, tb.tb_lineno))
        tb = tb.tb_next
    return found


def _in(code, submission):
    """Whether code is the submission's: under its folder (a Path), or compiled from one of its files (a frozenset
    of file names, for objects in memory: check()'s)."""
    if isinstance(submission, frozenset):
        return code.co_filename in submission
    return submission is not None and in_submission(code.co_filename, submission)


def is_theirs(submission):
    """code object -> whether it is the submission's (see _in)."""
    return lambda code: _in(code, submission)


def _where(filename, line, submission):
    return location(filename, line, Path(filename).parent if isinstance(submission, frozenset) else submission)


def _called_by_submission(frames, submission):
    """Whether every frame past the submission's innermost one is code it called, none of the checks' own."""
    last = max(i for i, (code, _) in enumerate(frames) if _in(code, submission))
    after = frames[last + 1 :]
    return bool(after) and not any(_in(code, CHECKS_DIR) for code, _ in after)


def _failure_text(excinfo):
    return excinfo.exconly()


def _first_leaf(exc):
    """The first exception of a (nested) group: Hypothesis raises a group when it finds several distinct bugs."""
    while isinstance(exc, _EXCEPTION_GROUPS) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _clip(text, max_chars=300):
    # Object reprs carry memory addresses, which would make two reports of the same submission differ.
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."


def failure_of(exc, submission=None):
    """A Failure that says, in message-key form, what a check's exception means for a student.

    Locations name the submission's file and line (the deepest frame inside it), never the grader's code.
    """
    exc = _first_leaf(exc)
    example = _falsifying_example(exc)
    if isinstance(exc, CheckFailure):
        return Failure(exc.key, exc.params, exc.hint, example)
    if isinstance(exc, (SubmissionError, WorkerFailure)):
        return Failure(exc.key, exc.params, None, example)
    frames = _frames(exc)
    mine = [(code, line) for code, line in frames if _in(code, submission)]
    where = _where(mine[-1][0].co_filename, mine[-1][1], submission) if mine else None
    error = f"{type(exc).__name__}: {_clip(str(exc))}" if str(exc) else type(exc).__name__
    if isinstance(exc, NotImplementedError) and mine:
        code = mine[-1][0]
        function = qualname(code)  # Relu.forward, where co_name says only forward
        return Failure("not_implemented", {"function": function, "where": where}, None, example)
    if frames and _in(frames[-1][0], submission):
        return Failure("raised", {"error": error, "where": where}, None, example)
    if mine and _called_by_submission(frames, submission):
        # Raised in code the submission's called (a reference layer under its TwoLayerNet, numpy's Python code):
        # what it passed, or when, is the mistake, at the submission's line that made the call. No hint: which
        # of its calls went wrong (its order, or a loss that skipped predict) the exception does not tell.
        callee = qualname(frames[-1][0])
        return Failure("raised_in_call", {"error": error, "function": callee, "where": where}, None, example)
    if isinstance(exc, AssertionError):
        return Failure("check_failed", {"message": _clip(str(exc), 500)}, None, example)
    # Raised in the check itself, by what the submission returned (one array where a tuple belongs, ...).
    return Failure("unusable_result", {"error": error}, None, example)


def grader_out_of_memory(exc, submission=None):
    """Whether exc is a MemoryError of the grader's own code (a comparison, a reply decoded): none of its frames
    is the submission's. Isolated, the submission's own memory runs out in its worker, never here."""
    exc = _first_leaf(exc)
    return isinstance(exc, MemoryError) and not any(_in(code, submission) for code, _ in _frames(exc))


_DIAGNOSIS = pytest.StashKey()  # the mutation.replay.Diagnosis of a check's failure, if it found one


def _with_diagnosis(failure, diagnosis):
    """failure, its hint naming the mutant of the reference that behaves as the submission did, unless it has a
    hand-written hint already (those come first)."""
    if diagnosis is None or failure.hint is not None:
        return failure
    return Failure(failure.key, {**failure.params, **diagnosis.params}, diagnosis.hint, failure.example)


# The options of pytest's terminal plugin that code still running without it reads (_pytest.debugging's
# create_terminal_writer), with that plugin's defaults.
TERMINAL_OPTIONS = {"color": "auto", "code_highlight": "yes"}


class GradingPlugin:
    """Collects one CheckResult per graded check into self.results (in collection order)."""

    def __init__(self, submission=None, on_check=None):
        # The submission's folder, or the files its objects were compiled from (frozenset: an implementation in
        # memory), for the frames that are its own.
        if isinstance(submission, frozenset):
            self.submission = submission
        else:
            self.submission = Path(submission).resolve() if submission else None
        self.on_check = on_check  # on_check(results so far): as each graded check ends (run.grade)
        self.results = {}
        self.order = []
        self.notes = []
        self.sandbox = None
        self.printed = Tail()  # what the submission printed, in this process (printed.py)
        self.interrupted = None  # the KeyboardInterrupt (or pytest.exit: pdb's quit) that stopped the session
        self.config = None
        self.out_of_memory = False  # the grader failed to allocate in a check: the grade stops, with no score
        self.suspects = None  # mutation.suspects.Suspects, once a check has failed

    def pytest_sessionfinish(self, session):
        # What the loader noted while loading (intake.py: a skipped training loop, which file was graded).
        impl = loaded_implementation(session.config)
        self.notes = list(getattr(impl, "notes", ()))
        self.sandbox = sandbox_status(session.config)  # what held in the workers that ran (None: none ran)

    def pytest_configure(self, config):
        self.config = config
        # pytest formats a traceback for every failure, which no report reads: the cheapest style, "value", saves
        # ~15% of the CPU time of grading the template. (--tb belongs to the terminal plugin, disabled here.)
        config.option.tbstyle = "value"
        # The terminal plugin (disabled: -p no:terminal) declares --color and --code-highlight, which pytest's
        # debugger integration reads when a learner's breakpoint() starts pdb: their defaults, as it has them.
        for name, default in TERMINAL_OPTIONS.items():
            if not hasattr(config.option, name):
                setattr(config.option, name, default)

    def pytest_keyboard_interrupt(self, excinfo):
        self.interrupted = excinfo.value

    def pytest_runtest_logreport(self, report):
        # What a check printed, held by pytest's capture: the teardown's report carries every phase's.
        if report.when == "teardown":
            self.printed.add(report.capstdout)
            self.printed.add(report.capstderr)
            if self.on_check is not None and report.nodeid in self.results:
                self.on_check(self.ordered_results())

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            # pytest's text of a failed call, which no report of the grader shows: even in the style "value" it
            # filters the whole traceback first, a sixth of the CPU of grading the template's failing checks.
            item.repr_failure = _failure_text
            check = check_of(item)
            if check is not None:
                self.order.append(check.id)
                self.results[check.id] = CheckResult(check, NOT_RUN, Failure("not_run"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        """A failed check that is worth points is run again on its failing input, on the submission and on the
        reference's mutants (mutation/replay.py): inside the call, so that its time counts to the check's."""
        outcome = yield
        result = self.results.get(item.nodeid)
        if outcome.excinfo is None or result is None or not result.check.points:
            return
        from .mutation.replay import diagnose  # only once a check has failed
        from .mutation.suspects import Suspects

        if self.suspects is None:
            self.suspects = Suspects()
        passed = [  # the layer's checks passed so far: a change that fails one is not the submission's mistake
            other for other in item.session.items
            if (done := self.results.get(other.nodeid)) and done.status == PASSED and done.check.layer == result.check.layer
        ]
        found = diagnose(item, _first_leaf(outcome.excinfo[1]), result.check.layer, seed(item.config), self.suspects, passed)
        if found is not None:
            item.stash[_DIAGNOSIS] = found
        # An earlier check of the layer that waited for suspects (a large one) may be named by them now.
        for key, earlier in self.suspects.settled(result.check.layer):
            self.results[key].failure = _with_diagnosis(self.results[key].failure, earlier)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        result = self.results.get(item.nodeid)
        if result is None:
            return
        result.duration += report.duration
        if report.when == "call" and report.passed:
            result.status, result.failure = PASSED, None
        elif report.skipped:
            result.status, result.failure = SKIPPED, Failure("skipped")
        elif report.failed:
            if grader_out_of_memory(call.excinfo.value, self.submission):
                self.out_of_memory = True
                item.session.shouldstop = "the grader ran out of memory"
            status = FAILED if report.when == "call" else ERROR
            if result.status in (NOT_RUN, PASSED):
                result.status = status
                result.failure = _with_diagnosis(failure_of(call.excinfo.value, self.submission), item.stash.get(_DIAGNOSIS, None))

    def ordered_results(self):
        return [self.results[i] for i in self.order]
