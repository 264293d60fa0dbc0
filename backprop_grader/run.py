"""Run the suite in-process on one implementation and return a GradeResult: the grader's only way into pytest."""
import argparse
import compileall
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from . import isolation, limits
from .blas import environment
from .book import DEFAULT_CHAPTER
from .drawn_examples import Recorded
from .files import standard_streams, write_atomically
from .isolation.sandbox_plan import SandboxUnavailable
from .isolation.sandbox_plan import require as require_sandbox
from .limits import GRADER_OUT_OF_MEMORY, GraderOutOfMemory, InProcessLimits, grader_memory, out_of_memory_message
from .messages import render
from .options import PLUGIN_FIELDS, PLUGIN_PREFIX, PROFILE, GradeOptions, declare
from .plugin import GradingPlugin, is_theirs
from .printed import Capture
from .pytest_plugin import IMPL_OPTION, ProvidedImplementation, StartedWorkers, printed_by_workers
from .results import IN_PROCESS, GradeResult
from .seed_only import no_local_constants
from .shipped import CHECKS_DIR, PYTEST_SETTINGS, checks_module, reference_of, resolve

# The plugins a grade runs with, and no others: pytest loads none of an environment's own plugins into a grade
# (pytest-randomly would reseed it, pytest-benchmark runs git for its machine info).
PLUGINS = ("backprop_grader.pytest_plugin", "_hypothesis_pytestplugin")
# How long an interrupted caller waits for run_own_group's process to end through its own clean-up before killing it.
STOP_SECONDS = 10


class Interrupted(KeyboardInterrupt):
    """A grade stopped by Ctrl-C: result holds the checks that finished, the others NOT_RUN."""

    def __init__(self, result):
        super().__init__()
        self.result = result


