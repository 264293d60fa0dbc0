"""Broken submissions get feedback a student can act on, on the affected checks only, and the rest is graded.

Each case is the reference with one change, as a student's first attempts go wrong: a missing file, a missing
class, a method left unwritten, a wrong return type, NaN, an exception inside backward (a syntax error is
tests/test_grader.py's, through the command line). The catalogued bugs show the rest: the likely mistake and
the smallest failing input reach the report.
"""
import ast
from dataclasses import dataclass

import numpy as np
import pytest
from mutants import entries, materialise
from submissions import INTERNALS, line_of, one_bug_per_layer, reference_with

from backprop_grader.diagnose import expect_close, likely_mistake
from backprop_grader.feedback import CheckFailure, show
from backprop_grader.messages import render
from backprop_grader.report import gradescope, junit, markdown
from backprop_grader.report.common import WHOLE_SUBMISSION, failure_groups, feedback
from backprop_grader.report.terminal import render_report
from backprop_grader.results import PASSED
from backprop_grader.run import grade, grade_many
from backprop_grader.shipped import CHECKS_DIR

HERE = "# <- here"


@dataclass(frozen=True)
class Case:
    name: str
    layer: str  # the only layer that may lose points
    expected: str  # said in the feedback of at least one failed check (all of them when located)
    append: str = None  # code appended to file
    file: str = "layers.py"
    remove: bool = False
    located: bool = False  # the feedback names file and the line marked HERE


def _relu(method, body):
    return f"class Relu(Relu):  # noqa: F821\n    def {method}(self, {'x' if method == 'forward' else 'dout'}):\n{body}\n"


CASES = [
    Case("missing_file", "TwoLayerNet", "two_layer_net.py is missing from the submission.", file="two_layer_net.py", remove=True),
    Case("missing_class", "Relu", "layers.py defines no Relu: keep the book's name and spelling.", append="del Relu"),
    Case(
        "not_implemented",
        "Relu",
        "Relu.backward is not implemented yet (layers.py, line {line})",
        append=_relu("backward", f"        raise NotImplementedError  {HERE}"),
        located=True,
    ),
    Case("returns_none", "Relu", "Relu.forward(x) is None", append=_relu("forward", "        super().forward(x)")),
    Case(
        "returns_list",
        "Relu",
        "Relu.forward(x) is a list, expected a NumPy array",
        append=_relu("forward", "        return super().forward(x).tolist()"),
    ),
    Case(
        "returns_ints",
        "Relu",
        "Relu.forward(x) has dtype int64, expected floats",
        append=_relu("forward", "        return super().forward(x).astype(np.int64)  # noqa: F821"),
    ),
    Case(
        "returns_float32",
        "Relu",
        "Relu.forward(x) is float32, expected float64",
        append=_relu("forward", "        return super().forward(x).astype(np.float32)  # noqa: F821"),
    ),
    Case(
        "returns_scalar",
        "Relu",
        "Relu.backward(dout) is a float, expected a NumPy array",
        append=_relu("backward", "        return float(super().backward(dout).sum())"),
    ),
    Case(
        "returns_nan",
        "Relu",
        "Relu.backward(dout) contains nan at index",
        append=_relu("backward", "        return np.where(self.mask, np.nan, dout)  # noqa: F821"),
    ),
    Case(
        "raises_in_backward",
        "Relu",
        "your code raised AttributeError: 'Relu' object has no attribute 'scale' (layers.py, line {line})",
        append=_relu("backward", f"        return dout / self.scale  {HERE}"),
        located=True,
    ),
]

# The catalogue's first two bugs, kept by name; every other layer's bugs come in through one_bug_per_layer.
RELU_BUGS = [e for e in entries("bugs") if e.name in ("relu_inplace_dout", "relu_mask_lt_zero")]


