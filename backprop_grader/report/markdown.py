"""A Markdown report for a CI job summary (e.g. $GITHUB_STEP_SUMMARY): the score table, then what to fix."""
from ..messages import render as message
from . import escape
from .common import also_explains, failure_groups, fraction, layer_note, notes, points
from .summary import LAYER_COLUMNS, SHOWN_MISTAKES, layer_cells, mistake_text, unfinished_text

_escape = escape.markdown


def _fenced(text):
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"


def render(result, lang="en"):
    """The Markdown report as text."""
    result = escape.sanitized(result, escape.terminal)  # no control characters from the submission, even fenced
    lines = [
        "## " + _escape(message("markdown_title", lang, score=points(result.score), max_score=points(result.max_score))),
        "",
        message("markdown_settings", lang, submission=escape.markdown_code(result.submission), seed=result.seed, profile=result.profile),
        "",
        f"| {message('col_layer', lang)} | {message('col_score', lang)} | {message('col_checks', lang)} | |",
        "|---|---:|---:|---|",
    ]
    scores = result.layer_scores()
    for s in scores:
        lines.append(
            f"| {s.layer} | {fraction(s.score, s.max_score, lang)} | {fraction(s.passed, s.total, lang)} "
            f"| {_escape(layer_note(result, s, lang))} |"
        )
    total = message("total", lang)
    lines.append(
        f"| **{total}** | **{fraction(result.score, result.max_score, lang)}** "
        f"| {fraction(sum(s.passed for s in scores), len(result.results), lang)} | |"
    )
    said = notes(result, lang)
    if said:
        lines += ["", "### " + _escape(message("notes_heading", lang)), ""] + [f"- {_escape(text)}" for text in said]
    groups = failure_groups(result, lang)
    lines += ["", "### " + _escape(message("failures_heading" if groups else "all_passed", lang))]
    for group in groups:
        lost = fraction(group.score, group.max_score, lang)
        lines += ["", f"#### {_escape(group.label(result, lang))} ({lost})", ""]
        if len(group.results) == 1 and group.results[0].check.describe(lang):
            lines += [_escape(group.results[0].check.describe(lang)), ""]
        found = group.feedback
        lines.append(_fenced(found.problem))
        explained = also_explains(group.explained, lang) if group.explained else None
        for label, text in (("label_input", found.example), ("label_hint", found.hint), ("label_also_explains", explained)):
            if text:
                lines.append(f"- **{_escape(message(label, lang))}**: {_escape(text)}")
    return "\n".join(lines) + "\n"


def class_summary(summary, lang="en", shown=None, more_in=""):
    """A batch's ClassSummary (report/summary.py) in Markdown: the layers' table, what did not finish, and the most
    common mistakes."""
    shown = SHOWN_MISTAKES if shown is None else shown
    lines = [
        "## " + _escape(message("summary_heading", lang, count=summary.submissions)),
        "",
        "| " + " | ".join(_escape(message(key, lang)) for key in LAYER_COLUMNS) + " |",
        "|---|" + "---:|" * (len(LAYER_COLUMNS) - 1),
    ]
    for s in summary.layers:
        lines.append("| " + " | ".join(layer_cells(s)) + " |")
    lines += ["", _escape(unfinished_text(summary, lang))]
    lines += ["", "### " + _escape(message("summary_mistakes_heading", lang)), ""]
    if not summary.mistakes:
        lines.append(_escape(message("summary_no_mistakes", lang)))
    else:
        lines += [f"| {_escape(message('summary_col_submissions', lang))} | {_escape(message('col_layer', lang))} "
                  f"| {_escape(message('summary_col_mistake', lang))} |", "|---:|---|---|"]
        for m in summary.mistakes[:shown]:
            count = message("summary_count", lang, count=m.count, total=summary.submissions)
            lines.append(f"| {_escape(count)} | {m.layer} | {_escape(mistake_text(m, lang))} `{escape.markdown_code(m.mistake)}` |")
        if len(summary.mistakes) > shown:
            more = message("summary_more_mistakes", lang, count=len(summary.mistakes) - shown, path=more_in)
            lines += ["", _escape(more)]
    return "\n".join(lines) + "\n"