def grade(submission, options=None, *, profile=PROFILE, extra_args=(), implementation=None, on_check=None, drawn=None,
          workers=None, **fields):
    """Grade the submission at path submission (a template-shaped folder, a file, a study repository, a
    notebook) as options (a GradeOptions, or its fields as keywords) say: which layers, the seed, where its
    names are, whether its code runs isolated. implementation: an already loaded one to grade instead (a
    notebook's namespace, for check()), handed to the suite as it is. on_check(results): called as each check
    ends, with every check's CheckResult so far (those still to come NOT_RUN), in collection order. drawn: how
    the checks get the inputs Hypothesis draws: by default the recorded ones where they are up to date
    (drawn_examples.Recorded), or a drawn_examples.Recorder, which lets Hypothesis draw them and records them.
    workers: an isolation Session whose workers were started for this grade before pytest was imported (cli.py),
    taken if it serves this submission and these options (pytest_plugin.StartedWorkers); the caller closes it.

    The suite loads the submission itself (pytest_plugin.implementation); the notes it made while loading
    (intake.py: a skipped training loop, which file was graded) come back with the checks' results.

    Isolated, the submission's code runs in worker processes (backprop_grader/isolation), so that it can neither
    crash nor cheat the grader; not (and for an implementation already in memory, or on a system without POSIX
    processes, Windows), it runs inside this process, where a debugger can reach it. The workers' sandbox is
    "auto", "require" (SandboxUnavailable, before any check runs, if the machine does not allow it all) or "off"
    (isolation/sandbox_plan.py).
    """
    standard_streams()
    options = GradeOptions.of(options, **fields)
    isolate = options.isolate and implementation is None and isolation.available()
    options = GradeOptions.of(options, isolate=isolate)
    if isolate and options.sandbox == "require":
        require_sandbox()
    if implementation is None:
        path = resolve(str(submission), options.chapter)
        plugin = GradingPlugin(path if path.is_dir() else path.parent, on_check=on_check)
        where = [f"{IMPL_OPTION}={path}"]
        plugins = [plugin] if workers is None else [plugin, StartedWorkers(workers, options)]
    else:
        # Its own frames are those under its folder, or compiled from its files (check(): notebook.py).
        theirs = getattr(implementation, "root", None) or getattr(implementation, "files", None)
        plugin = GradingPlugin(theirs, on_check=on_check)
        where = []
        plugins = [plugin, ProvidedImplementation(implementation)]
    if drawn is None:
        drawn = Recorded.for_grade(options.seed, profile)
    if drawn is not None:
        plugins.append(drawn)
    layers = options.graded_layers
    args = [
        # Only the layers' own modules: collecting anything else would cost time and grade nothing.
        *dict.fromkeys(str(checks_module(layer)) for layer in layers),
        # The grader's own settings, never a configuration file found around the submission or the package.
        "-c",
        str(PYTEST_SETTINGS),
        f"--rootdir={CHECKS_DIR.parent}",
        *(arg for name in PLUGINS for arg in ("-p", name)),
        *where,
        *options.argv(prefix=PLUGIN_PREFIX, fields=PLUGIN_FIELDS),
        f"--hypothesis-seed={options.seed}",
        "--strict-markers",
        # Test modules are imported without putting their folder on sys.path, where its helper modules would
        # shadow a learner's own in a notebook's kernel (check()).
        "--import-mode=importlib",
        "-p",
        "no:terminal",
        "-p",
        "no:cacheprovider",
        # Each collects the garbage five times at the end of a session, for warnings that -W ignore drops anyway.
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        "-W",
        "ignore",
        # The checks report through exception objects, never through pytest's assertion text, so rewriting
        # is pure cost: with bytecode caching off it recompiles every module of Hypothesis on each grade.
        "--assert=plain",
        # conftest.py files are read from the checks' folder and never from above it.
        f"--confcutdir={CHECKS_DIR}",
        *extra_args,
        # Only graded checks run: an instructor's extra tests may hold helpers that carry no layer marker.
        "-m",
        " or ".join(layers),
    ]
    environment = {
        "HYPOTHESIS_PROFILE": profile,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        # Hypothesis caches what it reads of local modules in .hypothesis/ under the current folder; a folder
        # inside the null device cannot be made, so it writes nothing (it reads its cache and writes it only if
        # it can). The grading profile keeps no example database either.
        "HYPOTHESIS_STORAGE_DIRECTORY": os.path.join(os.devnull, "hypothesis"),
        # pytest reads options and plugins from these: a caller's `-k Relu` would grade one layer as if the whole.
        "PYTEST_ADDOPTS": None,
        "PYTEST_PLUGINS": None,
    }
    previous = {name: os.environ.get(name) for name in environment}
    _set_environment(environment)
    path, bytecode = list(sys.path), sys.dont_write_bytecode
    if not bytecode and os.access(CHECKS_DIR, os.W_OK):
        # The checks are the grader's own modules, cached as Python caches any module it imports, so that a grade
        # loads them without compiling them (~25 ms a grade from a clone; a wheel's are compiled as it installs).
        compileall.compile_dir(CHECKS_DIR, maxlevels=0, quiet=2)
    # Grading writes nothing into the submission: no __pycache__ beside the modules it imports from there.
    sys.dont_write_bytecode = True
    # What the submission prints is kept for the report (--verbose shows it), never let through to the terminal,
    # but while a debugger it started runs (printed.py).
    capture = Capture(plugin.printed)
    plugins.append(capture)
    # In this process, the workers' time limits hold too (limits.py), so that a hang is stopped as isolated.
    timer = InProcessLimits(is_theirs(plugin.submission)) if not isolate and limits.available() else None
    if timer is not None:
        plugins.append(timer)
    try:
        with capture, no_local_constants():
            status = pytest.main(args, plugins=plugins)
    finally:
        if timer is not None:
            timer.stop()
        sys.path[:] = path
        sys.dont_write_bytecode = bytecode
        _set_environment(previous)
    if plugin.out_of_memory:
        raise GraderOutOfMemory()
    walls = plugin.sandbox if isolate else {"mode": IN_PROCESS}
    if status == pytest.ExitCode.INTERRUPTED and plugin.interrupted is not None:
        # Ctrl-C (or quit in the learner's debugger): the checks that finished, for whoever stopped it.
        raise Interrupted(GradeResult(str(submission), profile, options.seed, plugin.ordered_results(),
                                      notes=plugin.notes, sandbox=walls))
    # A failing check is an ordinary outcome; pytest failing to run at all is the grader's own fault.
    if status in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        raise RuntimeError(f"pytest could not run the checks (exit status {int(status)}): {' '.join(args)}")
    printed = plugin.printed
    for text, count in printed_by_workers(plugin.config):
        printed.add(text, count)
    return GradeResult(str(submission), profile, options.seed, plugin.ordered_results(), notes=plugin.notes,
                       sandbox=walls, printed=printed.text, printed_chars=printed.chars)


