"""--batch DIR: grade every subfolder of DIR as a submission, jobs at a time, each in a process of its own under a
wall-time limit; one results.json per submission and one CSV row each.

This process imports the grader and collects the suite once, then forks a child per submission. A child starts
with all of that done (Python's start-up and the imports are about 0.5 s of the 1.3 s a fresh `grader.py` takes),
grades with run.grade exactly as a single grade does, writes the GradeResult to a file and exits. Children share
nothing with each other after the fork, so no submission can change another's grade. A child that outlives its
time limit is killed with its whole process group (a hang costs its own row and nothing else); one that dies
without a result is reported as crashed. Every outcome is a GradeResult, a grade that did not finish being every
check failed with the reason, so the reports need no special cases.
"""
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

# numpy imports numpy.random on first use, which every grade makes (the seed is set before each check): imported
# here, before the fork, it costs each child nothing (about 0.07 s of CPU otherwise).
import numpy.random  # noqa: F401

from .files import write_atomically
from .isolation.session import Limits
from .limits import freeze_what_is_loaded, out_of_memory_message
from .messages import render
from .options import PROFILE, GradeOptions
from .progress import Progress
from .report import csv, escape, gradescope, html, markdown, summary
from .report.common import shown_path
from .results import NOT_RUN, CheckResult, Failure, GradeResult

TIMEOUT, CRASHED = "timeout", "crashed"
STATUSES = (csv.OK, csv.IMPORT_ERROR, TIMEOUT, CRASHED)
DEFAULT_TIMEOUT = 120.0
# The shortest time limit a grade is given: what the per-call limits of its workers can add up to (a grade's own
# limit, isolation/session.py), and a start-up's worth beside. A shorter one would cut grades those limits let
# finish, and give a submission whose one layer hangs 0 where a single grade scores the others.
STARTUP_SECONDS = 10.0
MIN_TIMEOUT = Limits().grade_seconds + STARTUP_SECONDS
POLL_SECONDS = 0.02
LOG_TAIL = 4000  # bytes of a crashed child's stderr kept for the instructor


def default_jobs():
    """The CPUs this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_out(directory):
    """Where results go unless --out says: a sibling of DIR named DIR-results (never inside DIR, which would make
    it a submission the next time)."""
    directory = Path(directory).resolve()
    return directory.parent / f"{directory.name}-results"


def submissions(directory, out=None):
    """The submission folders of directory, by name: every subfolder but hidden ones and the output folder."""
    out = Path(out).resolve() if out else None
    found = []
    for path in sorted(Path(directory).iterdir()):
        if path.is_dir() and not path.name.startswith((".", "__")) and path.resolve() != out:
            found.append(path)
    return found


@dataclass
class Outcome:
    """One submission's grade in the batch: its status, the GradeResult (always one) and the wall time."""

    id: str
    status: str
    result: GradeResult
    wall_time: float
    detail: str = ""  # for a crash: how the process ended


def _unfinished(submission, declared, seed, key, **params):
    """The GradeResult of a grade that did not finish: every declared check scores 0, for the reason given."""
    failure = Failure(key, params)
    results = [CheckResult(check, NOT_RUN, failure) for check in declared]
    return GradeResult(shown_path(submission), PROFILE, seed, results)


def _partial_file(result_file):
    return Path(result_file).with_suffix(".partial.json")


def grade(submission, options, **keywords):
    """run.grade. This module is imported by the command line before pytest (cli.py starts a single grade's
    workers first), so run is imported only once a batch runs: by fork_each, before it forks."""
    from . import run

    return run.grade(submission, options, **keywords)


