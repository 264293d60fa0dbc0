"""A class at a glance, computed from a batch's Outcomes: per layer, the spread of scores over the submissions that
loaded it; the mistakes diagnosed most often; and how many submissions did not load, timed out or crashed.

Everything here is a pure function of the Outcomes (anything with id, status and result, a GradeResult): the
terminal and Markdown reporters render a ClassSummary (terminal.class_summary, markdown.class_summary), and
to_dict() is the batch's summary.json.

A mistake is a hint's message key (Failure.hint, e.g. "hint_affine_db"), or, for a hint naming one change of the
reference, that change's id: the same in every language, and what each failed check's entry of results.json and
of checks.csv names too (mistake_of). It is counted per layer and once per submission, however many of that
submission's checks it made fail: a class's count says how many students made it. A failure without a hint (a
file that does not import, a method not written yet, a grade stopped at its time limit) is no diagnosed mistake.
"""
import re
import statistics
from dataclasses import dataclass, field

from ..book import ALL_LAYERS
from ..messages import catalogue, placeholders, render
from ..results import PASSED
from . import escape
from .common import DOES_NOT_LOAD, mistake_of, mistake_params, points
from .csv import IMPORT_ERROR, OK

# The batch's statuses for a grade that did not finish (batch.py's, which imports this module).
TIMEOUT, CRASHED = "timeout", "crashed"
FINISHED = (OK, IMPORT_ERROR)
SHOWN_MISTAKES = 10  # the terminal and Markdown list this many; summary.json every one
ELIDED = "\u2026"  # what a hint's placeholder (a value of one submission's) reads as in a class's summary


def _did_not_load(check_result):
    failure = check_result.failure
    return (check_result.status != PASSED and failure is not None
            and (failure.key in DOES_NOT_LOAD or failure.key.startswith("import_")))


@dataclass
class LayerSummary:
    """One layer across the class: its points, how many submissions it was graded for (the grade finished and the
    layer loaded), their mean and median, how many of them scored full marks and how many 0; and how many
    finished grades could not load it."""

    layer: str
    max_score: float
    graded: int
    mean: float = None  # None when no submission was graded for the layer
    median: float = None
    full_marks: int = 0
    zero: int = 0
    did_not_load: int = 0
    scores: list = field(default_factory=list)  # each graded submission's points, in the batch's order


@dataclass
class MistakeCount:
    """A diagnosed mistake of one layer and the submissions that made it (each once), in the batch's order."""

    layer: str
    mistake: str  # mistake_of's: the hint's message key, or the id of the change a mutant's hint names
    hint: str  # the hint's message key
    params: dict  # what the hint's text may show to a class (mistake_params): the change, for a mutant's
    submissions: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.submissions)


@dataclass
class ClassSummary:
    submissions: int
    statuses: dict  # status -> how many submissions ended so
    layers: list  # LayerSummary, in the book's order
    mistakes: list  # MistakeCount, the most common first


def mistakes(result):
    """The (layer, mistake) pairs diagnosed in one GradeResult, each once, in the order of the first check, each
    with the (hint, params) that say it."""
    found = {}
    for check_result in result.results:
        mistake = mistake_of(check_result)
        if mistake is not None:
            failure = check_result.failure
            found.setdefault((check_result.check.layer, mistake), (failure.hint, mistake_params(failure)))
    return found


def _layer(layer, outcomes):
    scores, did_not_load, max_score = [], 0, 0.0
    for outcome in outcomes:
        mine = [r for r in outcome.result.results if r.check.layer == layer]
        if not mine:
            continue
        max_score = max(max_score, sum(r.check.points for r in mine))
        if outcome.status not in FINISHED:
            continue
        if any(_did_not_load(r) for r in mine):
            did_not_load += 1
            continue
        scores.append((sum(r.score for r in mine), sum(r.check.points for r in mine)))
    points = [score for score, _ in scores]
    summary = LayerSummary(layer, max_score, len(scores), did_not_load=did_not_load, scores=points)
    if scores:
        summary.mean = statistics.fmean(points)
        summary.median = statistics.median(points)
        summary.full_marks = sum(score == most and most > 0 for score, most in scores)
        summary.zero = sum(score == 0 for score in points)
    return summary


