"""Batch grading throughput: a generated class graded with `python grader.py --batch`, in submissions per second.
The target: at least 1 per second on a 2-core machine, with the default (grading) profile.

    python benchmarks/batch_throughput.py [--size 50] [--jobs N] [--timeout SECONDS] [--keep DIR]

The class (50 by default, the same every time) is a mix like a real one: copies of the reference and correct
variants written differently, catalogued bugs (tests/catalogue/bugs), and broken submissions: syntax errors,
missing files, an empty folder, a file that raises at import, the untouched template, and one that loops forever
at import, which costs its --timeout (70 s here, the shortest a batch allows; the grader's default is 120 s) in one of the jobs' slots.

Printed: the wall time and submissions per second; the CPU time of the grading processes per submission, and
the rate that CPU time allows on the machine's CPUs (what the wall-clock rate comes to on an otherwise idle
machine); the load average, since other work on the machine slows the wall-clock figure; and the statuses.
--keep DIR leaves the class (and DIR-results) there, e.g. to try --batch by hand.
"""
import argparse
import collections
import csv
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mutants import entries, materialise  # noqa: E402
from submissions import copy_of, reference_with  # noqa: E402

BROKEN = {
    "syntax_error_1": {"append": "def broken(:\n    pass\n"},
    "syntax_error_2": {"append": "class Relu\n    pass\n"},
    "syntax_error_3": {"append": "x = (1,\n", "file": "two_layer_net.py"},
    "raises_at_import": {"append": "raise RuntimeError('left over from debugging')\n"},
    "no_layers_py": {"remove": True},
    "no_two_layer_net_py": {"remove": True, "file": "two_layer_net.py"},
    "loops_forever_at_import": {"append": "while True:\n    pass\n"},
}


def _spread(items, count):
    """count items taken evenly across items, in order: the same choice every time."""
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def make_class(directory, size):
    """Write a class of size submissions into directory; {submission: kind}."""
    directory = Path(directory)
    kinds = {}
    broken = len(BROKEN) + 2  # and the empty folder and the untouched template
    correct = (size - broken) // 2
    variants = _spread(entries("variants"), min(correct // 2, len(entries("variants"))))
    for i in range(correct - len(variants)):
        copy_of(ROOT / "reference", directory / f"correct_{i:02d}")
        kinds[f"correct_{i:02d}"] = "correct"
    with tempfile.TemporaryDirectory() as scratch:
        for entry in variants:
            materialise(entry, scratch).rename(directory / f"variant_{entry.name}")
            kinds[f"variant_{entry.name}"] = "correct"
        for entry in _spread(entries("bugs"), size - broken - correct):
            materialise(entry, scratch).rename(directory / f"bug_{entry.name}")
            kinds[f"bug_{entry.name}"] = "buggy"
    for name, change in BROKEN.items():
        reference_with(directory / name, **change)
        kinds[name] = "broken"
    (directory / "empty_folder").mkdir()
    copy_of(ROOT / "student_template", directory / "untouched_template")
    kinds.update(empty_folder="broken", untouched_template="broken")
    return kinds


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=None, help="default: the grader's (the CPUs available)")
    parser.add_argument("--timeout", type=float, default=70.0)
    parser.add_argument("--keep", metavar="DIR", help="write the class here and keep it (and DIR-results)")
    options = parser.parse_args(argv)
    scratch = None
    if options.keep:
        directory = Path(options.keep)
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
    else:
        scratch = tempfile.TemporaryDirectory()
        directory = Path(scratch.name) / "class"
        directory.mkdir()
    try:
        kinds = make_class(directory, options.size)
        out = directory.parent / f"{directory.name}-results"
        command = [sys.executable, str(ROOT / "grader.py"), "--batch", str(directory), "--out", str(out)]
        command += ["--timeout", f"{options.timeout:g}"] + (["--jobs", str(options.jobs)] if options.jobs else [])
        load_before = os.getloadavg()[0]
        cpu, started = _children_cpu(), time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
        if done.returncode != 0:
            sys.exit(done.stderr)
        with open(out / "grades.csv", newline="") as stream:
            rows = list(csv.DictReader(stream))
    finally:
        if scratch is not None:
            scratch.cleanup()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Python {platform.python_version()}, {cpus} CPUs, load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after (1 min)")
    jobs = f" --jobs {options.jobs}" if options.jobs else ""
    print(f"  python grader.py --batch CLASS --timeout {options.timeout:g}{jobs}")
    mix = collections.Counter(kinds.values())
    print(f"  class: {len(rows)} submissions ({mix['correct']} correct, {mix['buggy']} with a catalogued bug, {mix['broken']} broken)")
    statuses = collections.Counter(r["status"] for r in rows)
    print(f"  statuses: {', '.join(f'{s} {n}' for s, n in sorted(statuses.items()))}")
    print(f"  wall {wall:.1f} s: {len(rows) / wall:.2f} submissions per second")
    print(f"  cpu {cpu:.1f} s, {cpu / len(rows):.2f} s per submission: {cpus * len(rows) / cpu:.2f} per second on {cpus} idle CPUs")


if __name__ == "__main__":
    main()
