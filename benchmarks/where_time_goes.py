"""Where a grade's time goes: the grader's CPU time by phase, its workers' CPU time, and the round trips between
them, for each submission graded isolated (the default) and in one process (--no-isolate).

    python benchmarks/where_time_goes.py [--runs N] [SUBMISSION ...]     (default: reference and student_template)

Each grade runs in a fresh Python process, as `python grader.py` does; the figures are medians of N runs
(default 5), in CPU seconds, which the machine's load hardly moves (docs/performance.md quotes them):
- start-up: starting Python and importing the grader (numpy, pytest and Hypothesis among it): the floor;
- collection: pytest reading the checks' modules, until the first check starts;
- checks, by layer: the check bodies, Hypothesis's engine and, isolated, the grader's side of each round trip;
- end: after the last check (the workers stopped, the result built);
- workers: the CPU time of the worker processes (Python and numpy started in each, the submission's code);
- round trips: replies the grader waited for, and callbacks it served for the net worker (TwoLayerNet's layers).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from backprop_grader.blas import environment

ROOT = Path(__file__).resolve().parent.parent


def child(submission, isolate):
    """Grade once in this process and print the figures as JSON."""
    from backprop_grader.book import ALL_LAYERS, checks_module_name
    from backprop_grader.isolation import session
    from backprop_grader.limits import freeze_what_is_loaded
    from backprop_grader.run import grade

    imported = time.process_time()
    marks = {"collected": None, "checks": {}}
    counts = {"waited": 0, "callbacks": 0}
    flush, serve = session.Channel._flush, session.Channel._serve

    def counted_flush(self, waiting):
        counts["waited"] += 1
        return flush(self, waiting)

    def counted_serve(self, *args):
        counts["callbacks"] += 1
        return serve(self, *args)

    session.Channel._flush, session.Channel._serve = counted_flush, counted_serve
    layer_of = {f"{checks_module_name(name)}.py": name for name in ALL_LAYERS}
    last = [None]

    class Timing:
        def pytest_collection_finish(self, session):
            marks["collected"] = last[0] = time.process_time()

        def pytest_runtest_logfinish(self, nodeid, location):
            now = time.process_time()
            layer = layer_of.get(Path(location[0]).name, "other")
            marks["checks"][layer] = marks["checks"].get(layer, 0.0) + now - last[0]
            last[0] = now

    sys.modules["_where_time_goes"] = Timing()
    freeze_what_is_loaded()  # as `python grader.py` does before it grades
    grade(submission, isolate=isolate, extra_args=("-p", "_where_time_goes"))
    ended = time.process_time()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "start-up": imported, "collection": marks["collected"] - imported, **marks["checks"],
        "end": ended - last[0], "workers": workers.ru_utime + workers.ru_stime, **counts,
    }))


def measure(submission, isolate, runs):
    found = []
    for _ in range(runs):
        # One BLAS thread, as the command line's entry points ask for before numpy loads (blas.py).
        done = subprocess.run([sys.executable, __file__, "--child", submission, *([] if isolate else ["--no-isolate"])],
                              cwd=ROOT, capture_output=True, text=True, check=True, env=environment())
        found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in found) for key in found[0]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="*", default=["reference", "student_template"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-isolate", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        child(options.submissions[0], not options.no_isolate)
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"median of {options.runs} runs, CPU s")
    for submission in options.submissions:
        for isolate in (True, False):
            figures = measure(submission, isolate, options.runs)
            grader = sum(v for k, v in figures.items() if k not in ("workers", "waited", "callbacks"))
            mode = "isolated" if isolate else "--no-isolate"
            print(f"  {submission}, {mode}: grader {grader:.2f} + workers {figures['workers']:.2f}; "
                  f"{figures['waited']:.0f} replies waited for, {figures['callbacks']:.0f} callbacks served")
            phases = ", ".join(f"{k} {v:.2f}" for k, v in figures.items() if k not in ("workers", "waited", "callbacks"))
            print(f"    {phases}")


if __name__ == "__main__":
    main()
