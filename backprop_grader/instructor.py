"""The grader's options for instructors, and how they reach a grade: --rubric, --extra-tests, --batch (with --jobs,
--out, --timeout) and --gradescope-bundle.

cli.py adds them with add_options(), hands over to run_mode() for a mode other than grading one submission, and
grades one submission inside setup(), which stages the extra tests and resolves the rubric. A problem with any
of them is a usage error (exit status 2) before any grading starts.
"""
import argparse
import contextlib
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import batch, gradescope_bundle, shards
from .book import DEFAULT_CHAPTER
from .extra_tests import ExtraTestsError, staged
from .messages import render
from .options import GradeOptions
from .progress import counted, status_label
from .report import escape, terminal
from .report.common import points, shown_path
from .report.csv import OK
from .report.summary import summarise
from .rubric import NO_RUBRIC, RubricError, read, resolve

ONE_SUBMISSION_OPTIONS = ("json", "junit", "markdown", "fail_under", "verbose", "benchmark", "plot")
BATCH_OPTIONS = ("jobs", "out", "shard", "html")  # and --timeout, which --benchmark shares


def _positive(kind, lang):
    def value(text):
        try:
            number = kind(text)
        except ValueError:
            number = 0
        if number <= 0:
            raise argparse.ArgumentTypeError(render("instructor_not_positive", lang, value=text))
        return number

    return value


def add_options(parser, lang):
    group = parser.add_argument_group(render("instructor_options", lang))
    group.add_argument("--rubric", metavar="FILE", help=render("instructor_help_rubric", lang))
    group.add_argument("--extra-tests", metavar="DIR", help=render("instructor_help_extra_tests", lang))
    group.add_argument(
        "--batch", metavar="DIR", help=render("instructor_help_batch", lang, seconds=f"{batch.DEFAULT_TIMEOUT:g}")
    )
    group.add_argument(
        "--jobs", type=_positive(int, lang), metavar="N", help=render("instructor_help_jobs", lang, jobs=batch.default_jobs())
    )
    group.add_argument("--out", metavar="DIR", help=render("instructor_help_out", lang))
    group.add_argument("--html", metavar="FILE", help=render("instructor_help_html", lang))
    group.add_argument("--shard", metavar="K/N", help=render("instructor_help_shard", lang,
                                                                         command="backprop-grader merge"))
    group.add_argument("--gradescope-bundle", metavar="ZIP", help=render("instructor_help_gradescope_bundle", lang))


def _declared_checks(extra_args=(), chapter=DEFAULT_CHAPTER):
    """Every graded check of chapter, the extra tests' included, without running one; ExtraTestsError when two
    share a title."""
    from .run import declared_checks  # pytest and Hypothesis: only once the command line asks for them

    checks, seen = [], {}
    for check in declared_checks(extra_args=extra_args, chapter=chapter):
        if check.title in seen:
            raise ExtraTestsError("extra_tests_duplicate", title=check.title, first=seen[check.title], second=check.id)
        seen[check.title] = check.id
        checks.append(check)
    return checks


@dataclass
class Setup:
    """What grading needs from the instructor's options: pytest arguments for the extra tests, the rubric's
    Marking, and the declared checks (when they were needed)."""

    extra_args: tuple
    marking: object
    declared: list


@contextlib.contextmanager
def setup(parser, options, lang, need_declared=False):
    """Stage --extra-tests and resolve --rubric for the with block; print the rubric's total on stderr."""
    with contextlib.ExitStack() as stack:
        try:
            extra_args = stack.enter_context(staged(options.extra_tests))
            declared = None
            if need_declared or options.rubric or options.extra_tests:
                declared = _declared_checks(extra_args, options.chapter or DEFAULT_CHAPTER)
            marking = NO_RUBRIC
            if options.rubric:
                marking = resolve(read(options.rubric), declared)
        except (RubricError, ExtraTestsError) as exc:
            parser.error(render(exc.key, lang, **exc.params))
        if options.rubric:
            totals = marking.layer_totals()
            layers = ", ".join(f"{layer} {points(total)}" for layer, total in totals.items())
            total = points(sum(totals.values()))
            print(render("rubric_total", lang, path=options.rubric, total=total, layers=layers), file=sys.stderr)
        yield Setup(extra_args, marking, declared)


