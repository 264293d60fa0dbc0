"""One thread for BLAS and OpenMP, in the grader's processes as in its workers.

NumPy's BLAS starts a thread per CPU, and after a matrix product those threads spin a while waiting for the
next: in a grade that is a core's worth of CPU taken from the worker the grade waits for, or from the other
grade of a batch, for nothing (the checks' products are small). Measured with `python grader.py reference`:
~0.15 s less CPU a grade, the same wall time (docs/performance.md).

BLAS reads these variables once, as NumPy loads it: the command line's entry points call one_thread() before
anything imports numpy, and processes the grader starts get them in environment(). A value the caller set is
kept. Standard library only, imported before numpy.
"""
import os

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def environment():
    """This process's environment with ONE_THREAD's variables wherever it has none: for a process it starts."""
    return {**ONE_THREAD, **os.environ}


def one_thread():
    """ONE_THREAD in this process's environment, wherever it has none: before numpy is first imported."""
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
