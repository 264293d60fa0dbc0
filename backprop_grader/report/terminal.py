"""The report a student reads in the terminal: a score table per layer, then what to fix, check by check.

The text depends only on the GradeResult (no timings, no terminal width), so the same submission always
prints the same report. Colour is a parameter: the caller decides whether the output is a terminal.
"""
import unicodedata

from ..book import layers_of
from ..messages import languages, render
from ..results import ERROR, FAILED, NOT_RUN, PASSED, SKIPPED, sandbox_summary
from . import escape
from .common import also_explains, failure_groups, feedback, fraction, layer_note, notes, points, rerun_command
from .summary import LAYER_COLUMNS, SHOWN_MISTAKES, layer_cells, mistake_text, unfinished_text

_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}
INDENT = "  "
STATUSES = (PASSED, FAILED, ERROR, SKIPPED, NOT_RUN)


def width_of(text):
    """Columns text takes in a terminal: wide and full-width characters (Japanese, Korean, Chinese) take two, a
    combining mark none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, width, right=False):
    gap = " " * max(0, width - width_of(text))
    return gap + text if right else text + gap


class _Painter:
    def __init__(self, color):
        self.color = color

    def __call__(self, text, *styles):
        if not self.color or not text:
            return text
        codes = ";".join(_STYLES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def score_style(self, score, max_score):
        if score == max_score:
            return "green"
        return "red" if score == 0 else "yellow"


def _indented(text, prefix=INDENT):
    """text indented by prefix, its continuation lines (a 2-D array in a message) by four more spaces."""
    first, *rest = text.splitlines() or [""]
    return "\n".join([prefix + first] + [prefix + "    " + line for line in rest])


def _graded(result, lang):
    """Which layers were graded, and the report's language with the option that chooses it."""
    layers = [s.layer for s in result.layer_scores()]
    chapter = layers_of(result.chapter)
    if len(layers) == len(chapter):
        graded = render("header_all_layers", lang, count=len(chapter))
    else:
        graded = render("header_some_layers", lang, layers=", ".join(layers), count=len(layers), of=len(chapter))
    option = "--lang " + "|".join(languages())
    return render("header_graded", lang, layers=graded, language=render("language_name", lang), option=option)


def _header(result, lang, paint, verbose=False):
    """The title with the score, the layers graded and the language; with verbose (and in the instructors'
    formats) also the seed, the Hypothesis profile and what held of the sandbox, which a learner needs only
    to tell a report from another one."""
    title = render("title", lang, submission=result.submission, score=points(result.score),
                   max_score=points(result.max_score))
    lines = [paint(title, "bold"), _graded(result, lang)]
    if verbose:
        lines.append(render("settings", lang, seed=result.seed, profile=result.profile))
        lines += [sandbox_summary(result.sandbox, lang)] if result.sandbox is not None else []
    return lines


def _table(result, lang, paint):
    """Layer, score / max, checks passed / checks, a note; then the total. Fractions align on their slash."""
    scores = result.layer_scores()
    rows = [(s.layer, s.score, s.max_score, s.passed, s.total, layer_note(result, s, lang)) for s in scores]
    total = (render("total", lang), result.score, result.max_score, sum(s.passed for s in scores), len(result.results), "")
    text = [[label, *(points(n) for n in numbers), note] for label, *numbers, note in rows + [total]]
    width = [max(width_of(row[i]) for row in text) for i in range(5)]

    def fraction_at(row, i):
        return render("fraction", lang, part=pad(row[i], width[i], right=True), whole=pad(row[i + 1], width[i + 1]))

    headings = [render(key, lang) for key in ("col_layer", "col_score", "col_checks")]
    score_width = max(width_of(fraction_at(text[0], 1)), width_of(headings[1]))
    checks_width = max(width_of(fraction_at(text[0], 3)), width_of(headings[2]))

    def line(row, score, max_score, bold=False):
        label = pad(row[0], width[0])
        label = paint(label, "bold") if bold else label
        points_cell = paint(pad(fraction_at(row, 1), score_width), paint.score_style(score, max_score), "bold")
        return f"{label}  {points_cell}  {pad(fraction_at(row, 3), checks_width)}  {row[5]}".rstrip()

    head = f"{pad(headings[0], width[0])}  {pad(headings[1], score_width)}  {headings[2]}"
    rule = "-" * (width[0] + score_width + checks_width + 4)
    body = [line(row, r[1], r[2]) for row, r in zip(text, rows)]
    return [paint(head, "bold"), *body, rule, line(text[-1], total[1], total[2], bold=True)]


def _notes(result, lang, paint):
    """The notes on how the submission was read (a skipped training loop, which of two files was graded)."""
    said = notes(result, lang)
    if not said:
        return []
    return ["", paint(render("notes_heading", lang), "bold")] + [_indented(text, "- ") for text in said]


def summary(result, lang="en", color=False):
    """The title, the seed, profile and sandbox, the score table and the notes: the instructors' formats' part."""
    result = escape.sanitized(result, escape.terminal)  # nothing the submission wrote acts on the terminal
    paint = _Painter(color)
    lines = _header(result, lang, paint, verbose=True) + [""] + _table(result, lang, paint) + _notes(result, lang, paint)
    return "\n".join(lines) + "\n"


