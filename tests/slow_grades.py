"""The grades most of the project's tests are judged by (the catalogue graded isolated and in one process, the
variants at another seed, the attacks, chapters 6 and 7's catalogue in both modes), made by one process of their
own that the session starts before its first test (conftest.py). They take half a run's time on both cores, and
the tests that need none of them (most of which keep one core busy) run first, meanwhile: a session's wall time
is then close to its CPU time halved.

    python tests/slow_grades.py FOLDER NAME...     (what conftest.py starts; NAME: one of GRADES)

Each NAME's grades are written to FOLDER/NAME.json, in the order given, as JSON the fixtures read back
(SlowGrades.result): the grades themselves are those the fixtures made in the session's own process before,
the same functions on the same submissions with the same options."""
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutants import chapter_entries, entries, materialise
from submissions import PROJECT_ROOT, TEMPLATE, processes_naming

from backprop_grader.blas import environment
from backprop_grader.results import GradeResult
from backprop_grader.run import grade_many, run_own_group
from backprop_grader.shipped import REFERENCE_DIR, reference_of, template_of

HARD_TIMEOUT = 300  # one attack's grade: past this the grader itself hangs
OVERALL_TIMEOUT = 3600  # all of them: what a fixture waits for at most
STOP_TIMEOUT = 120  # for the grades under way to end when the session stops early (an attack's takes up to its budget)


def _graded(chosen, **options):
    """chosen ({key: submission}) graded by grade_many with options: their grades' dicts by key."""
    return {key: result.to_dict() for key, result in zip(chosen, grade_many(list(chosen.values()), **options))}


def as_results(graded):
    """What _graded wrote, read back: the GradeResults by key."""
    return {key: GradeResult.from_dict(found) for key, found in graded.items()}


def catalogue(root, **options):
    """Every catalogued bug and variant, the reference and the template: their grades' dicts by entry id."""
    chosen = {e.id: materialise(e, root) for e in entries("bugs") + entries("variants")}
    return _graded(chosen | {"reference": REFERENCE_DIR, "template": TEMPLATE}, **options)


def later_chapters(root, **options):
    """Chapters 6 and 7, each graded out of its own 100 points: their catalogue entries, reference and template,
    as {chapter (a string, as JSON keys are): {entry id, "reference", "template": its grade's dict}}."""
    graded = {}
    for chapter in (6, 7):
        chosen = {e.id: materialise(e, root / f"chapter{chapter}") for e in chapter_entries(chapter)}
        graded[str(chapter)] = _graded(chosen | {"reference": reference_of(chapter), "template": template_of(chapter)},
                                       chapter=chapter, **options)
    return graded


def variants_at_another_seed(root):
    return _graded({e.id: materialise(e, root) for e in entries("variants")}, seed=1, isolate=False)


@dataclasses.dataclass
class Run:
    """One attack graded through `python -m backprop_grader.run`, as CI runs it."""
    returncode: int
    stderr: str
    seconds: float
    out: str  # the results file's text, or None if there is none
    leftovers: list  # command lines of processes still naming the submission after grading
    submission: Path = None
    results_folder: Path = None

    @classmethod
    def from_dict(cls, found):
        return cls(**{**found, "submission": Path(found["submission"]), "results_folder": Path(found["results_folder"])})


def _grade_attack(submission, scratch):
    out = Path(scratch) / "result.json"
    start = time.monotonic()
    done = run_own_group([sys.executable, "-m", "backprop_grader.run", str(submission), f"--out={out}"],
                         timeout=HARD_TIMEOUT, cwd=PROJECT_ROOT, env=environment())  # as grade_in_subprocess
    seconds = time.monotonic() - start
    text = out.read_text() if out.exists() else None
    return Run(done.returncode, done.stderr, seconds, text, processes_naming(submission), submission, scratch)


def attacked(root):
    """Every attack graded once, two at a time, and the reference: their Runs' dicts by entry id."""
    jobs = {"reference": Path(REFERENCE_DIR)} | {e.id: materialise(e, root / "attacks") for e in entries("attacks")}
    scratch = {}
    for index, key in enumerate(jobs):
        scratch[key] = root / "out" / str(index)
        scratch[key].mkdir(parents=True)
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        runs = dict(zip(jobs, pool.map(lambda key: _grade_attack(jobs[key], scratch[key]), jobs)))
    finally:
        pool.shutdown(cancel_futures=True)  # stopped (stop()): the two grades under way finish, no other starts
    return {key: {**dataclasses.asdict(run), "submission": str(run.submission), "results_folder": str(run.results_folder)}
            for key, run in runs.items()}


GRADES = {
    "graded": catalogue,
    "graded_in_process": lambda root: catalogue(root, isolate=False),
    "variants_at_another_seed": variants_at_another_seed,
    "attacked": attacked,
    "chapters_graded": later_chapters,
    "chapters_graded_in_process": lambda root: later_chapters(root, isolate=False),
}


class SlowGrades:
    """The process making the grades of the names asked for, and what it wrote."""

    def __init__(self, folder, names):
        self.folder = Path(folder)
        self.log = self.folder / "slow_grades.log"
        self.process = None
        if names:
            with open(self.log, "w") as log:
                self.process = subprocess.Popen(
                    [sys.executable, __file__, str(self.folder), *names], cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=log,
                    start_new_session=True,  # stopped with everything it started (stop())
                )

    def result(self, name):
        """The grades of name, once written; a RuntimeError with the process's output if it ended without them."""
        path = self.folder / f"{name}.json"
        deadline = time.monotonic() + OVERALL_TIMEOUT
        while not path.exists():
            if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                if path.exists():  # written just before the process ended
                    break
                raise RuntimeError(f"no grades for {name}:\n{self.log.read_text()[-3000:] if self.log.exists() else ''}")
            time.sleep(0.1)
        return json.loads(path.read_text(encoding="utf-8"))

    def stop(self):
        """End the process, if it still runs (a session stopped early: -x, Ctrl-C), through its clean-up: what it
        started ends with it (run.run_own_group) and leaves no temporary folder; killed if that takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def main(argv):
    # SIGTERM (stop()) as an exit, which the grades under way pass on to their processes (run.run_own_group).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    folder = Path(argv[0])
    for name in argv[1:]:
        found = GRADES[name](folder / name)
        part = folder / f".{name}.json"
        part.write_text(json.dumps(found), encoding="utf-8")
        part.rename(folder / f"{name}.json")  # whole, or not there


if __name__ == "__main__":
    main(sys.argv[1:])