def _set_environment(values):
    """Set each variable of values in os.environ, or unset it where its value is None."""
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def declared_checks(layers=None, extra_args=(), chapter=DEFAULT_CHAPTER):
    """Every graded check of chapter the suite declares (layer, points, ...), in collection order, without
    running one (and without starting a worker)."""
    collected = grade(reference_of(chapter), layers=layers or (), chapter=chapter,
                      extra_args=("--collect-only", *extra_args), isolate=False)
    return [r.check for r in collected.results]


def grade_in_subprocess(submission, options=None, timeout=120, **fields):
    """Grade in a fresh Python process (no state shared with this one) and read its GradeResult back."""
    options = GradeOptions.of(options, **fields)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "backprop_grader.run", str(submission), f"--out={out}", *options.argv()]
        done = run_own_group(command, timeout=timeout, cwd=scratch, env=environment())
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"grading {submission} failed:\n{done.stderr[-2000:]}")
        return GradeResult.from_dict(json.loads(out.read_text()))


def run_own_group(command, timeout, **options):
    """subprocess.run in a session of its own, killed with its whole group at the timeout (a grader's workers die
    with it), and asked to end (SIGTERM) when the caller is interrupted (Ctrl-C, or its own SIGTERM made an exit):
    nothing started inside outlives it."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **options) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.communicate()
            raise
        except (KeyboardInterrupt, SystemExit):
            # Through its own clean-up where it has one (a batch's kills its grades and removes its folders, as
            # on a cancelled CI job), else killed: Popen would otherwise wait for it to finish its work.
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _signal_group(process, number):
    if hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, number)
        except ProcessLookupError:  # ended meanwhile, with all of its group
            pass
    else:  # Windows: no process groups (nor workers)
        process.kill()


def grade_many(submissions, jobs=None, timeout=120, **fields):
    """Grade each submission as grade_in_subprocess would, in one fresh Python process that imports the grader
    once and forks a child for each (POSIX), jobs at a time (backprop_grader/many.py); results in the order
    given. RuntimeError names a submission whose grade crashed, took over timeout seconds or wrote nothing."""
    options = GradeOptions.of(None, **fields)
    submissions = [str(submission) for submission in submissions]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "results"
        out.mkdir()
        command = [sys.executable, "-m", "backprop_grader.many", f"--out={out}", f"--timeout={timeout}",
                   *([f"--jobs={jobs}"] if jobs else []), *options.argv(), "--", *submissions]
        # Past this, even every grade cut at its own limit cannot explain it: the process itself hangs.
        overall = timeout * len(submissions) + 60
        try:
            done = run_own_group(command, timeout=overall, cwd=scratch, env=environment())
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"grading {len(submissions)} submissions took over {overall} s") from exc
        for index, submission in enumerate(submissions):
            failed = out / f"{index}.failed"
            if failed.exists():
                raise RuntimeError(f"grading {submission} failed:\n{failed.read_text(encoding='utf-8')}")
        results = []
        for index, submission in enumerate(submissions):
            result = out / f"{index}.json"
            if done.returncode != 0 or not result.exists():
                raise RuntimeError(f"grading {submission} failed:\n{done.stderr[-2000:]}")
            results.append(GradeResult.from_dict(json.loads(result.read_text(encoding="utf-8"))))
        return results


def main(argv=None):
    """python -m backprop_grader.run SUBMISSION --out FILE [GradeOptions' options]: the GradeResult as JSON.

    The result goes to a file, not stdout, so nothing the submission prints can corrupt it. It is written once
    grading is over and every worker is gone, through a new file renamed over FILE: what a submission may have
    put there is replaced, and FILE is never seen half written.
    """
    parser = argparse.ArgumentParser(prog="python -m backprop_grader.run")
    parser.add_argument("submission")
    parser.add_argument("--out", required=True)
    declare(parser.add_argument)
    namespace = parser.parse_args(argv)
    try:
        with grader_memory() as allowance:
            limits.freeze_what_is_loaded()
            result = grade(namespace.submission, GradeOptions.from_namespace(namespace))
    except SandboxUnavailable as exc:
        parser.exit(2, render("sandbox_required", summary=str(exc)) + "\n")
    except MemoryError:
        parser.exit(GRADER_OUT_OF_MEMORY, out_of_memory_message(allowance) + "\n")
    write_atomically(Path(namespace.out), json.dumps(result.to_dict()))


if __name__ == "__main__":
    main()
