"""python benchmarks/gradcheck_timing.py [LAYER ...] [--no-elementwise]: each gradient check's time on the
reference at full size (Affine and TwoLayerNet unless layers are named), as a Markdown table.

The directional check is timed by pytest-benchmark (benchmarks/test_gradcheck_speed.py, minimum and median over
rounds); the element-wise check, two forward passes per entry of every input, is run once (minutes for
Affine's 150,528-entry input). Both run in their own process with single-threaded BLAS and count CPU time
(time.process_time), as every timing here, so that other work on the machine does not inflate them.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from backprop_grader.checks.gradient_cases import full_case  # noqa: E402

from backprop_grader.benchmark import SINGLE_THREADED, run_benchmarks  # noqa: E402
from backprop_grader.loader import load  # noqa: E402
from backprop_grader.shipped import REFERENCE_DIR  # noqa: E402

LAYERS = ("Affine", "TwoLayerNet")

# Run in a child process: the element-wise check of one layer at full size; prints its seconds, then its
# verdict on the reference ("passed", or the diagnosis and how many entries it found wrong).
ELEMENTWISE = """
import sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from backprop_grader.shipped import REFERENCE_DIR
from backprop_grader.feedback import CheckFailure
from backprop_grader.loader import load
from backprop_grader.checks.gradcheck import elementwise_check
from backprop_grader.checks.gradient_cases import dout_for, full_case
ref = load(REFERENCE_DIR)
case = full_case(sys.argv[2], ref, ref.two_layer_net_on(ref))
dout = dout_for(case)
start = time.process_time()
try:
    elementwise_check(case.forward, case.backward, case.inputs, dout, case.label, **case.elementwise_tolerance)
    verdict = "passed"
except CheckFailure as failure:
    p = failure.params
    verdict = f"fails: {p['what']} {failure.key} in {p.get('count', '?')} of {p.get('size', '?')} entries"
print(time.process_time() - start)
print(verdict)
"""


def elementwise_run(layer):
    """(CPU seconds, verdict) of one element-wise check of layer at full size on the reference."""
    env = dict(os.environ, **SINGLE_THREADED)
    done = subprocess.run([sys.executable, "-c", ELEMENTWISE, str(ROOT), layer], capture_output=True, text=True, env=env, check=True)
    seconds, verdict = done.stdout.strip().splitlines()[-2:]
    return float(seconds), verdict


def main(argv):
    data, done = run_benchmarks([ROOT / "benchmarks" / "test_gradcheck_speed.py"])
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        return 2
    directional = {b["params"]["layer"]: b["stats"] for b in data["benchmarks"]}
    ref = load(REFERENCE_DIR)
    print("| case (reference) | entries checked | directional check (min / median) | element-wise check (one run) | ratio | element-wise verdict |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for layer in [a for a in argv if not a.startswith("--")] or LAYERS:
        case = full_case(layer, ref, ref.two_layer_net_on(ref))
        entries = sum(x.size for x in case.inputs.values())
        stats = directional[layer]
        elementwise, verdict = (None, "-") if "--no-elementwise" in argv else elementwise_run(layer)
        slow = "-" if elementwise is None else f"{elementwise:.1f} s"
        ratio = "-" if elementwise is None else f"{elementwise / stats['min']:,.0f}x"
        fast = f"{stats['min'] * 1e3:.1f} ms / {stats['median'] * 1e3:.1f} ms"
        print(f"| {case.label} | {entries:,} | {fast} | {slow} | {ratio} | {verdict} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