def _given(options, names):
    return [name for name in names if getattr(options, name) not in (None, False)]


def _option(name):
    return "--" + name.replace("_", "-")


def run_mode(parser, options, lang, grade_options):
    """Run --batch or --gradescope-bundle and return the exit status; None when one submission is to be graded.
    grade_options: how each submission is graded (a GradeOptions)."""
    if options.batch is None:
        stray = _given(options, BATCH_OPTIONS)
        if stray:
            parser.error(render("instructor_batch_only", lang, option=_option(stray[0])))
    if options.gradescope_bundle is not None:
        stray = _given(options, ("batch", "layer", *ONE_SUBMISSION_OPTIONS)) + (["submission"] if options.submission else [])
        if stray:
            parser.error(render("instructor_bundle_alone", lang, option=_option(stray[0])))
        return _bundle(parser, options, lang)
    if options.batch is not None:
        stray = _given(options, ONE_SUBMISSION_OPTIONS) + (["submission"] if options.submission else [])
        if stray:
            parser.error(render("instructor_batch_one_submission", lang, option=_option(stray[0])))
        return _batch(parser, options, lang, grade_options)
    return None


def _bundle(parser, options, lang):
    with setup(parser, options, lang):  # a rubric or extra tests the grader would refuse never get into a bundle
        pass
    # The rubric's aliases travel in the rubric; the flags, on run_autograder's command line.
    flags = GradeOptions(aliases=options.alias or (), use=options.use or ()).where_names_are()
    if options.chapter not in (None, DEFAULT_CHAPTER):  # setup.sh grades the package's reference of the chapter
        flags.append(f"--chapter={options.chapter}")
    try:
        path = gradescope_bundle.build(
            options.gradescope_bundle,
            rubric=options.rubric,
            extra_tests=options.extra_tests,
            grader_args=flags,
            sandbox=options.sandbox or "require",  # --sandbox auto: for a platform whose containers refuse a part
            lang=lang,  # of the results.json run_autograder writes should the grader fail
        )
    except gradescope_bundle.BundleError as exc:
        parser.error(render(exc.key, lang, **exc.params))
    print(render("bundle_written", lang, path=shown_path(path)))
    return 0


def _batch(parser, options, lang, grade_options):
    if not hasattr(os, "fork"):
        parser.error(render("batch_needs_fork", lang))
    directory = Path(options.batch)
    if not directory.is_dir():
        parser.error(render("cli_no_such_folder", lang, path=options.batch))
    try:
        shard = shards.Shard.parse(options.shard) if options.shard is not None else None
    except shards.ShardError as exc:
        parser.error(render(exc.key, lang, **exc.params))
    out = Path(options.out) if options.out else batch.default_out(directory)
    everyone = batch.submissions(directory, out)
    if not everyone:
        parser.error(render("batch_no_submissions", lang, path=options.batch))
    csv_path = Path(options.csv) if options.csv else out / batch.GRADES_CSV
    jobs = options.jobs or batch.default_jobs()
    if options.timeout is not None and options.timeout <= 0:
        parser.error(render("instructor_not_positive", lang, value=f"{options.timeout:g}"))
    if options.timeout is not None and options.timeout < batch.MIN_TIMEOUT:
        # A time limit under what the per-call limits may take cuts grades short that they would let finish.
        parser.error(render("instructor_timeout_too_short", lang, value=f"{options.timeout:g}",
                            limits=f"{batch.Limits().grade_seconds:g}", minimum=f"{batch.MIN_TIMEOUT:g}"))
    timeout = options.timeout or batch.DEFAULT_TIMEOUT
    # A shard of a small class may hold no submission: it writes empty files, which merge as nothing.
    paths = shards.pick(everyone, shard)
    started = time.perf_counter()
    with setup(parser, options, lang, need_declared=True) as ready:
        outcomes = batch.run(
            paths, out, csv_path, jobs, timeout, ready.declared, ready.marking, grade_options,
            extra_args=ready.extra_args, lang=lang,
            progress_stream=sys.stderr if sys.stderr.isatty() else None, html_path=options.html,
        )
    shards.write_record(out, outcomes, lang, _settings(options, grade_options, timeout), shard)
    seconds = time.perf_counter() - started
    counts = {status: sum(o.status == status for o in outcomes) for status in batch.STATUSES}
    print(
        render(
            "batch_summary", lang, count=len(outcomes), seconds=f"{seconds:.1f}",
            rate=f"{len(outcomes) / seconds:.2f}", jobs=jobs, counts=counted(counts, lang, ", "),
        )
    )
    if shard is not None:
        print(render("shard_graded", lang, shard=str(shard), count=len(outcomes), of=len(everyone)))
    _print_class(outcomes, out, csv_path, lang)
    return 0


