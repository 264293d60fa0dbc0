"""What isolation costs a whole grade: `python grader.py SUBMISSION` (the submission's code in worker processes)
against `python grader.py SUBMISSION --no-isolate` (in the grader's own process). The target: at most 1 s more.

    python benchmarks/isolation_overhead.py [--runs N] [SUBMISSION ...]     (default: reference and student_template)

The two commands run alternately, N times each, so that a busy moment of the machine slows both alike; the
figure to quote is the difference of the medians. CPU time (user + system of the grader and its workers) is
printed beside the wall time: it hardly moves with the machine's load, while every round trip to a worker waits
for the scheduler and so the wall time of the isolated grade grows with it.
"""
import argparse
import os
import platform
import statistics
import sys

from grade_time import timed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="*", default=["reference", "student_template"])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args(argv)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs{load}; median of {options.runs} runs, s")
    print(f"  {'':<34}  {'isolated':>8}  {'--no-isolate':>12}  {'difference':>10}")
    for submission in options.submissions:
        modes = {"isolated": [sys.executable, "grader.py", submission]}
        modes["--no-isolate"] = modes["isolated"] + ["--no-isolate"]
        times = {mode: [] for mode in modes}
        for _ in range(options.runs):
            for mode, command in modes.items():
                times[mode].append(timed(command))
        for index, unit in ((0, "wall"), (1, "cpu")):
            isolated, in_process = (statistics.median(t[index] for t in times[mode]) for mode in modes)
            label = f"grader.py {submission} ({unit})"
            print(f"  {label:<34}  {isolated:>8.2f}  {in_process:>12.2f}  {isolated - in_process:>+10.2f}")


if __name__ == "__main__":
    main()
