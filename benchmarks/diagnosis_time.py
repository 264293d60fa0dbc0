"""What naming a failure by the reference's mutants costs: the wall and CPU time of `python grader.py SUBMISSION`
for submissions that fail every check of one layer, with the mutants' diagnosis (as graded) and without it (the
grader as it was before: its diagnosis replaced by one that finds nothing). The target: at most 10% more.

    python benchmarks/diagnosis_time.py [--runs N] [MUTANT_ID ...]

Each submission is the reference with one mutant of backprop_grader/mutation/table.json applied (by default, per
layer, the one that fails the most of its layer's checks), written to a temporary folder that is removed
afterwards. The two ways of grading run alternately, N times each (default 5); the medians are compared.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grade_time import _children_cpu

from backprop_grader.mutation.table import mutants, mutated_source
from backprop_grader.shipped import REFERENCE_DIR

# Per layer, the mutant that fails the most of its checks (scripts/mutation_score.py): all of them for Sigmoid,
# Affine and TwoLayerNet, all but the few no single change fails for the others (those of inputs left unchanged).
DEFAULT = (
    "layers.py:MulLayer.forward:drop_statement:1",
    "layers.py:AddLayer.forward:no_return:1",
    "layers.py:Relu.backward:no_return:1",
    "layers.py:Sigmoid.forward:drop_statement:2",
    "layers.py:Affine.__init__:drop_statement:1",
    "layers.py:_as_labels_or_one_hot:compare:1",
    "two_layer_net.py:TwoLayerNet.__init__:drop_statement:1",
)
GRADE = "from backprop_grader.cli import main; main([{path!r}])"
# The grader without the mutants' diagnosis: what grading cost before it.
WITHOUT = "import backprop_grader.mutation.replay as replay; replay.diagnose = lambda *args: None; " + GRADE
# The grader as it is, adding up the CPU time spent inside the diagnosis (in the grader's process, where the
# mutants run; the submission's own replays run in its worker and count in the grade's CPU time only), which it
# writes to stderr as it exits: a figure the machine's load hardly moves.
WITH = (
    "import atexit, sys, time; import backprop_grader.mutation.replay as replay; spent = [0.0]; inner = replay.diagnose\n"
    "def timed(*args):\n"
    "    started = time.process_time()\n"
    "    try:\n"
    "        return inner(*args)\n"
    "    finally:\n"
    "        spent[0] += time.process_time() - started\n"
    "replay.diagnose = timed; atexit.register(lambda: sys.stderr.write(f'diagnosis-cpu {{spent[0]}}\\n'))\n" + GRADE
)


def timed(command):
    """(wall, cpu, cpu spent in the diagnosis) of one run of command."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    spent = [float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("diagnosis-cpu ")]
    return time.perf_counter() - started, _children_cpu() - cpu, spent[0] if spent else 0.0


def submission(mutant_id, root):
    mutant = next(m for m in mutants() if m.id == mutant_id)
    target = Path(root) / mutant_id.replace(":", "_")
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    (target / mutant.file).write_text(mutated_source(mutant), encoding="utf-8")
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", nargs="*", default=list(DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"median of {options.runs} runs{load}; wall s and CPU s, without -> with the diagnosis; CPU s inside it")
    with tempfile.TemporaryDirectory() as root:
        for mutant_id in options.mutants:
            path = str(submission(mutant_id, root))
            times = {"without": [], "with": []}
            for _ in range(options.runs):
                for label, code in (("without", WITHOUT), ("with", WITH)):
                    times[label].append(timed([sys.executable, "-c", code.format(path=path)]))
            wall = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
            cpu = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
            inside = statistics.median(t[2] for t in times["with"])
            print(
                f"  {mutant_id:55} wall {wall['without']:.2f} -> {wall['with']:.2f} ({wall['with'] / wall['without'] - 1:+.0%})"
                f"   cpu {cpu['without']:.2f} -> {cpu['with']:.2f} ({cpu['with'] / cpu['without'] - 1:+.0%})"
                f"   in the diagnosis {inside:.2f} ({inside / cpu['without']:.0%} of the CPU without)"
            )


if __name__ == "__main__":
    main()
