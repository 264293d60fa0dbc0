"""The class page (`--batch DIR --html FILE`, and `merge --html FILE`): one self-contained HTML file that opens from
disk and prints well. No script, no stylesheet or font from elsewhere, no date: the same class gives the same
bytes. It holds the class summary's tables, a histogram of each layer's scores and a chart of the common mistakes
(report/plots.py, when matplotlib is installed; otherwise a line says how to get them), and the class table, each
student's row linking to their own page (student_page, written beside their results.json).

Every text that comes from a submission (a folder's name, what a report quotes of its code) is escaped here with
escape.html; the grader's own sentences are escaped too, since a translation may hold <, > or &.
"""
import os
from urllib.parse import quote

from ..book import ALL_LAYERS
from ..messages import render
from . import escape, plots, terminal
from .common import points
from .summary import LAYER_COLUMNS, SHOWN_MISTAKES, layer_cells, mistake_text, unfinished_text

STUDENT_PAGE = "report.html"
MISTAKE_LABEL_CHARS = 70
_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1, h2 { font-weight: 600; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, .text { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.charts figure { margin: 0; }
.status-ok { color: #2a7a2a; }
.status-bad { color: #a33; }
pre { white-space: pre-wrap; font-size: 0.9em; }
@media print { .charts figure, tr { break-inside: avoid; } body { margin: 0; max-width: none; } }
"""


def _text(text):
    return escape.html(str(text))


def _page(title, body, lang):
    return (
        f'<!DOCTYPE html>\n<html lang="{_text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_text(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _table(header, rows, classes=()):
    head = "".join(f'<th class="{classes[i]}">{_text(cell)}</th>' if i < len(classes) and classes[i]
                   else f"<th>{_text(cell)}</th>" for i, cell in enumerate(header))
    lines = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    for row in rows:
        cells = "".join(f'<td class="{classes[i]}">{cell}</td>' if i < len(classes) and classes[i] else f"<td>{cell}</td>"
                        for i, cell in enumerate(row))
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody>\n</table>\n")
    return "\n".join(lines)


def _layers(summary, lang):
    rows = [[_text(cell) for cell in layer_cells(s)] for s in summary.layers]
    return _table([render(k, lang) for k in LAYER_COLUMNS], rows) + f"<p>{_text(unfinished_text(summary, lang))}</p>\n"


def _charts(summary, lang):
    if not plots.available():
        return f"<p>{_text(render('html_no_plots', lang, command=plots.INSTALL))}</p>\n"
    figures = []
    for s in summary.layers:
        svg = plots.histogram(s.scores, s.max_score, s.layer, render("html_axis_points", lang),
                              render("html_axis_submissions", lang))
        figures.append(f'<figure class="histogram">{svg}</figure>')
    shown = summary.mistakes[:SHOWN_MISTAKES]
    if shown:
        labels = [_label(f"{m.layer}: {mistake_text(m, lang)}") for m in shown]
        svg = plots.bars(labels, [m.count for m in shown], render("summary_mistakes_heading", lang),
                         render("html_axis_submissions", lang))
        figures.append(f'<figure class="mistakes">{svg}</figure>')
    return '<div class="charts">\n' + "\n".join(figures) + "\n</div>\n"


def _label(text):
    """A mistake's name as a chart label: one line, clipped, and no $ that matplotlib would read as maths."""
    text = " ".join(text.split())
    if len(text) > MISTAKE_LABEL_CHARS:
        text = text[: MISTAKE_LABEL_CHARS - 1] + escape.ELLIPSIS
    return text.replace("$", r"\$")


def _mistakes(summary, lang):
    if not summary.mistakes:
        return f"<p>{_text(render('summary_no_mistakes', lang))}</p>\n"
    header = [render("summary_col_submissions", lang), render("col_layer", lang), render("summary_col_mistake", lang)]
    rows = [[_text(render("summary_count", lang, count=m.count, total=summary.submissions)), _text(m.layer),
             f"{_text(mistake_text(m, lang))} <code>{_text(m.mistake)}</code>"] for m in summary.mistakes]
    return _table(header, rows, classes=("", "text", "text"))


def _students(outcomes, page_folder, out, lang):
    layers = [layer for layer in ALL_LAYERS if any(r.check.layer == layer for o in outcomes for r in o.result.results)]
    header = [render("html_col_submission", lang), *layers, render("html_col_total", lang), render("html_col_status", lang)]
    rows = []
    for outcome in outcomes:
        target = os.path.relpath(os.path.join(out, outcome.id, STUDENT_PAGE), page_folder)
        link = f'<a href="{_text(quote(target.replace(os.sep, "/")))}">{escape.html(escape.name(outcome.id))}</a>'
        per_layer = {s.layer: points(s.score) for s in outcome.result.layer_scores()}
        status = "ok" if outcome.status == "ok" else "bad"
        rows.append([link, *(per_layer.get(layer, "") for layer in layers), points(outcome.result.score),
                     f'<span class="status-{status}">{_text(outcome.status)}</span>'])
    return _table(header, rows, classes=("text",))


def class_page(outcomes, summary, page_path, out, lang="en"):
    """The class page's HTML for outcomes (a batch's, in its order) and their ClassSummary; page_path: where it is
    written, out: the batch's --out folder (the student pages' links are relative to the page)."""
    page_folder = os.path.dirname(os.path.abspath(page_path))
    out = os.path.abspath(out)
    title = render("summary_heading", lang, count=summary.submissions)
    body = [
        f"<h1>{_text(title)}</h1>\n",
        _layers(summary, lang),
        _charts(summary, lang),
        f"<h2>{_text(render('summary_mistakes_heading', lang))}</h2>\n",
        _mistakes(summary, lang),
        f"<h2>{_text(render('html_students_heading', lang))}</h2>\n",
        _students(outcomes, page_folder, out, lang),
    ]
    return _page(title, "".join(body), lang)


def student_page(outcome, lang="en"):
    """One student's page: their report as the terminal shows it (no colour), under their folder's name."""
    report = terminal.render_report(outcome.result, lang, color=False)
    name = escape.name(outcome.id)
    body = f"<h1>{escape.html(name)}</h1>\n<pre>{escape.html(report)}</pre>\n"
    return _page(name, body, lang)