def _failures(result, lang, paint):
    groups = failure_groups(result, lang)
    if not groups:
        return [paint(render("all_passed", lang), "green")]
    lines = [paint(render("failures_heading", lang), "bold")]
    for group in groups:
        lost = fraction(group.score, group.max_score, lang)
        lines += ["", f"{paint(group.label(result, lang), 'bold')}  {paint(lost, 'red')}"]
        if len(group.results) == 1 and group.results[0].check.describe(lang):
            lines.append(_indented(group.results[0].check.describe(lang)))
        lines += [_indented(line) for line in group.feedback.lines(lang)]
        if group.explained:
            lines.append(_indented(_also_explains(group.explained, lang)))
    return lines


def _also_explains(explained, lang):
    return render("labelled", lang, label=render("label_also_explains", lang), text=also_explains(explained, lang))


def _every_check(result, lang, paint, rerun_options=()):
    """--verbose: every check with its outcome and what it checks, and for each failure how to run it alone."""
    lines = [paint(render("every_check_heading", lang), "bold")]
    status_width = max(width_of(render(f"status_{status}", lang)) for status in STATUSES) + 1
    for layer_score in result.layer_scores():
        lines += ["", paint(layer_score.layer, "bold")]
        for r in (r for r in result.results if r.check.layer == layer_score.layer):
            status = render(f"status_{r.status}", lang)
            style = "green" if r.status == PASSED else "red"
            lines.append(
                f"{INDENT}{paint(pad(status, status_width), style)}{r.check.name}  ({fraction(r.score, r.check.points, lang)})"
            )
            if r.check.describe(lang):
                lines.append(_indented(r.check.describe(lang), INDENT * 3))
            if r.status != PASSED:
                lines += [_indented(line, INDENT * 3) for line in feedback(r, lang, whole_inputs=True).lines(lang)]
                command = rerun_command(r, result.submission, rerun_options)
                lines.append(_indented(render("rerun", lang, command=command), INDENT * 3))
    return lines


def _printed(result, lang, paint, verbose):
    """What the submission printed: under --verbose, its last characters (escaped: they must not act on the
    terminal) under a line saying the grader captured them; otherwise only that line, pointing to --verbose."""
    if not result.printed_chars:
        return []
    if not verbose:
        return ["", render("printed_captured", lang, chars=result.printed_chars)]
    text = result.printed
    cut = len(text) < result.printed_chars
    if cut and "\n" in text[:-1]:
        text = text.split("\n", 1)[1]  # from the first whole line kept
    heading = (render("printed_heading_cut", lang, shown=len(text), chars=result.printed_chars) if cut else
               render("printed_heading", lang))
    text = escape.terminal(text).rstrip("\n")
    return ["", paint(heading, "bold"), *(INDENT + line for line in text.split("\n"))]


def render_report(result, lang="en", verbose=False, color=False, rerun_options=()):
    """The whole terminal report as text ending in a newline. rerun_options: the options the grading was given
    that the command running one check alone needs too (--alias, --use)."""
    result = escape.sanitized(result, escape.terminal)  # nothing the submission wrote acts on the terminal
    paint = _Painter(color)
    lines = _header(result, lang, paint, verbose) + [""] + _table(result, lang, paint) + _notes(result, lang, paint)
    lines += [""]
    lines += _every_check(result, lang, paint, rerun_options) if verbose else _failures(result, lang, paint)
    lines += _printed(result, lang, paint, verbose)
    lines += ["", paint(render("tip", lang), "dim")]
    return "\n".join(lines) + "\n"


MISTAKE_COLUMNS = 100  # a mistake's text in the class summary is clipped to this many columns (summary.md has it whole)


def clipped(text, columns):
    """text cut to fit columns (CJK characters take two), an ellipsis marking the cut."""
    if width_of(text) <= columns:
        return text
    while width_of(text) > columns - 1:
        text = text[:-1]
    return text.rstrip() + escape.ELLIPSIS


def class_summary(summary, lang="en", color=False, shown=None, more_in=""):
    """A batch's ClassSummary (report/summary.py) as lines of text: per layer the spread of scores, then how
    many grades did not load or finish, then the most common mistakes (shown of them; more_in names the file
    that has every one)."""
    shown = SHOWN_MISTAKES if shown is None else shown
    paint = _Painter(color)
    rows = [[render(key, lang) for key in LAYER_COLUMNS]] + [layer_cells(s) for s in summary.layers]
    width = [max(width_of(row[i]) for row in rows) for i in range(len(LAYER_COLUMNS))]

    def line(row):
        cells = [pad(row[0], width[0])] + [pad(cell, w, right=True) for cell, w in zip(row[1:], width[1:])]
        return INDENT + "  ".join(cells)

    lines = [paint(render("summary_heading", lang, count=summary.submissions), "bold"), paint(line(rows[0]), "bold")]
    lines += [line(row) for row in rows[1:]]
    lines.append(INDENT + unfinished_text(summary, lang))
    lines += ["", paint(render("summary_mistakes_heading", lang), "bold")]
    if not summary.mistakes:
        lines.append(INDENT + render("summary_no_mistakes", lang))
    counts = [render("summary_count", lang, count=m.count, total=summary.submissions) for m in summary.mistakes[:shown]]
    count_width = max((width_of(c) for c in counts), default=0)
    for count, m in zip(counts, summary.mistakes):
        lines.append(f"{INDENT}{pad(count, count_width, right=True)}  {m.layer}: {clipped(escape.terminal(mistake_text(m, lang), keep=''), MISTAKE_COLUMNS)}")
    if len(summary.mistakes) > shown:
        lines.append(INDENT + render("summary_more_mistakes", lang, count=len(summary.mistakes) - shown, path=more_in))
    return lines
