"""Time a submission's layers against the reference's and say where it is far off.

python grader.py --benchmark [SUBMISSION] [--benchmark-json FILE] [--max-ratio R] [--timeout SECONDS]
python -m backprop_grader.benchmark [SUBMISSION] [same options]

The timing runs benchmarks/test_layer_speed.py under pytest-benchmark in a separate process (the submission's
code never runs in this one), with BLAS single-threaded and in CPU time (time.process_time): on a busy machine
multi-threaded BLAS makes a 1 ms matrix product take 10 ms at random, and wall-clock time counts the other
processes' turns; the ratios should compare code, not the machine's load. Times are the minimum over rounds. Timings never change a score: a limit (max_ratio) only marks the layers over it, and the
command then exits with status 1.

Each benchmark's result is streamed as it is done (benchmark_stream.py), and one benchmark may take a quarter of
the run's --timeout (PER_BENCHMARK seconds at most) before it is stopped and reported as too slow to time: a far
too slow layer costs its own rows, not the others'. A run stopped at its --timeout still prints the rows it
timed and names the layer and phase it was timing.
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
from .report.terminal import pad, width_of
from .shipped import resolve

# The timings live beside the package in a clone (an installed package has no benchmarks/ to run).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS_DIR = PROJECT_ROOT / "benchmarks"
LAYER_SPEED = BENCHMARKS_DIR / "test_layer_speed.py"
SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
# From this ratio on a layer is "far off" and gets the hint for its likeliest cause (speed_hint_<layer>.<phase>).
FAR_OFF = 5.0
TIMEOUT = 1800  # seconds for the whole timing run, unless --timeout says
PER_BENCHMARK = 60  # seconds one benchmark (one side of one phase) may take, at most a quarter of the run's
# What is timed of each layer (benchmarks/test_layer_speed.py): the network's own methods, the layers' passes.
PHASES = {layer: ("loss", "gradient") if layer == "TwoLayerNet" else ("forward", "backward") for layer in LAYERS}
_PHASE_KEYS = {(layer, phase) for layer, phases in PHASES.items() for phase in phases}


def timing_run(paths, extra_args=(), json_path=None, min_rounds=20, max_time=0.5, timeout=1800, limit=None):
    """pytest --benchmark-only on paths in a fresh process, each benchmark's result streamed as it is done
    (benchmark_stream.py); a Run, whether the process ended or was stopped after timeout seconds. limit: the
    seconds one benchmark may take before it is stopped and reported too slow.

    pytest-benchmark's JSON is written to json_path if given (kept), else to a temporary file; for a run that
    was stopped, json_path gets what was timed before, in the same form.
    """
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(json_path).resolve() if json_path else Path(scratch) / "benchmark.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        stream = Path(scratch) / "stream.jsonl"
        command = [
            sys.executable, "-m", "pytest", *map(str, paths),
            "-c", str(PROJECT_ROOT / "pyproject.toml"), f"--rootdir={PROJECT_ROOT}",
            "--benchmark-only", f"--benchmark-json={out}", f"--benchmark-min-rounds={min_rounds}",
            f"--benchmark-max-time={max_time}", "--benchmark-timer=time.process_time",
            "-p", "backprop_grader.benchmark_stream", f"--benchmark-stream={stream}",
            *([f"--benchmark-limit={limit:g}"] if limit else []),
            "-q", "-p", "no:cacheprovider", "-W", "ignore", *extra_args,
        ]
        # Nothing of a pytest run around it reaches the timing run (PYTEST_ADDOPTS, an xdist worker's name,
        # which makes pytest-benchmark refuse to time).
        env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
        env.update(SINGLE_THREADED)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT, env=env)
            output, expired = done.stdout + done.stderr, None
        except subprocess.TimeoutExpired as exc:
            done, output, expired = None, _text(exc.stdout) + _text(exc.stderr), exc
        records = _records(stream)
        if out.exists() and expired is None:
            data = json.loads(out.read_text())
        else:
            data = {"benchmarks": [r["timed"] for r in records if "timed" in r]}
            if json_path and expired is not None:
                out.write_text(json.dumps(data, indent=2))
    return Run(data, records, output, done, expired)


def run_benchmarks(paths, extra_args=(), json_path=None, min_rounds=20, max_time=0.5, timeout=1800):
    """timing_run's (pytest-benchmark's JSON as a dict, the process); subprocess.TimeoutExpired if it was stopped."""
    run = timing_run(paths, extra_args, json_path, min_rounds, max_time, timeout)
    if run.expired is not None:
        raise run.expired
    return run.data, run.process


def _text(output):
    if output is None:
        return ""
    return output.decode(errors="replace") if isinstance(output, bytes) else output


def _records(stream):
    """The JSON lines benchmark_stream.py wrote (a last line cut short by the stop is left out)."""
    if not stream.exists():
        return []
    records = []
    for line in stream.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            break
    return records


@dataclass(frozen=True)
class Run:
    """A timing run: what was timed (as pytest-benchmark's JSON), the stream of its benchmarks (benchmark_stream.py),
    what it printed, the finished process (None if stopped), and the TimeoutExpired that stopped it (None if not)."""

    data: dict
    records: list
    output: str
    process: subprocess.CompletedProcess = None
    expired: subprocess.TimeoutExpired = None

    @property
    def running(self):
        """The parameters of the benchmark that was running when the run was stopped (layer, label, phase, who),
        or None."""
        if self.expired is None or not self.records or "start" not in self.records[-1]:
            return None
        return self.records[-1]["start"]

    @property
    def too_slow(self):
        """{(layer, label, phase, who): seconds} of the benchmarks stopped at the limit of one benchmark."""
        found = {}
        for record in self.records:
            if "too_slow" in record:
                info = record["too_slow"]
                found[(info.get("layer"), info.get("label"), info.get("phase"), info.get("who"))] = record["seconds"]
        return found


@dataclass(frozen=True)
class Timing:
    """One layer's phase (forward, backward, loss, gradient): the minimum seconds per call of each side."""

    layer: str
    label: str
    phase: str
    reference: float = None  # None: not timed (stopped before, or too slow)
    submission: float = None  # None: missing, not implemented, raised, or too slow
    too_slow: float = None  # the submission's: stopped after this many seconds, far too slow to time

    @property
    def what(self):
        return f"{self.label}.{self.phase}"

    @property
    def ratio(self):
        return None if self.submission is None or not self.reference else self.submission / self.reference


def timings(data, too_slow=None):
    """Timings from pytest-benchmark's JSON of test_layer_speed.py, in the order the benchmarks ran; too_slow:
    Run.too_slow, the submission's phases stopped at the time limit of one benchmark."""
    found = {}
    for bench in data["benchmarks"]:
        info = bench["extra_info"]
        key = (info["layer"], info["label"], info["phase"])
        found.setdefault(key, {})[info["who"]] = bench["stats"]["min"]
    for (layer, label, phase, who), seconds in (too_slow or {}).items():
        found.setdefault((layer or "TwoLayerNet", label or layer, phase), {})[f"{who}_too_slow"] = seconds
    return [
        Timing(*key, sides.get("reference"), sides.get("submission"), sides.get("submission_too_slow"))
        for key, sides in found.items()
        if "reference" in sides or "submission_too_slow" in sides
    ]


def measure(submission, json_path=None, min_rounds=5, max_time=0.2, timeout=1800, grading=GradeOptions(), select=None):
    """Time submission against the reference; (timings, the Run: its output if nothing was timed, what was
    running if it was stopped).

    At least min_rounds calls each, more while under max_time seconds: ~10 s in all for a vectorised submission.
    One benchmark may take a quarter of timeout, PER_BENCHMARK seconds at most, before it is stopped as too slow.
    grading: the options that say where the submission's names are (aliases, use). select: a pytest -k
    expression choosing the benchmarks (their ids name the layer, phase and side: "Relu and forward").
    """
    extra = [f"--{PLUGIN_PREFIX}impl={submission}", *grading.where_names_are(PLUGIN_PREFIX)]
    if select:
        extra += ["-k", select]
    limit = min(PER_BENCHMARK, timeout / 4)
    run = timing_run([LAYER_SPEED], extra, json_path, min_rounds, max_time, timeout, limit)
    return timings(run.data, run.too_slow), run


def over_limit(found, max_ratio):
    """The timings whose ratio exceeds an instructor's max_ratio (none without a limit); a phase too slow to time
    is over any limit."""
    return [t for t in found if max_ratio and (t.too_slow is not None or t.ratio is not None and t.ratio > max_ratio)]


def _duration(seconds):
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _yours(t):
    return f"> {t.too_slow:g} s" if t.too_slow is not None else _duration(t.submission)


def report(found, submission, lang="en", max_ratio=None, json_path=None, stopped=None):
    """The lines a student reads: one row per layer and phase, then a hint for each far-off one (and for each too
    slow to time). stopped: (seconds, what was running or None) for a run stopped at its timeout, whose rows are
    those timed before."""
    lines = [render("benchmark_title", lang, submission=submission), ""]
    header = (render("benchmark_column_what", lang), render("benchmark_column_yours", lang),
              render("benchmark_column_reference", lang), render("benchmark_column_ratio", lang))
    # Padded by display width: a Japanese, Korean or Chinese heading takes two columns a character.
    widths = [max(width, width_of(text) + 1) for width, text in zip((32, 12, 12, 9), header)]

    def row(cells):
        return "".join(pad(text, width, right=i > 0) for i, (text, width) in enumerate(zip(cells, widths)))

    lines.append(row(header))
    for t in found:
        ratio = "-" if t.ratio is None else f"{t.ratio:.1f}x"
        lines.append(row((t.what, _yours(t), _duration(t.reference), ratio)))
    lines.append("")
    running = stopped[1] if stopped is not None else None
    running_what = running and f"{running.get('label') or running.get('layer')}.{running.get('phase')}"
    for t in found:
        if t.what == running_what and t.submission is None:
            continue  # said below: it was being timed when the run was stopped
        if t.too_slow is not None:
            hint = render(f"speed_hint_{t.layer}.{t.phase}", lang)
            lines.append(render("benchmark_too_slow", lang, what=t.what, seconds=f"{t.too_slow:g}", hint=hint))
        elif t.submission is None:
            lines.append(render("benchmark_not_timed", lang, what=t.what))
        elif t.ratio is not None and t.ratio >= FAR_OFF:
            hint = render(f"speed_hint_{t.layer}.{t.phase}", lang)
            lines.append(render("benchmark_far_off", lang, what=t.what, ratio=f"{t.ratio:.0f}", hint=hint))
    for t in over_limit(found, max_ratio):
        if t.ratio is not None:  # one too slow to time is said so above
            lines.append(render("benchmark_over_limit", lang, what=t.what, ratio=f"{t.ratio:.1f}", limit=f"{max_ratio:g}"))
    if stopped is not None:
        seconds = stopped[0]
        if running is None:
            lines.append(render("benchmark_timed_out", lang, seconds=f"{seconds:g}"))
        else:
            layer, phase, theirs = running.get("layer"), running.get("phase"), running.get("who") == "submission"
            what = running_what
            who = render("benchmark_column_yours" if theirs else "benchmark_column_reference", lang)
            lines.append(render("benchmark_stopped", lang, seconds=f"{seconds:g}", what=what, who=who))
            if theirs and (layer, phase) in _PHASE_KEYS:
                hint = render(f"speed_hint_{layer}.{phase}", lang)
                lines.append(render("benchmark_running_slow", lang, what=what, hint=hint))
    lines.append(render("benchmark_no_score", lang) if not max_ratio else render("benchmark_limit_no_score", lang, limit=f"{max_ratio:g}"))
    if json_path:
        lines.append(render("benchmark_saved", lang, path=json_path))
    return lines


def run(submission, json_path="benchmark.json", max_ratio=None, timeout=None, lang="en", grading=GradeOptions(), select=None):
    """Time submission, print the report, save the JSON; the exit status (1 over max_ratio, 2 if the run was
    stopped at its timeout or nothing was timed). A stopped run still reports the rows it timed and names what
    was running. select: which benchmarks (measure)."""
    if not LAYER_SPEED.is_file():
        print(render("benchmark_needs_clone", lang, command="python grader.py --benchmark"))
        return 2
    timeout = timeout or TIMEOUT
    found, timing = measure(submission, json_path, timeout=timeout, grading=grading, select=select)
    stopped = None if timing.expired is None else (timeout, timing.running)
    if not found and stopped is None:
        print(render("benchmark_failed", lang, error=timing.output.strip()[-1500:]))
        return 2
    saved = Path(json_path).resolve() if json_path and found else None
    print("\n".join(report(found, shown_path(submission), lang, max_ratio, saved, stopped)))
    if stopped is not None:
        return 2
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
