"""python grader.py [SUBMISSION] (or backprop-grader, or python -m backprop_grader): grade a submission, print
the report, write the requested files, exit. `backprop-grader init [DIR]` copies a fresh template to DIR.

SUBMISSION: a folder shaped like student_template/, a study repository or any folder of .py files, one .py
file, or a notebook (intake.py). --alias, --use and --rubric say where its names are.

Exit status: 0 when grading finished, whatever the score; 1 when --fail-under N is given and the total is
below N; 2 for a usage error (argparse's convention), a submission folder that does not exist included; 3 when
the grader itself ran out of memory (limits.grader_memory), with no score given.
run.grade is the one call that produces the GradeResult: how a submission is run (in worker processes it cannot
escape from, or with --no-isolate in this one, for a debugger) is decided there, and everything here works on
the plain result.
Every word printed is in the learner's language: --lang, else the locale (LANG, LC_ALL, LC_MESSAGES), else
English.
"""
import argparse
import dataclasses
import os
import re
import sys
import time
from pathlib import Path

from . import benchmark, init, instructor, isolation, limits, rubric
from .book import DEFAULT_CHAPTER, chapter_of
from .files import forgiving_stdout
from .isolation.sandbox_plan import SandboxUnavailable
from .isolation.sandbox_plan import require as require_sandbox
from .isolation.session import Session
from .messages import DEFAULT_LANGUAGE, language_from_environment, languages, render
from .names import Aliases, as_aliases
from .options import PLUGIN_PREFIX, GradeOptions, declare
from .report import csv, gradescope, junit, markdown, plots, terminal
from .report.common import shown_path
from .results import sandbox_summary
from .shipped import REFERENCE_DIR, resolve

DEFAULT_SUBMISSION = "student_template"  # what `python grader.py` grades, from the current directory or the package's
DEFAULT_PLOT = "training.png"  # --plot with no FILE: in the folder it runs from, as the learner asked


def _formatter(lang):
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups, prefix or render("cli_usage", lang))

    return Formatter


class _Parser(argparse.ArgumentParser):
    """argparse with its own words (usage:, options, error:, the help option) in the learner's language.

    argparse's messages about malformed options ("invalid int value") stay English: they come from its gettext
    domain, for which Python ships no translations.
    """

    def __init__(self, lang, **kwargs):
        super().__init__(add_help=False, formatter_class=_formatter(lang), **kwargs)
        self.lang = lang
        self._positionals.title = render("cli_positionals", lang)
        self._optionals.title = render("cli_options", lang)
        self.add_argument("-h", "--help", action="help", help=render("cli_help_help", lang))

    def error(self, message):
        # An error about one option comes as "argument --layer: ...": name the option in the learner's language.
        about = re.match(r"argument (\S+): (.*)", message, re.DOTALL)
        if about:
            message = render("cli_argument_error", self.lang, option=about.group(1), message=about.group(2))
        self.print_usage(sys.stderr)
        self.exit(2, render("cli_error", self.lang, prog=self.prog, message=message) + "\n")


def chosen_language(argv=None, environ=None):
    """--lang if argv gives a language we have, else the environment's locale, else English.

    Read before the parser is built, since the parser's own help and errors are already in that language.
    """
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    lang = early.parse_known_args(argv)[0].lang
    return lang if lang in languages() else language_from_environment(environ)


def build_parser(lang=DEFAULT_LANGUAGE):
    parser = _Parser(lang, description=render("cli_description", lang), epilog=render("cli_epilog", lang))
    parser.add_argument("submission", nargs="?", help=render("cli_help_submission", lang))
    parser.add_argument("--lang", choices=languages(), help=render("cli_help_lang", lang))
    parser.add_argument("-v", "--verbose", action="store_true", help=render("cli_help_verbose", lang))
    parser.add_argument("--fail-under", type=float, metavar="N", help=render("cli_help_fail_under", lang))
    # --isolate is the default: the grader's parser offers only the way out of it.
    declare(parser.add_argument, lang=lang)
    parser.set_defaults(isolate=None)
    for option in ("json", "junit", "markdown", "csv"):
        parser.add_argument(f"--{option}", metavar="FILE", help=render(f"cli_help_{option}", lang))
    parser.add_argument("--plot", nargs="?", const=DEFAULT_PLOT, metavar="FILE",
                        help=render("cli_help_plot", lang, default=DEFAULT_PLOT))
    parser.add_argument("--benchmark", action="store_true", help=render("cli_help_benchmark", lang))
    benchmark.add_options(parser, lang)
    instructor.add_options(parser, lang)
    return parser


