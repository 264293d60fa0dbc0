"""What a check compared: the results it handed to diagnose's expect_* functions, seen by whoever listens.

Nobody listens while grading; only when a check has failed does mutation/replay.py run it again, listening, on
the submission and on the reference's mutants, to find the mutant that gives every value the submission gave.
"""
from contextlib import contextmanager

_listener = None


def record(actual):
    """Pass actual, a value a check is about to compare, to the listener, if one listens."""
    if _listener is not None:
        _listener(actual)


@contextmanager
def listening(listener):
    """Call listener(actual) for every value compared inside the block."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
