"""Time a submission's layers against the reference's and say where it is far off.

python grader.py --benchmark [SUBMISSION] [--benchmark-json FILE] [--max-ratio R] [--timeout SECONDS]
python -m backprop_grader.benchmark [SUBMISSION] [same options]

The timing runs benchmarks/test_layer_speed.py under pytest-benchmark in a separate process (the submission's
code never runs in this one), with BLAS single-threaded and in CPU time (time.process_time): on a busy machine
multi-threaded BLAS makes a 1 ms matrix product take 10 ms at random, and wall-clock time counts the other
processes' turns; the ratios should compare code, not the machine's load. Times are the minimum over rounds. Timings never change a score: a limit (max_ratio) only marks the layers over it, and the
command then exits with status 1.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .book import LAYERS
from .messages import language_from_environment, render
from .options import PLUGIN_PREFIX, GradeOptions
from .report.common import shown_path
from .report.terminal import pad
from .shipped import resolve

# The timings live beside the package in a clone (an installed package has no benchmarks/ to run).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS_DIR = PROJECT_ROOT / "benchmarks"
LAYER_SPEED = BENCHMARKS_DIR / "test_layer_speed.py"
SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
# From this ratio on a layer is "far off" and gets the hint for its likeliest cause (speed_hint_<layer>.<phase>).
FAR_OFF = 5.0
TIMEOUT = 1800  # seconds for the whole timing run, unless --timeout says
# What is timed of each layer (benchmarks/test_layer_speed.py): the network's own methods, the layers' passes.
PHASES = {layer: ("loss", "gradient") if layer == "TwoLayerNet" else ("forward", "backward") for layer in LAYERS}


def run_benchmarks(paths, extra_args=(), json_path=None, min_rounds=20, max_time=0.5, timeout=1800):
    """pytest --benchmark-only on paths in a fresh process; (pytest-benchmark's JSON as a dict, the process).

    The JSON is written to json_path if given (kept), else to a temporary file.
    """
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(json_path).resolve() if json_path else Path(scratch) / "benchmark.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "pytest", *map(str, paths),
            "-c", str(PROJECT_ROOT / "pyproject.toml"), f"--rootdir={PROJECT_ROOT}",
            "--benchmark-only", f"--benchmark-json={out}", f"--benchmark-min-rounds={min_rounds}",
            f"--benchmark-max-time={max_time}", "--benchmark-timer=time.process_time",
            "-q", "-p", "no:cacheprovider", "-W", "ignore", *extra_args,
        ]
        env = dict(os.environ, **SINGLE_THREADED)
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT, env=env)
        data = json.loads(out.read_text()) if out.exists() else {"benchmarks": []}
    return data, done


@dataclass(frozen=True)
class Timing:
    """One layer's phase (forward, backward, loss, gradient): the minimum seconds per call of each side."""

    layer: str
    label: str
    phase: str
    reference: float
    submission: float = None  # None: missing, not implemented, or raised

    @property
    def what(self):
        return f"{self.label}.{self.phase}"

    @property
    def ratio(self):
        return None if self.submission is None else self.submission / self.reference


def timings(data):
    """Timings from pytest-benchmark's JSON of test_layer_speed.py, in the order the benchmarks ran."""
    found = {}
    for bench in data["benchmarks"]:
        info = bench["extra_info"]
        key = (info["layer"], info["label"], info["phase"])
        found.setdefault(key, {})[info["who"]] = bench["stats"]["min"]
    return [Timing(*key, sides["reference"], sides.get("submission")) for key, sides in found.items() if "reference" in sides]


def measure(submission, json_path=None, min_rounds=5, max_time=0.2, timeout=1800, grading=GradeOptions()):
    """Time submission against the reference; (timings, the process, for its output if nothing was timed).

    At least min_rounds calls each, more while under max_time seconds: ~10 s in all for a vectorised submission.
    grading: the options that say where the submission's names are (aliases, use).
    """
    extra = [f"--{PLUGIN_PREFIX}impl={submission}", *grading.where_names_are(PLUGIN_PREFIX)]
    data, done = run_benchmarks([LAYER_SPEED], extra, json_path, min_rounds, max_time, timeout)
    return timings(data), done


def over_limit(found, max_ratio):
    """The timings whose ratio exceeds an instructor's max_ratio (none without a limit)."""
    return [t for t in found if max_ratio and t.ratio is not None and t.ratio > max_ratio]


def _duration(seconds):
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def report(found, submission, lang="en", max_ratio=None, json_path=None):
    """The lines a student reads: one row per layer and phase, then a hint for each far-off one."""
    lines = [render("benchmark_title", lang, submission=submission), ""]
    header = (render("benchmark_column_what", lang), render("benchmark_column_yours", lang),
              render("benchmark_column_reference", lang), render("benchmark_column_ratio", lang))
    # Padded by display width: a Japanese, Korean or Chinese heading takes two columns a character.
    widths = (32, 12, 12, 9)
    lines.append("".join(pad(text, width, right=i > 0) for i, (text, width) in enumerate(zip(header, widths))))
    for t in found:
        ratio = "-" if t.ratio is None else f"{t.ratio:.1f}x"
        lines.append(f"{t.what:<32}{_duration(t.submission):>12}{_duration(t.reference):>12}{ratio:>9}")
    lines.append("")
    for t in found:
        if t.ratio is None:
            lines.append(render("benchmark_not_timed", lang, what=t.what))
        elif t.ratio >= FAR_OFF:
            hint = render(f"speed_hint_{t.layer}.{t.phase}", lang)
            lines.append(render("benchmark_far_off", lang, what=t.what, ratio=f"{t.ratio:.0f}", hint=hint))
    for t in over_limit(found, max_ratio):
        lines.append(render("benchmark_over_limit", lang, what=t.what, ratio=f"{t.ratio:.1f}", limit=f"{max_ratio:g}"))
    lines.append(render("benchmark_no_score", lang) if not max_ratio else render("benchmark_limit_no_score", lang, limit=f"{max_ratio:g}"))
    if json_path:
        lines.append(render("benchmark_saved", lang, path=json_path))
    return lines


def run(submission, json_path="benchmark.json", max_ratio=None, timeout=None, lang="en", grading=GradeOptions()):
    """Time submission, print the report, save the JSON; the exit status (1 over max_ratio, 2 if nothing timed)."""
    if not LAYER_SPEED.is_file():
        print(render("benchmark_needs_clone", lang, command="python grader.py --benchmark"))
        return 2
    timeout = timeout or TIMEOUT
    try:
        found, done = measure(submission, json_path, timeout=timeout, grading=grading)
    except subprocess.TimeoutExpired:
        print(render("benchmark_timed_out", lang, seconds=f"{timeout:g}"))
        return 2
    if not found:
        print(render("benchmark_failed", lang, error=(done.stdout + done.stderr).strip()[-1500:]))
        return 2
    print("\n".join(report(found, shown_path(submission), lang, max_ratio, Path(json_path).resolve())))
    return 1 if over_limit(found, max_ratio) else 0


def add_options(parser, lang="en"):
    """The timing options, shared with grader.py --benchmark."""
    parser.add_argument("--benchmark-json", default="benchmark.json", metavar="FILE", help=render("cli_help_benchmark_json", lang))
    parser.add_argument("--max-ratio", type=float, metavar="R", help=render("cli_help_max_ratio", lang))
    # No default here: --batch shares --timeout, with a default of its own.
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help=render("cli_help_benchmark_timeout", lang, seconds=TIMEOUT))


def main(argv=None):
    lang = language_from_environment()
    parser = argparse.ArgumentParser(prog="python -m backprop_grader.benchmark", description=render("cli_help_benchmark", lang))
    parser.add_argument("submission", nargs="?", default="student_template", help=render("cli_help_submission", lang))
    add_options(parser, lang)
    options = parser.parse_args(argv)
    return run(resolve(options.submission), options.benchmark_json, options.max_ratio, options.timeout, lang)


if __name__ == "__main__":
    sys.exit(main())
