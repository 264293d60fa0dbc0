"""python -m backprop_grader.many --out DIR [--jobs N] [--timeout SECONDS] [GradeOptions' options] -- SUBMISSION...:
each submission's GradeResult as JSON in DIR/<i>.json, i its place in the list.

run.grade_many starts this process once for all its submissions, so that grading many of them (the project's
tests of the catalogue, scripts/catalogue_scores.py) pays Python's start-up and the imports of numpy and pytest
once, not once a submission: it grades them as --batch does (batch.fork_each), a forked child each, jobs at a
time, each running run.grade exactly as `python -m backprop_grader.run` does and killed past the same time
limit. It is a process of its own, never the caller's, so that nothing of the caller (a pytest session and its
Hypothesis profile) reaches a grade; a module of its own, because batch imports run, which may not import batch.

A grade that does not finish (its time limit, a crash, no result written) stops the others: why, with its last
words, goes to DIR/<i>.failed, and the process exits with status 1, for run.grade_many to raise. The results
are the children's as they wrote them: each names its submission as given here.
"""
import argparse
import sys
from pathlib import Path

from . import batch, run  # noqa: F401 (run: pytest and Hypothesis, imported before the memory cap is taken)
from .files import write_atomically
from .limits import grader_memory
from .options import GradeOptions, declare

FAILED = ".failed"


class Unfinished(Exception):
    """A grade that did not finish: the others are not worth waiting for."""


def grade_each(submissions, out, jobs, timeout, options):
    """Grade each of submissions (paths as given) into out/<i>.json, or stop at the first that does not finish,
    its reason in out/<i>.failed (Unfinished)."""

    def finished(index, child, wait_status):
        if not batch.wrote_result(child, wait_status):
            write_atomically(out / f"{index}{FAILED}", batch.last_words(child, wait_status, timeout))
            raise Unfinished(submissions[index])
        write_atomically(out / f"{index}.json", child.result_file.read_text(encoding="utf-8"))

    batch.fork_each(submissions, jobs, timeout, options, (), finished)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m backprop_grader.many")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--jobs", type=int, default=batch.default_jobs())
    parser.add_argument("--timeout", type=float, default=batch.DEFAULT_TIMEOUT)
    parser.add_argument("submissions", nargs="+")
    declare(parser.add_argument)
    namespace = parser.parse_args(argv)
    options = GradeOptions.from_namespace(namespace)
    try:
        with grader_memory():  # each grade's, as around a single one (run.main): the children inherit it
            grade_each(namespace.submissions, namespace.out, namespace.jobs, namespace.timeout, options)
    except Unfinished:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
