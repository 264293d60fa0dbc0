"""The isolation session's time limits (isolation/session.py's Limits) for a submission whose code runs in the
grader's own process: check() in a notebook, and --no-isolate.

A worker's calls are timed by the grader waiting for its reply; in this process nothing waits, so a timer does
the waiting: SIGALRM every TICK seconds, whose handler looks at the stack it interrupted. The outermost frame of
the submission's code there is the call a check made into it (the call a worker would have been sent); when one
call has lasted call_seconds, or the submission's code has run check_seconds in one check or grade_seconds in all,
the handler raises the same WorkerFailure the session raises, from inside that code, with the same message key,
call and seconds: the verdicts are the command line's. WorkerFailure derives from BaseException, so the
submission's `except Exception` does not swallow it. Only the submission's time is charged, to a tick, as only the
worker's is when isolated.

A signal handler runs in the main thread only, and needs setitimer (POSIX): elsewhere (a grade run from another
thread, Windows) there is no limit, as before. While pytest's debugger runs (a breakpoint() of the learner's),
the clock stops.
"""
import signal
import threading
import time

import pytest

from .isolation.errors import WorkerFailure
from .isolation.session import Limits
from .shipped import CHECKS_DIR
from .sources import in_submission

TICK = 0.05  # seconds between two looks at the stack


def available():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _seconds(value):
    return f"{value:g}"


class InProcessLimits:
    """A pytest plugin: Limits for code of the submission's (is_theirs(code object) says which) in this process."""

    def __init__(self, is_theirs, limits=Limits()):
        self.is_theirs = is_theirs
        self.limits = limits
        self.known = {}  # code object -> whether it is the submission's
        self.in_checks = {}  # code object -> whether it is the checks' own (which call the submission)
        self.check_spent = 0.0
        self.grade_spent = 0.0
        self.call = None  # (the outermost frame of the submission's, when it was first seen)
        self.paused = False
        self.last = None
        self.previous = None

    def _theirs(self, code):
        if code not in self.known:
            self.known[code] = bool(self.is_theirs(code))
        return self.known[code]

    def _outermost(self, frame):
        """The outermost frame of the submission's code below the check that called it (the code that called the
        check, a notebook's cell, may be the learner's too)."""
        outer = None
        while frame is not None and not self._checks(frame.f_code):
            if self._theirs(frame.f_code):
                outer = frame
            frame = frame.f_back
        return outer

    def _checks(self, code):
        if code not in self.in_checks:
            self.in_checks[code] = in_submission(code.co_filename, CHECKS_DIR)
        return self.in_checks[code]

    def _tick(self, signum, frame):
        now = time.monotonic()
        elapsed, self.last = now - self.last, now
        if self.paused:
            return
        outer = self._outermost(frame)
        if outer is None:
            self.call = None
            return
        self.check_spent += elapsed
        self.grade_spent += elapsed
        if self.call is None or self.call[0] is not outer:
            self.call = (outer, now - elapsed)
        code = outer.f_code
        label = getattr(code, "co_qualname", code.co_name)
        limits = self.limits
        for spent, key, limit in (
            (now - self.call[1], "timeout", limits.call_seconds),
            (self.check_spent, "check_timeout", limits.check_seconds),
            (self.grade_spent, "grade_timeout", limits.grade_seconds),
        ):
            if spent >= limit:
                self.call = None
                raise WorkerFailure(key, call=label, seconds=_seconds(limit))

    def pytest_sessionstart(self, session):
        self.last = time.monotonic()
        self.previous = signal.signal(signal.SIGALRM, self._tick)
        signal.setitimer(signal.ITIMER_REAL, TICK, TICK)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.stop()

    def stop(self):
        if self.previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            self.previous = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.check_spent = 0.0
        self.call = None

    def pytest_enter_pdb(self, pdb):
        self.paused = True

    def pytest_leave_pdb(self, pdb):
        self.paused = False
        self.call = None  # the time in the debugger is nobody's