def _aliases(parser, options, lang):
    """--alias flags over the rubric file's [aliases] table, or a usage error naming what is wrong with it."""
    flags = Aliases.parse(options.alias or ())
    if not options.rubric:
        return flags
    try:
        return as_aliases(rubric.read(options.rubric).aliases).merged(flags)
    except rubric.RubricError as exc:
        parser.error(render(exc.key, lang, **exc.params))
    except ValueError as exc:
        parser.error(render("cli_bad_rubric", lang, path=options.rubric, error=str(exc)))


def grade_options(parser, options, lang):
    """How every grade runs (a batch's too): the parsed options, with the rubric's aliases under the --alias
    flags. Unset, --sandbox is auto for a grade, and require in a Gradescope bundle (see instructor.py)."""
    chapter = options.chapter or DEFAULT_CHAPTER
    for layer in options.layer or ():
        if chapter_of(layer) != chapter:
            parser.error(render("cli_layer_not_in_chapter", lang, layer=layer, its=chapter_of(layer), chapter=chapter))
    return GradeOptions.of(GradeOptions.from_namespace(options), aliases=_aliases(parser, options, lang))


def _submission(parser, option, lang, chapter=DEFAULT_CHAPTER):
    """The submission (a folder, a .py file or a notebook), or a usage error naming the path as given.

    A folder is looked up from the current directory first, then among the package's own (reference,
    student_template), so `python grader.py` grades ./student_template if there is one, else the package's.
    """
    path, why = _found(option, chapter)
    if why is not None:
        parser.error(render(why, lang, path=option or DEFAULT_SUBMISSION))
    return path


def _found(option, chapter=DEFAULT_CHAPTER):
    """(the submission option names, None) if it is one the grader can grade: a folder, a .py file or a notebook;
    else (None, the message key saying why not)."""
    path = resolve(option or DEFAULT_SUBMISSION, chapter)
    if not path.exists():
        return None, "cli_no_such_folder"
    if not path.is_dir() and path.suffix not in (".py", ".ipynb"):
        return None, "cli_not_a_folder"
    return path, None


def use_color(stream, environ=os.environ):
    """Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org)."""
    return stream.isatty() and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _plot(submission, grading, result, path, lang):
    """--plot: the training curves of the graded submission beside the reference's, saved as a PNG at path; the
    line that says where, or None when matplotlib is missing (said on stderr)."""
    if not plots.available():
        print(render("plot_needs_matplotlib", lang, command=plots.INSTALL), file=sys.stderr)
        return None
    from . import training  # numpy and the reference, only when asked for

    found = training.run(submission, grading, result)
    picture = plots.training_picture(found, lang)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(picture)
    return render("plot_written", lang, path=path) + "\n"


def main(argv=None):
    lang = chosen_language(argv)  # chosen once here; the parser and every report take it

    def failed(exc):  # a full disk: said once; the results files are written all the same
        print(render("cli_report_not_written", lang, error=exc.strerror or exc), file=sys.stderr)

    with forgiving_stdout(failed):
        return _main(sys.argv[1:] if argv is None else list(argv), lang)


def _main(argv, lang):
    if argv[:1] == ["init"]:  # backprop-grader init [DIR]; a folder named init is graded as ./init
        parser = _Parser(lang, prog="backprop-grader init", description=render("init_description", lang))
        init.add_arguments(parser, lang)
        parser.add_argument("--lang", choices=languages(), help=render("cli_help_lang", lang))
        chosen = parser.parse_args(argv[1:])
        return init.run(parser, chosen.folder, lang, chosen.chapter)
    if argv[:1] == ["merge"]:  # backprop-grader merge --out DIR SHARD_OUT...: a class graded in shards, joined
        parser = _Parser(lang, prog="backprop-grader merge", description=render("merge_description", lang))
        instructor.add_merge_arguments(parser, lang)
        parser.add_argument("--lang", choices=languages(), help=render("cli_help_lang", lang))
        return instructor.merge(parser, parser.parse_args(argv[1:]), lang)
    parser = build_parser(lang)
    options = parser.parse_args(argv)
    grading = grade_options(parser, options, lang)
    workers = _start_workers(options, grading)
    try:
        # pytest and Hypothesis, imported while the workers boot; and before the grader's memory is capped, as
        # they were when this module imported them: what they hold is not the grade's.
        from . import run  # noqa: F401

        allowance = None
        try:
            with limits.grader_memory() as allowance:
                return _run(parser, options, lang, grading, workers)
        except MemoryError:  # the grader's own: what the submission runs out of, it runs out of in its worker
            print(limits.out_of_memory_message(allowance, lang), file=sys.stderr)
            return limits.GRADER_OUT_OF_MEMORY
    finally:
        if workers is not None:
            workers.close()


