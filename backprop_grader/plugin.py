"""pytest plugin that turns each graded check's outcome into a CheckResult, from hooks and exception objects.

Nothing is parsed out of pytest's text output: the points and layer come from the markers tests/checks.py puts
on each test, and the failure from the exception the test raised (a CheckFailure carries its own diagnosis).
"""
import inspect
from pathlib import Path

import pytest

from . import LAYERS
from .feedback import CheckFailure, location, show
from .loader import SubmissionError
from .messages import msg
from .results import ERROR, FAILED, NOT_RUN, PASSED, SKIPPED, Check, CheckResult, Failure


def check_of(item):
    """The Check an item declares, or None for a test that is not graded."""
    layers = [m.name for m in item.iter_markers() if m.name in LAYERS]
    points = item.get_closest_marker("points")
    if not layers or points is None:
        return None
    # The docstring's first paragraph, one sentence even when wrapped over lines.
    doc = inspect.cleandoc(getattr(item.obj, "__doc__", None) or "").split("\n\n")[0].split()
    name = item.originalname if hasattr(item, "originalname") else item.name
    return Check(
        id=item.nodeid,
        layer=layers[0],
        name=name.removeprefix("test_"),
        points=float(points.args[0]),
        strict=item.get_closest_marker("strict") is not None,
        description=" ".join(doc),
    )


def _falsifying_example(exc):
    """Hypothesis's note naming the smallest failing arguments, without the fixtures."""
    for note in getattr(exc, "__notes__", ()):
        if note.startswith("Falsifying"):
            body = note.split("(", 1)[-1].rsplit(")", 1)[0]
            args = [a.strip().rstrip(",") for a in body.splitlines() if a.strip()]
            args = [a for a in args if not a.startswith(("impl=", "ref=", "net_class="))]
            return ", ".join(args)
    return None


def failure_of(exc, submission=None):
    """A Failure that says, in message-key form, what a check's exception means for a student."""
    example = _falsifying_example(exc)
    if isinstance(exc, CheckFailure):
        return Failure(exc.key, exc.params, exc.hint, example)
    if isinstance(exc, SubmissionError):
        return Failure(exc.key, exc.params, None, example)
    where = location(exc, submission) if submission else msg("where_outside")
    if isinstance(exc, NotImplementedError):
        return Failure("not_implemented", {"message": str(exc), "where": where}, None, example)
    if isinstance(exc, AssertionError):
        return Failure("check_failed", {"message": show(str(exc), 500)}, None, example)
    return Failure("raised", {"error": f"{type(exc).__name__}: {show(str(exc), 300)}", "where": where}, None, example)


class GradingPlugin:
    """Collects one CheckResult per graded check into self.results (in collection order)."""

    def __init__(self, submission=None):
        self.submission = Path(submission).resolve() if submission else None
        self.results = {}
        self.order = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            check = check_of(item)
            if check is not None:
                self.order.append(check.id)
                self.results[check.id] = CheckResult(check, NOT_RUN, Failure("not_run"))

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
            status = FAILED if report.when == "call" else ERROR
            if result.status in (NOT_RUN, PASSED):
                result.status = status
                result.failure = failure_of(call.excinfo.value, self.submission)

    def ordered_results(self):
        return [self.results[i] for i in self.order]
