"""How what went wrong in a worker becomes an exception in the grader.

An exception the submission raised comes back as data (type name, message, two frames) and is raised again here
as an instance of a class made in the grader: named like the original, a subclass of the builtin it derived from
(a NotImplementedError is still a NotImplementedError), never the submission's own class. It is raised from code
compiled under the submission's file name and line, with the function's qualified name, so its innermost frames
are the ones it had in the worker: the plugin locates it ("layers.py, line 12", "Relu.forward") and Hypothesis
tells distinct errors apart exactly as when the code runs in the grader's own process.

A WorkerFailure is the worker itself failing: too slow, ended, crashed, out of memory, answering garbage. It is a
BaseException, which Hypothesis lets through instead of shrinking or replaying the example: the check it
happens in fails at once, with the message key it carries.
"""
import builtins
from functools import lru_cache

from ..qualnames import code_at
from ..results import SubmissionError


class WorkerFailure(BaseException):
    """The worker running the submission failed as a process; key names the message, params fill it in."""

    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}")


class WorkerBug(BaseException):
    """The worker's own code failed (not the submission's): a bug of the grader's, which must fail the run that
    meets it, never pass for a failure of the submission. A BaseException, so that no check's `except Exception`
    takes it for the submission's error and Hypothesis does not shrink or replay it."""


class RemoteError(Exception):
    """Base of every exception re-raised from a worker; str() is the message the original had."""

    remote_message = ""

    def __str__(self):
        return self.remote_message


@lru_cache(maxsize=None)
def remote_class(name, base):
    """The grader's class for a remote exception type `name` deriving from the builtin exception `base`."""
    parent = getattr(builtins, base, None) if base else None
    if not (isinstance(parent, type) and issubclass(parent, Exception)):
        parent = Exception
    try:
        return type(name, (RemoteError, parent), {"__module__": "submission"})
    except TypeError:  # a builtin whose layout does not combine with another base
        return type(name, (RemoteError,), {"__module__": "submission"})


@lru_cache(maxsize=None)
def submission_error_class(base):
    """SubmissionError, also a subclass of the builtin exception base when the worker's was (a misspelt member
    is an AttributeError too, which a check catches like any AttributeError)."""
    parent = getattr(builtins, base, None) if base else None
    if not (isinstance(parent, type) and issubclass(parent, Exception)) or parent is Exception:
        return SubmissionError
    return type("SubmissionError", (SubmissionError, parent), {"__module__": "submission"})


def remote_exception(name, base, message):
    exc = remote_class(name, base).__new__(remote_class(name, base))
    exc.args = (message,)
    exc.remote_message = message
    return exc


def raise_through(exc, frames):
    """Raise exc from a chain of frames, outermost first, each (file name, line, qualified name)."""
    filename, line, qualname = frames[0]
    last = len(frames) == 1
    scope = {"__exc": exc, "__next": lambda: raise_through(exc, frames[1:])}
    exec(code_at("raise __exc" if last else "__next()", filename, line, qualname), scope)