def _start_workers(options, grading):
    """For one submission graded isolated, an isolation Session with its workers started now: they boot (~0.12 s)
    while this process imports pytest and Hypothesis, where starting them at pytest's configure left the first
    check waiting ~0.05 s for them (docs/performance.md). None for anything else, and wherever a usage error is
    still to come, which _run reports as before."""
    if options.batch is not None or options.gradescope_bundle is not None or options.benchmark:
        return None
    if not grading.isolate or grading.sandbox == "require" or not isolation.available():
        return None
    path, why = _found(options.submission, grading.chapter)
    if why is not None:
        return None
    session = Session(path, options=grading)
    session.start_both(REFERENCE_DIR)
    return session


def _run(parser, options, lang, grading, workers=None):
    """Grade, or run the mode options ask for, and return the exit status. workers: _start_workers's Session."""
    if options.sandbox == "require" and grading.isolate and not options.gradescope_bundle:
        try:
            require_sandbox()  # a machine that cannot is told before any grade
        except SandboxUnavailable as exc:
            parser.exit(2, render("sandbox_required", lang, summary=sandbox_summary(exc.status, lang)) + "\n")
    status = instructor.run_mode(parser, options, lang, grading)  # --batch, --gradescope-bundle
    if status is not None:
        return status
    submission = _submission(parser, options.submission, lang, grading.chapter)
    if options.benchmark:
        return benchmark.run(submission, options.benchmark_json, options.max_ratio, options.timeout, lang,
                             grading=grading)

    with instructor.setup(parser, options, lang) as ready:  # --extra-tests, --rubric
        from .run import grade  # imported by main while the workers booted

        limits.freeze_what_is_loaded()
        started = time.perf_counter()
        result = grade(submission, grading, extra_args=ready.extra_args, workers=workers)
        wall_time = time.perf_counter() - started
    result = ready.marking.apply(result)
    # Reports name the folder as the student sees it, not by an absolute path that differs between machines.
    result = dataclasses.replace(result, submission=shown_path(submission), lang=lang)

    # Learner text in any language must print even on a console whose encoding lacks its characters.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    # The options a pytest run of one check needs to find the submission's names as this grade did.
    rerun = grading.where_names_are(PLUGIN_PREFIX)
    report = terminal.render_report(result, lang, verbose=options.verbose, color=use_color(sys.stdout),
                                    rerun_options=rerun)
    # The files first: a standard output that fails (closed, a full disk) must not lose the results. A file that
    # cannot be written is named, and the others are written all the same.
    files = (
        (options.json, lambda path: _write(path, gradescope.render(result, lang, execution_time=wall_time))),
        (options.junit, lambda path: _write(path, junit.render(result, lang))),
        (options.markdown, lambda path: _write(path, markdown.render(result, lang))),
        (options.csv, lambda path: csv.append(path, [csv.row(result, submission.name, wall_time)])),
        (options.plot, lambda path: _plot(submission, grading, result, path, lang)),
    )
    unwritten = []
    for path, write in files:
        if path:
            try:
                said = write(path)  # the plot says where it went, after the report
            except OSError as exc:
                unwritten.append(render("cli_not_written", lang, path=path, error=exc.strerror or exc))
            else:
                report += said or ""
    sys.stdout.write(report)  # a standard output that fails is said on stderr (main's forgiving_stdout)
    if unwritten:
        print("\n".join(unwritten), file=sys.stderr)
        return 2
    if options.fail_under is not None and result.score < options.fail_under:
        return 1
    return 0