def _digest(path):
    """A digest of the file or folder at path (None for none): shards graded with different rubrics or extra
    tests must not merge."""
    if path is None:
        return None
    path = Path(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()):
        digest.update(str(file.relative_to(path) if file != path else file.name).encode("utf-8", "surrogateescape"))
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _settings(options, grade_options, timeout):
    """What every grade of a batch ran with, for merge to check that shards were graded alike."""
    return {
        "options": grade_options.argv(), "timeout": timeout, "rubric": _digest(options.rubric),
        "extra_tests": _digest(options.extra_tests),
    }


def _print_class(outcomes, out, csv_path, lang):
    """What a batch (or a merge) says of the class after its one line of figures: the submissions that did not
    go well, the class summary and where the files are."""
    for outcome in outcomes:
        if outcome.status != OK:
            log = out / outcome.id / "grader.log"
            line = render(
                "batch_not_ok", lang, id=escape.name(outcome.id), status=status_label(outcome.status, lang),
                total=points(outcome.result.score),
            )
            see_log = render("batch_see_log", lang, log=escape.terminal(shown_path(log), keep="")) if outcome.detail else ""
            print(line + see_log)
    # The class as a whole: what batch.run wrote to summary.json and summary.md, in the terminal's words.
    found = summarise(outcomes)
    print()
    print("\n".join(terminal.class_summary(found, lang, more_in=shown_path(out / batch.SUMMARY_JSON))))
    print()
    print(render("batch_files", lang, csv=shown_path(csv_path), out=shown_path(out)))
    print(render("batch_class_files", lang, checks=shown_path(out / batch.CHECKS_CSV),
                 json=shown_path(out / batch.SUMMARY_JSON), markdown=shown_path(out / batch.SUMMARY_MARKDOWN)))


def add_merge_arguments(parser, lang):
    parser.add_argument("shards", nargs="+", metavar="SHARD_OUT", help=render("merge_help_shards", lang))
    parser.add_argument("--out", metavar="DIR", required=True, help=render("merge_help_out", lang))
    parser.add_argument("--html", metavar="FILE", help=render("instructor_help_html", lang))


def merge(parser, options, lang):
    """backprop-grader merge --out DIR SHARD_OUT...: the shards' outputs joined as one batch would have written
    them; the exit status."""
    try:
        outcomes, merged_lang = shards.merge([Path(folder) for folder in options.shards], options.out, options.html)
    except shards.ShardError as exc:
        parser.error(render(exc.key, lang, **exc.params))
    out = Path(options.out)
    print(render("merge_done", lang, shards=len(options.shards), count=len(outcomes)))
    _print_class(outcomes, out, out / batch.GRADES_CSV, merged_lang)
    return 0