def _child(submission, result_file, log_file, options, extra_args):
    """In the forked child: grade, write the result, and leave without running the parent's clean-up code. As each
    check ends, the results so far go to the partial file (_partial_file): a grade cut at its time limit keeps
    every check that finished."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()  # a process group of its own, for the parent to kill with everything it started
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)  # what the submission writes to the process's own stdout and stderr must not reach
        os.dup2(log, 2)  # the terminal: the progress bar is there
        # The grade's temporary folders go under the batch's own, which outlives a child killed at its time
        # limit, and is removed at the end of the batch whatever became of the child.
        tempfile.tempdir = str(Path(result_file).with_suffix(".tmp"))
        # Others may pass through (not list): a worker that drops to nobody without a new root reaches numpy's
        # links and its submission's copy in there (isolation/permissions.py).
        os.mkdir(tempfile.tempdir, 0o711)
        partial = _partial_file(result_file)

        def finished(results):
            so_far = GradeResult(str(submission), PROFILE, options.seed, results)
            write_atomically(partial, json.dumps(so_far.to_dict()))

        result = grade(submission, options, extra_args=extra_args, on_check=finished)
        write_atomically(Path(result_file), json.dumps(result.to_dict()))
        code = 0
    except MemoryError:  # the grader's own (the submission's runs out in its worker): said, with no score
        print(out_of_memory_message(None))
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def _fork():
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (OpenBLAS's idle pool) may deadlock the child;
        # the child here never calls into BLAS threads it did not start, and OpenBLAS re-creates its pool.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _kill_group(pid, reaped=False):
    """SIGKILL the process group a child leads. Before it is reaped the child itself is killed if it has no group
    of its own yet; after, its number may belong to another process by now, so only the group is signalled (a
    group's number is not reused while any process is in it)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        if not reaped:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _ended(wait_status):
    """Why a child ended without a result, as a message key and params: a signal (a segfault, the kernel's
    out-of-memory killer) or an exit status."""
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return "batch_crashed_signal", {"signal": name}
    return "batch_crashed_exit", {"code": os.waitstatus_to_exitcode(wait_status)}


def _tail(path):
    """The last lines of the file at path, at most LOG_TAIL bytes of them."""
    try:
        with open(path, "rb") as stream:
            stream.seek(0, os.SEEK_END)
            start = max(0, stream.tell() - LOG_TAIL)
            stream.seek(start)
            text = stream.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return text.partition("\n")[2] if start else text


@contextlib.contextmanager
def _terminate_as_exit():
    """SIGTERM (a cancelled CI job) ends the batch like Ctrl-C does, through its clean-up: the children are in
    process groups of their own, which no signal to the batch's group reaches."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_now(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class _Running:
    pid: int
    submission: Path
    started: float
    result_file: Path
    log_file: Path
    timed_out: bool = False


def grade_all(
    paths, declared, marking, jobs, timeout, options=GradeOptions(), extra_args=(), on_done=None, on_wait=None,
    lang="en",
):
    """Grade each submission folder in paths in a forked child, jobs at a time; Outcomes in the order of paths.

    declared: the checks the suite declares (what an unfinished grade lists); marking: the rubric, applied to
    every result; options: how each is graded (run.grade's GradeOptions); on_done(outcome) is called as
    each one finishes, on_wait() while the children work; lang: the language of a crash's reason in its log.
    """
    declared = [c for c in declared if not options.layers or c.layer in options.layers]
    outcomes = {}

    def finished(index, child, wait_status):
        outcome = _outcome(child, wait_status, declared, marking, options.seed, timeout, lang)
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome)

    fork_each(paths, jobs, timeout, options, extra_args, finished, on_wait)
    return [outcomes[i] for i in range(len(paths))]


def fork_each(paths, jobs, timeout, options, extra_args, finished, on_wait=None):
    """Grade each submission in paths in a forked child (_child), jobs at a time, each killed with its process
    group past timeout seconds. finished(index, child, wait_status) is called as each one ends, with its
    _Running (its result_file, log_file and whether it timed out, all still there) and os.waitpid's status; what
    it raises stops the grading, no child outliving it. on_wait() is called while the children work."""
    from . import run  # once here, not in each child: pytest and Hypothesis are half a grader's start

    # The checks' modules too: a child's pytest finds them imported (--import-mode=importlib takes a module
    # already in sys.modules), ~0.04 s of CPU a grade. Collecting runs none of them.
    run.declared_checks(extra_args=extra_args, chapter=options.chapter)
    pending = list(enumerate(paths))[::-1]
    running = {}
    freeze_what_is_loaded()
    with tempfile.TemporaryDirectory(prefix="backprop-batch-") as scratch, _terminate_as_exit():
        os.chmod(scratch, 0o711)  # see _child: its files are the grader's alone, its grades' folders passable
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    index, submission = pending.pop()
                    result_file = Path(scratch) / f"{index}.json"
                    log_file = Path(scratch) / f"{index}.log"
                    pid = _fork()
                    if pid == 0:
                        _child(submission, result_file, log_file, options, extra_args)
                    running[index] = _Running(pid, submission, time.perf_counter(), result_file, log_file)
                for index, child in list(running.items()):
                    if not child.timed_out and time.perf_counter() - child.started > timeout:
                        _kill_group(child.pid)
                        child.timed_out = True
                    pid, wait_status = os.waitpid(child.pid, os.WNOHANG)
                    if pid == 0:
                        continue
                    del running[index]
                    _kill_group(child.pid, reaped=True)  # whatever it started and left behind
                    finished(index, child, wait_status)
                if on_wait is not None:
                    on_wait()
                time.sleep(POLL_SECONDS)
        finally:
            for child in running.values():  # interrupted (Ctrl-C), or finished raised: no child may outlive it
                _kill_group(child.pid)
                os.waitpid(child.pid, 0)


def wrote_result(child, wait_status):
    """Whether the child finished its grade: exited 0 with its result written. A result written before a kill
    counts: the child finished, just as its time ran out."""
    return os.WIFEXITED(wait_status) and os.WEXITSTATUS(wait_status) == 0 and child.result_file.exists()


def _outcome(child, wait_status, declared, marking, seed, timeout, lang):
    wall_time = time.perf_counter() - child.started
    submission = child.submission
    if wrote_result(child, wait_status):
        result = GradeResult.from_dict(json.loads(child.result_file.read_text(encoding="utf-8")))
        result = marking.apply(replace(result, submission=shown_path(submission)))
        return Outcome(submission.name, csv.status_of(result), result, wall_time)
    if child.timed_out:
        result = _cut(child, declared, seed, f"{timeout:g}")
        return Outcome(submission.name, TIMEOUT, marking.apply(result), wall_time)
    key, params = _ended(wait_status)
    result = marking.apply(_unfinished(submission, declared, seed, key, **params))
    return Outcome(submission.name, CRASHED, result, wall_time, last_words(child, wait_status, timeout, lang))


def last_words(child, wait_status, timeout, lang="en"):
    """Why a child that wrote no result ended (its time limit, a signal, an exit status) and the last lines it
    printed, the submission's own among them: read in a terminal, where they must not act."""
    key, params = ("batch_timeout", {"seconds": f"{timeout:g}"}) if child.timed_out else _ended(wait_status)
    return render(key, lang, **params) + "\n" + escape.terminal(_tail(child.log_file))


def _cut(child, declared, seed, seconds):
    """The GradeResult of a grade stopped at its time limit: every check that finished as it ended, the others
    not run in time; every check failed with batch_timeout if none finished (or the child wrote nothing)."""
    partial = _partial_file(child.result_file)
    try:
        so_far = GradeResult.from_dict(json.loads(partial.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        so_far = None
    if so_far is None or all(r.status == NOT_RUN for r in so_far.results):
        return _unfinished(child.submission, declared, seed, "batch_timeout", seconds=seconds)
    late = Failure("batch_not_run_in_time", {"seconds": seconds})
    results = [r if r.status != NOT_RUN else replace(r, failure=late) for r in so_far.results]
    return replace(so_far, submission=shown_path(child.submission), results=results)


def _why_unfinished(result):
    """The failure that says why a grade did not finish (its time limit, a crash), or None for one that did."""
    keys = ("batch_timeout", "batch_not_run_in_time", "batch_crashed_signal", "batch_crashed_exit")
    return next((r.failure for r in result.results if r.failure is not None and r.failure.key in keys), None)


def write_results(outcome, out, lang):
    """out/<id>/results.json in Gradescope's format, the batch's status in its extra_data; for a crash, the
    grading process's last words in out/<id>/grader.log, for the instructor."""
    folder = Path(out) / outcome.id
    folder.mkdir(parents=True, exist_ok=True)
    document = gradescope.results_json(outcome.result, lang, execution_time=outcome.wall_time)
    document["extra_data"]["status"] = outcome.status
    failure = _why_unfinished(outcome.result) if outcome.status in (TIMEOUT, CRASHED) else None
    if failure is not None:  # why the grade did not finish, above its table
        key = "batch_timeout" if failure.key == "batch_not_run_in_time" else failure.key
        document["output"] = render(key, lang, **failure.params) + "\n\n" + document["output"]
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (folder / "results.json").write_text(text, encoding="utf-8")
    if outcome.detail:
        (folder / "grader.log").write_text(outcome.detail, encoding="utf-8")


def run(paths, out, csv_path, jobs, timeout, declared, marking, options=GradeOptions(), extra_args=(), lang="en",
        progress_stream=None, html_path=None):
    """Grade the submission folders in paths (submissions() lists a class's); write every results.json, the CSV
    and the class's files; return the Outcomes."""
    counts = dict.fromkeys(STATUSES, 0)
    progress = Progress(len(paths), progress_stream, lang) if progress_stream is not None else None

    def done(outcome):
        write_results(outcome, out, lang)
        counts[outcome.status] += 1
        if progress is not None:
            progress.update(sum(counts.values()), counts)

    try:
        outcomes = grade_all(
            paths, declared, marking, jobs, timeout, options, extra_args, on_done=done,
            on_wait=progress.tick if progress is not None else None, lang=lang,
        )
    finally:
        if progress is not None:
            progress.close()
    write_class_files(outcomes, out, csv_path, lang, html_path)
    return outcomes


GRADES_CSV, CHECKS_CSV, SUMMARY_JSON, SUMMARY_MARKDOWN = "grades.csv", "checks.csv", "summary.json", "summary.md"


def write_class_files(outcomes, out, csv_path, lang, html_path=None):
    """What the batch writes about the class as a whole: the CSV at csv_path (a row per submission), out/checks.csv
    (a row per check of every submission, with its diagnosed mistake), the class summary (report/summary.py) as
    out/summary.json and out/summary.md, and with html_path the class page there and each student's page as
    out/<id>/report.html. Returns the ClassSummary."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv.write(csv_path, [csv.row(o.result, o.id, o.wall_time, o.status) for o in outcomes])
    rows = [row for o in outcomes for row in csv.check_rows(o.result, o.id)]
    csv.write(out / CHECKS_CSV, rows, csv.CHECK_COLUMNS)
    found = summary.summarise(outcomes)
    document = json.dumps(summary.to_dict(found, lang), indent=2, ensure_ascii=False) + "\n"
    write_atomically(out / SUMMARY_JSON, document)
    write_atomically(out / SUMMARY_MARKDOWN, markdown.class_summary(found, lang, more_in=SUMMARY_JSON))
    if html_path is not None:
        for outcome in outcomes:
            write_atomically(out / outcome.id / html.STUDENT_PAGE, html.student_page(outcome, lang))
        write_atomically(Path(html_path), html.class_page(outcomes, found, html_path, out, lang))
    return found
