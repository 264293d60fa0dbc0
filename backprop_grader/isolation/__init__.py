"""Running a submission's code in worker processes, so that it can neither crash nor cheat the grader.

The checks, the reference, every comparison and the scores stay in the grader's process; a worker runs only the
submission's code and sends back plain data (wire.py). Tests reach the submission through the `impl` fixture,
which in isolated mode hands out proxies (proxies.py) that forward each call to a worker (session.py) started
and stopped from outside (process.py), locked down before it runs submission code (sandbox.py, worker.py).
The README's threat model says what this defends and what it does not.
"""
import os


def available():
    """Whether this system can run workers: POSIX (Linux locks them down fully; see sandbox.py)."""
    return os.name == "posix"
