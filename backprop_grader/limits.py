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

The grader's own memory is limited too (grader_memory, around a grade on the command line): replies are bounded
(isolation/replies.py), but nothing else would stop a grader that keeps growing from taking the machine down with
it. Past GRADER_MEMORY_MB more than it held at its start (BACKPROP_GRADER_MEMORY_MB, in MB, to change it), an
allocation fails with MemoryError, which the grade reports as the grader's own failure (GraderOutOfMemory), with no
score, instead of charging it to a check.
"""
import contextlib
import gc
import os
import signal
import threading
import time

from pluggy import HookimplMarker

from .isolation.errors import WorkerFailure
from .isolation.session import Limits
from .messages import DEFAULT_LANGUAGE, render
from .qualnames import qualname
from .shipped import CHECKS_DIR
from .sources import in_submission

# pytest's own marker (pytest.hookimpl is this): the command line imports this module before pytest, so that the
# workers start while pytest and Hypothesis are imported (cli.py).
hookimpl = HookimplMarker("pytest")

TICK = 0.05  # seconds between two looks at the stack
# What the grader may allocate beyond what it holds at its start (Python, numpy, pytest, Hypothesis: a few hundred
# MB of address space, more with a BLAS thread pool per core), for honest grading with room to spare: a grade
# needs ~100 MB of it.
GRADER_MEMORY_MB = 4096
GRADER_MEMORY_ENV = "BACKPROP_GRADER_MEMORY_MB"


# The exit status of a grade the grader's own memory stopped (0: graded, 1: --fail-under, 2: a usage error).
GRADER_OUT_OF_MEMORY = 3


class GraderOutOfMemory(MemoryError):
    """The grader itself failed to allocate in a check: no score can be given."""


def out_of_memory_message(allowance, lang=DEFAULT_LANGUAGE):
    """What a grade stopped by the grader's own memory says: its allowance and how to change it."""
    return render("grader_out_of_memory", lang, megabytes=allowance or grader_memory_mb(), variable=GRADER_MEMORY_ENV)


def grader_memory_mb(environ=None):
    """GRADER_MEMORY_MB, or the positive whole number of MB that BACKPROP_GRADER_MEMORY_MB gives."""
    value = (os.environ if environ is None else environ).get(GRADER_MEMORY_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else GRADER_MEMORY_MB


def _address_space():
    """The bytes of address space this process holds now (Linux), or None where that cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def grader_memory(megabytes=None):
    """Within the block, this process's address space (RLIMIT_AS, soft) is capped at what it holds now plus
    megabytes (grader_memory_mb()); yields that allowance in MB, or None where no cap could be set (no
    /proc: another OS). The workers it starts lower their own cap further (isolation/sandbox.py)."""
    megabytes = grader_memory_mb() if megabytes is None else megabytes
    held = _address_space()
    try:
        import resource
    except ImportError:  # Windows
        resource = None
    if held is None or resource is None:
        yield None
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = held + megabytes * 2**20
    cap = min(c for c in (cap, soft, hard) if c != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield megabytes
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def freeze_what_is_loaded():
    """Leave every object alive now (the imports' some 50,000) out of the garbage collector's passes from here on,
    in a process of the grader's own that grades and exits, or forks children that do: Hypothesis collects all
    garbage once a process (register_random), a pass over them that cost a grade ~25 ms, and in a forked child
    would also copy every page they are on. Not for a process that is not ours (a notebook's kernel): they would
    stay frozen for good."""
    gc.freeze()


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
        label = qualname(code)
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

    @hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.stop()

    def stop(self):
        if self.previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            self.previous = None

    @hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.check_spent = 0.0
        self.call = None

    def pytest_enter_pdb(self, pdb):
        self.paused = True

    def pytest_leave_pdb(self, pdb):
        self.paused = False
        self.call = None  # the time in the debugger is nobody's
