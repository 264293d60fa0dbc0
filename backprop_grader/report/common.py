"""What every report shows, computed once: the note beside each layer's score, each check's feedback, and the
failures grouped so that one cause (a file that does not import, a method not written yet, one slip that fails
several checks of a layer) is told once."""
from dataclasses import dataclass, field
from pathlib import Path

from ..book import ALL_LAYERS
from ..messages import render
from ..options import PLUGIN_PREFIX
from ..results import PASSED
from ..shipped import CHECKS_DIR

# Failures about the submission as a whole rather than about an input: no "smallest failing input" for them.
# Why a name the checks need is not there, for a submission of any shape (intake.py and names.py for most).
DOES_NOT_LOAD = frozenset(
    {
        "missing_file", "missing_name", "import_failed", "no_such_path", "not_defined_in_folder",
        "not_defined_in_file", "renamed", "alias_not_found", "use_missing", "use_not_defined", "definition_failed",
        "definition_syntax_error", "renamed_inline", "not_defined_inline",
    }
)
WHOLE_SUBMISSION = DOES_NOT_LOAD | {"not_implemented", "skipped", "not_run", "misspelt_member", "misspelt_init",
                                    "misspelt_member_inline", "misspelt_init_inline"}
# A grade that did not finish.
WHOLE_SUBMISSION |= {"batch_timeout", "batch_not_run_in_time", "batch_crashed_signal", "batch_crashed_exit"}
MAX_NAMED = 3  # a group of more checks of a layer is counted, not listed (--verbose lists every check)
# Diagnoses that name the mistake itself, whichever check finds it: checks of one layer that find the same one in
# the same value (dx of SoftmaxWithLoss.backward too large by the batch size) found one slip, not several.
NAMED_MISTAKES = frozenset(
    {
        "too_large_by_batch", "too_small_by_batch", "sign_flipped", "values_transposed", "shape_transposed",
        "shape_not_summed", "float32", "not_float", "not_float64", "complex_result", "returned_none", "not_a_pair",
    }
)