# The class summary's table of layers: its columns' message keys, the same in the terminal, Markdown and HTML.
LAYER_COLUMNS = ("col_layer", "summary_col_max", "summary_col_graded", "summary_col_mean", "summary_col_median",
                 "summary_col_full_marks", "summary_col_zero")


def layer_cells(layer_summary):
    """A LayerSummary as the cells of its row under LAYER_COLUMNS, as text ("-" for a mean of nobody)."""
    s = layer_summary

    def number(value):
        return "-" if value is None else points(round(value, 1))

    return [s.layer, points(s.max_score), str(s.graded), number(s.mean), number(s.median), str(s.full_marks),
            str(s.zero)]


def unfinished_text(summary, lang="en"):
    """The line under that table: how many submissions did not load, timed out and crashed."""
    statuses = summary.statuses
    return render("summary_unfinished", lang, import_error=statuses.get("import_error", 0),
                  timeout=statuses.get("timeout", 0), crashed=statuses.get("crashed", 0))


def summarise(outcomes):
    """The ClassSummary of a batch's Outcomes (in the batch's order)."""
    outcomes = list(outcomes)
    statuses = dict.fromkeys((OK, IMPORT_ERROR, TIMEOUT, CRASHED), 0)
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    graded_layers = {r.check.layer for o in outcomes for r in o.result.results}
    layers = [_layer(layer, outcomes) for layer in ALL_LAYERS if layer in graded_layers]
    counts = {}
    for outcome in outcomes:
        for (layer, mistake), (hint, params) in mistakes(outcome.result).items():
            counts.setdefault((layer, mistake), MistakeCount(layer, mistake, hint, params)).submissions.append(outcome.id)
    order = {layer: i for i, layer in enumerate(ALL_LAYERS)}
    ranked = sorted(counts.values(), key=lambda m: (-m.count, order.get(m.layer, len(order)), m.mistake))
    return ClassSummary(len(outcomes), statuses, layers, ranked)


def mistake_text(counted, lang="en"):
    """What a counted mistake (MistakeCount) is, in lang: the hint's text, its first sentence, with the params
    that say which mistake it is and the others (one submission's values) elided. A key the catalogues do not
    have (an extra check's own) is shown as it is."""
    template = catalogue(lang).get(counted.hint, catalogue("en").get(counted.hint))
    if template is None:
        return counted.hint
    text = render(counted.hint, lang, **{**dict.fromkeys(placeholders(template), ELIDED), **counted.params})
    return first_sentence(text)


_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")


def first_sentence(text):
    """text up to the end of its first sentence (a full stop before a space, or a CJK one): a name for a list."""
    match = _SENTENCE_END.search(text.strip())
    return text.strip()[: match.end()] if match else text.strip()


def _number(value):
    return None if value is None else round(value, 2)


def to_dict(summary, lang="en"):
    """summary.json: the summary as plain data; each mistake with its key (the same in every language), its text
    in lang, and the submissions that made it (their folder names, escaped to stay on one line)."""
    return {
        "submissions": summary.submissions,
        "statuses": dict(summary.statuses),
        "lang": lang,
        "layers": [
            {
                "layer": s.layer, "max_score": s.max_score, "graded": s.graded, "mean": _number(s.mean),
                "median": _number(s.median), "full_marks": s.full_marks, "zero": s.zero,
                "did_not_load": s.did_not_load,
            }
            for s in summary.layers
        ],
        "mistakes": [
            {
                "layer": m.layer, "mistake": m.mistake, "count": m.count, "of": summary.submissions,
                "text": mistake_text(m, lang), "submissions": [escape.name(s) for s in m.submissions],
            }
            for m in summary.mistakes
        ],
    }
