"""The report a student reads in the terminal: a score table per layer, then what to fix, check by check.

The text depends only on the GradeResult (no timings, no terminal width), so the same submission always
prints the same report. Colour is a parameter: the caller decides whether the output is a terminal.
"""
import unicodedata

from ..messages import render
from ..results import PASSED
from .common import failure_groups, feedback, fraction, layer_note, points, rerun_command

_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}
INDENT = "  "


def _width(text):
    """Columns text takes in a terminal: CJK characters take two (for the catalogues a later language adds)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width, right=False):
    gap = " " * max(0, width - _width(text))
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


def _header(result, lang, paint):
    return [
        paint(render("title", lang, submission=result.submission), "bold"),
        render("settings", lang, seed=result.seed, profile=result.profile),
    ]


def _table(result, lang, paint):
    scores = result.layer_scores()
    rows = [(s.layer, s.score, s.max_score, s.passed, s.total, layer_note(result, s, lang)) for s in scores]
    total = (render("total", lang), result.score, result.max_score, sum(s.passed for s in scores), len(result.results), "")
    cells = [[row[0], *(points(v) for v in row[1:5]), row[5]] for row in rows + [total]]
    widths = [max(_width(cell[i]) for cell in cells) for i in range(5)]

    def fraction_cell(cell, i):
        return render("fraction", lang, part=_pad(cell[i], widths[i], right=True), whole=_pad(cell[i + 1], widths[i + 1]))

    score_width = max(_width(fraction_cell(cells[0], 1)), _width(render("col_score", lang)))
    checks_width = max(_width(fraction_cell(cells[0], 3)), _width(render("col_checks", lang)))
    head = "  ".join(
        [_pad(render("col_layer", lang), widths[0]), _pad(render("col_score", lang), score_width), render("col_checks", lang)]
    )
    lines = [paint(head, "bold")]
    for row, cell in zip(rows + [total], cells):
        if row is total:
            lines.append("-" * (widths[0] + score_width + checks_width + 4))
        score = paint(_pad(fraction_cell(cell, 1), score_width), paint.score_style(row[1], row[2]), "bold")
        checks = _pad(fraction_cell(cell, 3), checks_width)
        label = paint(_pad(cell[0], widths[0]), "bold") if row is total else _pad(cell[0], widths[0])
        lines.append(f"{label}  {score}  {checks}  {cell[5]}".rstrip())
    return lines


def summary(result, lang="en", color=False):
    """The title, the seed and profile, and the score table: the part of the report every format shares."""
    paint = _Painter(color)
    return "\n".join(_header(result, lang, paint) + [""] + _table(result, lang, paint)) + "\n"


def _failures(result, lang, paint):
    groups = failure_groups(result, lang)
    if not groups:
        return [paint(render("all_passed", lang), "green")]
    lines = [paint(render("failures_heading", lang), "bold")]
    for group in groups:
        lost = fraction(group.score, group.max_score, lang)
        lines += ["", f"{paint(group.label(result, lang), 'bold')}  {paint(lost, 'red')}"]
        if len(group.results) == 1 and group.results[0].check.description:
            lines.append(_indented(group.results[0].check.description))
        lines += [_indented(line) for line in group.feedback.lines(lang)]
    return lines


def _every_check(result, lang, paint):
    """--verbose: every check with its outcome and what it checks, and for each failure how to run it alone."""
    lines = [paint(render("every_check_heading", lang), "bold")]
    for layer_score in result.layer_scores():
        lines += ["", paint(layer_score.layer, "bold")]
        for r in (r for r in result.results if r.check.layer == layer_score.layer):
            status = render(f"status_{r.status}", lang)
            style = "green" if r.status == PASSED else "red"
            lines.append(
                f"{INDENT}{paint(_pad(status, 8), style)}{r.check.name}  ({fraction(r.score, r.check.points, lang)})"
            )
            if r.check.description:
                lines.append(_indented(r.check.description, INDENT * 3))
            if r.status != PASSED:
                lines += [_indented(line, INDENT * 3) for line in feedback(r, lang).lines(lang)]
                command = rerun_command(r, result.submission)
                lines.append(_indented(render("rerun", lang, command=command), INDENT * 3))
    return lines


def render_report(result, lang="en", verbose=False, color=False):
    """The whole terminal report as text ending in a newline."""
    paint = _Painter(color)
    lines = _header(result, lang, paint) + [""] + _table(result, lang, paint) + [""]
    lines += _every_check(result, lang, paint) if verbose else _failures(result, lang, paint)
    lines += ["", paint(render("tip", lang), "dim")]
    return "\n".join(lines) + "\n"