def shown_path(path):
    """A path as a report names it: relative to the current folder when inside it (the same on every machine
    for the same command), else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def rerun_command(check_result, submission, options=()):
    """The pytest command that runs one check alone on submission, from the current folder; options are the
    grading's own that say where the submission's names are (GradeOptions.argv, with the plugin's prefix)."""
    test_file, _, test = check_result.check.id.partition("::")  # a check's id is relative to CHECKS_DIR's parent
    extra = "".join(f" '{option}'" for option in options)
    return f"python -m pytest '{shown_path(CHECKS_DIR.parent / test_file)}::{test}' --{PLUGIN_PREFIX}impl '{submission}'{extra}"


def notes(result, lang):
    """What the grader did beside the checks (the file it graded of several, what it skipped), rendered."""
    return [note.render(lang) for note in result.notes]


def in_layer_order(result):
    """The check results in the book's order of layers (MulLayer first), each layer's in the suite's order."""
    return sorted(result.results, key=lambda r: ALL_LAYERS.index(r.check.layer))


def points(value):
    """3.0 -> "3", 2.5 -> "2.5": points as a person writes them."""
    return f"{value:g}"


def fraction(part, whole, lang):
    return render("fraction", lang, part=points(part), whole=points(whole))


def layer_note(result, layer_score, lang):
    """A few words beside a layer's score: full marks, not implemented yet, does not load, or nothing.

    Full marks go by points: a check worth none (for information only) may fail beside them.
    """
    if layer_score.score == layer_score.max_score and layer_score.passed > 0:
        return render("layer_full", lang)
    keys = {r.failure.key for r in result.results if r.check.layer == layer_score.layer and r.status != PASSED}
    if layer_score.passed == 0 and keys == {"not_implemented"}:
        return render("layer_not_implemented", lang)
    if layer_score.passed == 0 and keys <= DOES_NOT_LOAD:
        return render("layer_does_not_load", lang)
    return ""


MUTANT_HINT = "hint_mutant_"  # a hint naming one change of the reference (mutation/replay.py)
MUTANT_PARAMS = ("method", "yours", "reference")  # which change it is, the same for everyone who made it


def mistake_of(check_result):
    """The mistake a failed check diagnosed, the same in every language: its hint's message key (hint_affine_db),
    or for a hint naming one change of the reference, that change's id ("mutant:layers.py:Relu.forward:max_min:1"),
    since the hint's key is a whole family of changes in any method. None when it passed or no mistake was
    diagnosed (a file that does not import, a method not written yet). results.json's tests, checks.csv and the
    batch's summary (report/summary.py) all name mistakes so."""
    failure = check_result.failure
    if check_result.status == PASSED or failure is None or not failure.hint:
        return None
    if failure.hint.startswith(MUTANT_HINT) and failure.params.get("mutant"):
        return f"mutant:{failure.params['mutant']}"
    return failure.hint


def mistake_params(failure):
    """The params of failure's hint that say which mistake it is (a change's method and code), as opposed to the
    values of one submission's failing input: what a class's summary may show of it."""
    if not failure.hint.startswith(MUTANT_HINT):
        return {}
    return {name: failure.params[name] for name in MUTANT_PARAMS if name in failure.params}


@dataclass
class Feedback:
    """A failed check's feedback in one language: what went wrong, on which input, and the likely mistake."""

    problem: str
    example: str = None
    hint: str = None
    whole: bool = False  # about the submission as a whole (not written yet, does not import): said plainly

    def lines(self, lang):
        """The feedback as labelled lines of plain text."""
        label = render("label_problem", lang)
        found = [self.problem if self.whole else render("labelled", lang, label=label, text=self.problem)]
        if self.example:
            found.append(render("labelled", lang, label=render("label_input", lang), text=self.example))
        if self.hint:
            found.append(render("labelled", lang, label=render("label_hint", lang), text=self.hint))
        return found


def feedback(check_result, lang, whole_inputs=False):
    """The Feedback of a check that did not pass: its inputs cut to what shows the mistake, or whole."""
    failure = check_result.failure
    params = failure.params
    if whole_inputs and "inputs_whole" in params:
        params = {**params, "inputs": params["inputs_whole"]}
    hint = render(failure.hint, lang, **params) if failure.hint else None
    whole = failure.key in WHOLE_SUBMISSION
    return Feedback(render(failure.key, lang, **params), None if whole else failure.example, hint, whole)


def check_text(check_result, lang):
    """One check's whole story in plain text (results.json, JUnit): what it checks, then what went wrong, with
    its inputs whole."""
    description = check_result.check.describe(lang)
    lines = [description] if description else []
    if check_result.status != PASSED:
        lines += feedback(check_result, lang, whole_inputs=True).lines(lang)
    return "\n".join(lines)


@dataclass
class FailureGroup:
    """Failed checks that share one feedback, told once; and the checks of the same layer whose failure the same
    mistake explains (explained), named under it without their own feedback."""

    results: list
    feedback: Feedback
    explained: list = field(default_factory=list)
    mistakes: set = field(default_factory=set)  # what diagnoses_of says of its first check

    @property
    def score(self):
        return sum(r.score for r in self.results)

    @property
    def max_score(self):
        return sum(r.check.points for r in self.results)

    def label(self, result, lang):
        """Which checks: "Relu: zero_is_blocked", "Affine (5 of 11 checks)", or "Relu (all 8 checks)"."""
        parts = []
        for layer in ALL_LAYERS:
            mine = [r.check.name for r in self.results if r.check.layer == layer]
            if not mine:
                continue
            of_layer = sum(r.check.layer == layer for r in result.results)
            if len(mine) == of_layer and of_layer > 1:
                parts.append(render("group_whole_layer", lang, layer=layer, count=of_layer))
            elif len(mine) > MAX_NAMED:
                parts.append(render("group_some_checks", lang, layer=layer, count=len(mine), of=of_layer))
            else:
                parts.append(render("group_checks", lang, layer=layer, checks=", ".join(mine)))
        return render("group_separator", lang).join(parts)


def also_explains(explained, lang):
    """The checks of a layer that a mistake told above them made fail, named, with the points they cost."""
    names = ", ".join(r.check.name for r in explained)
    lost = fraction(sum(r.score for r in explained), sum(r.check.points for r in explained), lang)
    return render("also_explains", lang, checks=names, points=lost)


def _compared(failure):
    """What a failure says was wrong, without its arguments: "SoftmaxWithLoss.backward" for
    "SoftmaxWithLoss.backward(1) after backward(1)", "dx from MulLayer.backward" for "dx from
    MulLayer.backward(dout)"."""
    what = failure.params.get("what", "")
    if isinstance(what, dict):
        what = render(what["key"], "en", **what["params"])
    return str(what).split("(")[0]


def diagnoses_of(check_result):
    """The mistakes a failed check's diagnosis names, as keys two failures share when one slip explains both:
    its hint (the likely mistake), and a diagnosis that names the mistake itself (NAMED_MISTAKES) in the value it
    compared; each within its layer. Empty for a failure about the whole submission or no mistake in particular."""
    failure = check_result.failure
    if failure is None or failure.key in WHOLE_SUBMISSION:
        return set()
    layer = check_result.check.layer
    found = {("hint", layer, failure.hint)} if failure.hint else set()
    if failure.key in NAMED_MISTAKES:
        found.add(("diagnosis", layer, failure.key, _compared(failure)))
    return found


def failure_groups(result, lang):
    """The failed checks in the order of their first check, grouped: identical feedback is told once, and a
    failure with a mistake in common with an earlier group's first check is named under it (explained)."""
    groups = {}
    for check_result in in_layer_order(result):
        if check_result.status == PASSED:
            continue
        found = feedback(check_result, lang)
        key = (found.problem, found.hint)
        mistakes = diagnoses_of(check_result)
        if key in groups:
            groups[key].results.append(check_result)
            # Several checks, one cause: the cause is the message, not any one check's input.
            groups[key].feedback.example = None
            continue
        told = next((g for g in groups.values() if g.mistakes & mistakes), None)
        if told is not None:
            told.explained.append(check_result)
        else:
            groups[key] = FailureGroup([check_result], found, mistakes=mistakes)
    return list(groups.values())
