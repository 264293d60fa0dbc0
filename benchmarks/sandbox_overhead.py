"""What the workers' sandbox (isolation/namespaces.py) costs a worker's start: from a new grading session to the
worker's hello (Python, numpy and the grader's loading modules imported, the sandbox up, the seccomp filter on),
with --sandbox auto against --sandbox off. The target: at most 50 ms more.

    python benchmarks/sandbox_overhead.py [--runs N] [SUBMISSION]     (default: reference)

Two starts are timed: the submission's worker alone, and both workers as a grade starts them (the net worker
forked from the submission's, each putting up its own sandbox). The modes run alternately, so that a busy
moment of the machine slows both alike; the figure to quote is the difference of the medians.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backprop_grader.isolation.session import Session  # noqa: E402
from backprop_grader.options import GradeOptions  # noqa: E402
from backprop_grader.shipped import (
    REFERENCE_DIR,  # noqa: E402
    resolve,  # noqa: E402
)

MODES = ("auto", "off")


def start(submission, mode, both):
    """Seconds from a new session to its workers' hellos; what held of the sandbox."""
    began = time.perf_counter()
    session = Session(submission, options=GradeOptions(sandbox=mode))
    try:
        if both:
            session.start_both(REFERENCE_DIR)
        channels = [session.channel("submission")] + ([session.channel("net", REFERENCE_DIR)] if both else [])
        for channel in channels:
            channel._boot()
        return time.perf_counter() - began, session.sandbox()
    finally:
        session.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submission", nargs="?", default="reference")
    parser.add_argument("--runs", type=int, default=21)
    options = parser.parse_args(argv)
    submission = resolve(options.submission)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs{load}, uid {os.geteuid()}; "
          f"median of {options.runs} starts, ms")
    print(f"  {'':<28}  {'auto':>7}  {'off':>7}  {'difference':>10}")
    for both, label in ((False, "submission worker"), (True, "both workers (a grade)")):
        times = {mode: [] for mode in MODES}
        held = None
        start(submission, "auto", both)  # warm the file cache
        for _ in range(options.runs):
            for mode in MODES:
                seconds, status = start(submission, mode, both)
                times[mode].append(seconds * 1000)
                held = status if mode == "auto" else held
        auto, off = (statistics.median(times[mode]) for mode in MODES)
        print(f"  {label:<28}  {auto:>7.1f}  {off:>7.1f}  {auto - off:>+10.1f}")
    print(f"  what held: {held}")


if __name__ == "__main__":
    main()