def _build(case, root):
    return reference_with(root / case.name, case.append, case.file, case.remove)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every case and Relu bug graded once, in parallel processes: {name: (GradeResult, submission dir)}."""
    root = tmp_path_factory.mktemp("feedback")
    submissions = {case.name: _build(case, root) for case in CASES}
    submissions.update({bug.id: materialise(bug, root) for bug in RELU_BUGS})
    submissions["one_bug_per_layer"], chosen = one_bug_per_layer(root)
    results = grade_many(list(submissions.values()))
    found = {name: (result, path) for (name, path), result in zip(submissions.items(), results)}
    found["one_bug_per_layer_layers"] = set(chosen)
    return found


def _failed(result):
    """The checks that cost points: a check worth none (TwoLayerNet on the student's own layers, for
    information) fails whenever any layer under it is wrong, by design."""
    return [r for r in result.results if r.status != PASSED and r.check.points > 0]


def _feedback_text(check_result):
    return "\n".join(feedback(check_result, "en").lines("en"))


def _assert_no_internals(result):
    for text in (
        render_report(result),
        render_report(result, verbose=False, color=True),
        markdown.render(result),
        gradescope.render(result),
        junit.render(result),
    ):
        for internal in INTERNALS:
            assert internal not in text, internal


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_submission_gets_a_readable_message_on_the_affected_checks_only(case, graded):
    result, submission = graded[case.name]
    failed = _failed(result)
    assert failed, "the broken submission lost no points"
    assert {r.check.layer for r in failed} == {case.layer}
    # Every other layer is graded normally: the reference's code there gets full marks.
    scores = result.layer_scores()
    assert {s.layer for s in scores if s.score == s.max_score} == {s.layer for s in scores} - {case.layer}
    expected = case.expected.format(line=line_of(submission / case.file, HERE) if case.located else None)
    texts = [_feedback_text(r) for r in failed]
    assert any(expected in text for text in texts), texts
    if case.located:
        assert all(expected in text for text in texts), texts
    _assert_no_internals(result)


@pytest.mark.parametrize("name", [b.id for b in RELU_BUGS] + ["one_bug_per_layer"])
def test_catalogued_bugs_are_explained_with_their_likely_mistake_and_smallest_input(name, graded):
    result, _ = graded[name]
    report = render_report(result)
    failed = _failed(result)
    layers = graded["one_bug_per_layer_layers"] if name == "one_bug_per_layer" else {"Relu"}
    assert {r.check.layer for r in failed} == layers
    groups = failure_groups(result, "en")
    alone = {id(g.results[0]) for g in groups if len(g.results) == 1}
    explained = {id(r) for g in groups for r in g.explained}  # named under the mistake that made them fail
    for r in failed:
        assert r.check.name in report
        if r.failure.hint and id(r) not in explained:
            assert f"Likely mistake: {render(r.failure.hint, 'en', **r.failure.params)}" in report
        if r.failure.example and r.failure.key not in WHOLE_SUBMISSION and id(r) in alone:
            assert f"Smallest failing input: {r.failure.example}" in report
    for layer in layers:
        assert any(r.failure.hint for r in failed if r.check.layer == layer), f"no likely mistake for {layer}"
    _assert_no_internals(result)


def test_one_slip_in_softmax_with_loss_is_said_once(tmp_path):
    """Forgetting to divide by the batch size in backward fails several checks of the layer: the report says the
    diagnosis once, with one likely mistake, and names the other checks it explains; every check still fails."""
    bug = next(e for e in entries("bugs") if e.name == "swl_no_batch_divide")
    result = grade(materialise(bug, tmp_path), layers=["SoftmaxWithLoss"])
    report = render_report(result)
    lost = _failed(result)
    [group] = [g for g in failure_groups(result, "en") if g.explained]
    assert len(lost) >= 5 and len(group.explained) >= 4
    assert report.count("and 3 is the batch size: divide by the batch size") == 1
    assert report.count("Likely mistake:") <= len(lost) - len(group.explained)
    assert ", ".join(r.check.name for r in group.explained) in report


def test_the_inputs_are_cut_to_the_rows_around_the_first_wrong_entry():
    """An MNIST-sized batch is shown by its shape and the rows next to the first wrong entry, not in full."""
    x = np.arange(64 * 784, dtype=np.float64).reshape(64, 784)
    got = x.copy()
    got[10, 300] = -1.0
    with pytest.raises(CheckFailure) as failed:
        expect_close(got, x, "Relu.forward(x)", inputs={"x": x})
    params = failed.value.params
    assert params["index"] == "(10, 300)"
    assert params["inputs"].startswith("x.shape = (64, 784), x[9:12, 298:303] = [[7354.0, 7355.0, ")
    assert len(params["inputs"]) < 300 and params["inputs_whole"].startswith("x = array([[")


@pytest.mark.parametrize(
    "value, shown",
    [
        (np.array(201.0), "201.0"),
        (np.float64(0.5), "0.5"),
        (np.array([201.0, 2.0]), "array([201.,   2.], shape=(2,))"),
    ],
)
def test_numbers_read_as_numbers_in_a_sentence(value, shown):
    assert show(value) == shown


@pytest.mark.parametrize("shape, key", [((), "number_not_finite"), ((2,), "not_finite")])
def test_nan_in_one_number_is_not_given_an_index(shape, key):
    with pytest.raises(CheckFailure) as failed:
        expect_close(np.full(shape, np.nan), np.full(shape, 0.5), "Sigmoid.forward(x)")
    assert failed.value.key == key


def _hint_of(actual, expected, mistakes):
    with pytest.raises(CheckFailure) as failed:
        expect_close(actual, expected, "Sigmoid.backward(dout)", mistakes=mistakes)
    return failed.value.hint


def test_a_hint_is_shown_only_where_the_answer_is_its_mistakes():
    """A check's known mistakes come with what each returns on the failing input: the hint is the one matched,
    and a wrong answer no known mistake gives gets none (issue #17: a wrong hint costs more than none)."""
    out, dout = np.array([0.2, 0.7]), np.array([1.5, -2.0])
    mistakes = [("hint_sigmoid_missing_one_minus", dout * out), ("hint_sigmoid_missing_out", dout * (1 - out))]
    expected = dout * out * (1 - out)
    assert _hint_of(dout * out, expected, mistakes) == "hint_sigmoid_missing_one_minus"
    assert _hint_of(dout * (1 - out), expected, mistakes) == "hint_sigmoid_missing_out"
    assert _hint_of(expected / 4, expected, mistakes) is None
    assert _hint_of(dout * (1 - out), expected, lambda: mistakes) == "hint_sigmoid_missing_out"


def test_no_hint_where_the_input_cannot_tell_two_mistakes_apart():
    """At out = 0.5, dout * out and dout * (1 - out) are the same numbers: neither mistake is named."""
    out, dout = np.array([0.5]), np.array([2.0])
    mistakes = [("hint_sigmoid_missing_one_minus", dout * out), ("hint_sigmoid_missing_out", dout * (1 - out))]
    assert _hint_of(dout * out, dout * 0.25, mistakes) is None


def test_none_or_a_wrong_type_is_the_diagnosis_without_a_hint():
    mistakes = [("hint_relu_no_mask", np.array([1.0]))]
    for actual, key in ((None, "returned_none"), ("1.0", "not_an_array")):
        with pytest.raises(CheckFailure) as failed:
            expect_close(actual, np.array([0.0]), "Relu.backward(dout)", mistakes=mistakes)
        assert (failed.value.key, failed.value.hint) == (key, None)


def test_nan_is_matched_by_the_formula_that_gives_it_there_and_nan_everywhere_by_none():
    x = np.array([-1.0, 2.0])
    with np.errstate(invalid="ignore"):
        log = 1 / (1 + np.log(-x))
    assert likely_mistake(log, [("hint_sigmoid_log", log)]) == "hint_sigmoid_log"
    assert likely_mistake(np.full(2, np.nan), [("hint_softmax_log", np.full(2, np.nan))]) is None


def test_no_check_passes_a_hint_it_has_not_established():
    """The hint= of an expect_ call in the graded checks is never a fixed message key: a check names its mistakes
    (mistakes=) and lets the answer choose, or computes the hint from a condition it tested."""
    fixed = []
    for path in CHECKS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("expect_"):
                fixed += [f"{path.name}:{node.lineno}" for k in node.keywords
                          if k.arg == "hint" and isinstance(k.value, ast.Constant) and k.value.value is not None]
    assert fixed == []
