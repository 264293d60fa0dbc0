"""Wall time of a whole grade, `python grader.py SUBMISSION`, beside the floor no grade can beat: starting
Python and importing numpy, pytest and hypothesis, and each grade's wall time as a multiple of it. The targets
(issue #20): the reference at most 1.0 s and 2.5 times the floor, the untouched template at most 0.7 s.

    python benchmarks/grade_time.py [--runs N] [--chapter C] [SUBMISSION ...]   (default: reference and student_template)

With --chapter 7, `reference` is chapter 7's (Convolution, Pooling and SimpleConvNet graded on the reference in
the grader, called back from the net worker).

Each command runs N times, interleaved so that a busy moment of the machine slows all of them alike; the
median is the figure to quote, min and max show the spread. CPU time (user + system, POSIX only) is printed
beside the wall time: on a shared machine the wall time grows with the load, the CPU time hardly does. Run it
as a user's grade runs, with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE unset): it says so otherwise.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: wall time only
    resource = None

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import numpy, pytest, hypothesis"]


def _children_cpu():
    if resource is None:
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command):
    """(wall, cpu) seconds of one run of command."""
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, _children_cpu() - cpu


def _spread(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="*", default=["reference", "student_template"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chapter", type=int, help="the book's chapter to grade (the grader's default: 5)")
    options = parser.parse_args(argv)
    chapter = [] if options.chapter is None else ["--chapter", str(options.chapter)]
    commands = {'python -c "import numpy, pytest, hypothesis"  (floor)': FLOOR}
    for submission in options.submissions:
        commands[" ".join(["python grader.py", submission, *chapter])] = [sys.executable, "grader.py", submission, *chapter]
    times = {label: [] for label in commands}
    for _ in range(options.runs):
        for label, command in commands.items():
            times[label].append(timed(command))
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs{load}; median (min-max) of {options.runs} runs, s")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # An installed grader loads its modules compiled; here every run compiles them again, as no user's does.
        print("  PYTHONDONTWRITEBYTECODE is set: each grade compiles the grader's modules (~0.04 s more than installed)")
    width = max(len(label) for label in commands)
    floor = statistics.median(w for w, _ in next(iter(times.values())))
    print(f"  {'':<{width}}  {'wall':<16}  {'cpu':<16}  wall / floor")
    for label, found in times.items():
        walls = [w for w, _ in found]
        ratio = statistics.median(walls) / floor
        print(f"  {label:<{width}}  {_spread(walls):<16}  {_spread([c for _, c in found]):<16}  {ratio:.2f}")


if __name__ == "__main__":
    main()
