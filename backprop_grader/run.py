"""Run the suite in-process on one implementation and return a GradeResult: the grader's only way into pytest."""
import argparse
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from . import LAYERS, PROJECT_ROOT, REFERENCE_DIR, TESTS_DIR, checks_module, isolation
from .impl_option import DEFAULT_SEED, ProvidedImplementation, resolve_impl
from .isolation.sandbox_plan import IN_PROCESS
from .isolation.sandbox_plan import MODES as SANDBOX_MODES
from .isolation.sandbox_plan import SandboxUnavailable
from .isolation.sandbox_plan import require as require_sandbox
from .messages import render
from .names import as_aliases
from .plugin import GradingPlugin
from .results import GradeResult

PROFILE = "grading"


def grade(
    submission,
    layers=None,
    seed=DEFAULT_SEED,
    profile=PROFILE,
    extra_args=(),
    aliases=(),
    use=(),
    implementation=None,
    isolate=True,
    sandbox="auto",
):
    """Grade the submission at path submission (a template-shaped folder, a file, a study repository, a
    notebook); layers limits the run to those layers' checks. aliases (BOOK=THEIRS) and use (BOOK=FILE) say
    where its names are. implementation: an already loaded one to grade instead (a notebook's namespace, for
    check()), handed to the suite as it is.

    The suite loads the submission itself (impl_option.implementation), from --impl, --alias and --use; the
    notes it made while loading (intake.py: a skipped training loop, which file was graded) come back with the
    checks' results.

    isolate: run the submission's code in worker processes (backprop_grader/isolation), so that it can neither
    crash nor cheat the grader; off (and for an implementation already in memory, or on a system without POSIX
    processes, Windows), it runs inside this process, where a debugger can reach it. sandbox: how the workers
    wall themselves in, "auto", "require" (SandboxUnavailable, before any check runs, if the machine does not
    allow it all) or "off" (isolation/sandbox_plan.py).
    """
    isolate = isolate and implementation is None and isolation.available()
    if isolate and sandbox == "require":
        require_sandbox()
    if implementation is None:
        path = resolve_impl(str(submission))
        plugin = GradingPlugin(path if path.is_dir() else path.parent)
        where = [f"--impl={path}", *(f"--alias={a}" for a in as_aliases(aliases).specs()), *(f"--use={u}" for u in use)]
        plugins = [plugin]
    else:
        plugin = GradingPlugin(getattr(implementation, "root", None))
        where = []
        plugins = [plugin, ProvidedImplementation(implementation)]
    args = [
        # Only the layers' own modules: collecting the project's other tests would cost a quarter of a second.
        *(str(checks_module(layer)) for layer in layers or LAYERS),
        f"--rootdir={PROJECT_ROOT}",
        "-c",
        str(PROJECT_ROOT / "pyproject.toml"),
        *where,
        f"--seed={seed}",
        f"--hypothesis-seed={seed}",
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
        # conftest.py files are read from tests/ and never from above it (a submission's folder is no test path).
        f"--confcutdir={TESTS_DIR}",
        *(["--isolate", f"--sandbox={sandbox}"] if isolate else []),
        *extra_args,
    ]
    # Only graded checks run: the project's own tests in tests/ (the catalogue, the grader's) carry no layer marker.
    args += ["-m", " or ".join(layers or LAYERS)]
    previous = os.environ.get("HYPOTHESIS_PROFILE")
    os.environ["HYPOTHESIS_PROFILE"] = profile
    # pytest puts tests/ first on sys.path for good; in a learner's kernel (check()) that folder's helper modules
    # (checks, strategies, ...) would then shadow the learner's own modules of those names.
    path = list(sys.path)
    try:
        # The submission may print; its output belongs in no report.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            status = pytest.main(args, plugins=plugins)
    finally:
        sys.path[:] = path
        if previous is None:
            os.environ.pop("HYPOTHESIS_PROFILE")
        else:
            os.environ["HYPOTHESIS_PROFILE"] = previous
    # A failing check is an ordinary outcome; pytest failing to run at all is the grader's own fault.
    if status in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        raise RuntimeError(f"pytest could not run the checks (exit status {int(status)}): {' '.join(args)}")
    walls = plugin.sandbox if isolate else {"mode": IN_PROCESS}
    return GradeResult(str(submission), profile, seed, plugin.ordered_results(), notes=plugin.notes, sandbox=walls)


def declared_checks(layers=None):
    """Every graded check the suite declares (layer, points, ...), in collection order, without running one."""
    collected = grade(REFERENCE_DIR, layers, extra_args=("--collect-only",), isolate=False)
    return [r.check for r in collected.results]


def grade_in_subprocess(submission, layers=None, seed=DEFAULT_SEED, timeout=120, aliases=(), use=(), isolate=True,
                        sandbox="auto"):
    """Grade in a fresh Python process (no state shared with this one) and read its GradeResult back."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "backprop_grader.run", str(submission), f"--seed={seed}", f"--out={out}"]
        for layer in layers or ():
            command.append(f"--layer={layer}")
        command += [f"--alias={a}" for a in as_aliases(aliases).specs()] + [f"--use={u}" for u in use]
        if not isolate:
            command.append("--no-isolate")
        command.append(f"--sandbox={sandbox}")
        done = run_own_group(command, timeout=timeout, cwd=PROJECT_ROOT)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"grading {submission} failed:\n{done.stderr[-2000:]}")
        return GradeResult.from_dict(json.loads(out.read_text()))


def run_own_group(command, timeout, **options):
    """subprocess.run in a session of its own, killed with its whole group at the timeout (a grader's workers die
    with it): nothing started inside outlives it."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **options) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # Windows: no process groups (nor workers)
                process.kill()
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def grade_many(submissions, jobs=None, **options):
    """Grade each submission in its own process, jobs at a time; results in the order given."""
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
        return list(pool.map(lambda s: grade_in_subprocess(s, **options), submissions))


def main(argv=None):
    """python -m backprop_grader.run SUBMISSION --out FILE [--layer L] [--seed N] [--no-isolate]: the GradeResult
    as JSON.

    The result goes to a file, not stdout, so nothing the submission prints can corrupt it. It is written once
    grading is over and every worker is gone, through a new file renamed over FILE: what a submission may have
    put there is replaced, and FILE is never seen half written.
    """
    parser = argparse.ArgumentParser(prog="python -m backprop_grader.run")
    parser.add_argument("submission")
    parser.add_argument("--out", required=True)
    parser.add_argument("--layer", action="append")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--alias", action="append", default=[])
    parser.add_argument("--use", action="append", default=[])
    parser.add_argument("--no-isolate", action="store_true", help="run the submission in this process (for a debugger)")
    parser.add_argument("--sandbox", choices=SANDBOX_MODES, default="auto", help="the workers' sandbox")
    options = parser.parse_args(argv)
    try:
        result = grade(
            options.submission, options.layer, options.seed, aliases=options.alias, use=options.use,
            isolate=not options.no_isolate, sandbox=options.sandbox,
        )
    except SandboxUnavailable as exc:
        parser.exit(2, render("sandbox_required", summary=str(exc)) + "\n")
    write_atomically(Path(options.out), json.dumps(result.to_dict()))


def write_atomically(path, text):
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False) as part:
        part.write(text)
    os.replace(part.name, path)


if __name__ == "__main__":
    main()
