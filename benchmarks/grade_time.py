"""Wall time of a whole grade, `python grader.py SUBMISSION`, beside the floor no grade can beat: starting
Python and importing numpy, pytest and hypothesis. The target: under 3 s for one submission.

    python benchmarks/grade_time.py [--runs N] [SUBMISSION ...]     (default: reference and student_template)

Each command runs N times, interleaved so that a busy moment of the machine slows all of them alike; the
median is the figure to quote, min and max show the spread.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import numpy, pytest, hypothesis"]


def wall_time(command):
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="*", default=["reference", "student_template"])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args(argv)
    commands = {'python -c "import numpy, pytest, hypothesis"  (floor)': FLOOR}
    for submission in options.submissions:
        commands[f"python grader.py {submission}"] = [sys.executable, "grader.py", submission]
    times = {label: [] for label in commands}
    for _ in range(options.runs):
        for label, command in commands.items():
            times[label].append(wall_time(command))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs; median (min-max) of {options.runs} runs, wall s")
    width = max(len(label) for label in commands)
    for label, found in times.items():
        print(f"  {label:<{width}}  {statistics.median(found):.2f} ({min(found):.2f}-{max(found):.2f})")


if __name__ == "__main__":
    main()
