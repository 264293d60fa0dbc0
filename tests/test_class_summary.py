"""Mistakes as data and the class summary: each failed check's diagnosed mistake as a key (results.json, checks.csv),
and a batch's summary of the class (report/summary.py), rendered for the terminal, Markdown and summary.json.

The summary's arithmetic is tested on made-up grades; then a class of catalogued bugs, each planted a known
number of times, and correct variants is graded for real, and the summary must count each bug's catalogued
mistake (its MISTAKE) exactly as many times as it was planted."""
import csv
import json
from pathlib import Path

import pytest
from mutants import entries, materialise

from backprop_grader import batch
from backprop_grader.messages import languages
from backprop_grader.options import GradeOptions
from backprop_grader.report import gradescope, markdown, terminal
from backprop_grader.report.common import mistake_of
from backprop_grader.report.csv import CHECK_COLUMNS, IMPORT_ERROR, OK, check_rows
from backprop_grader.report.summary import CRASHED, TIMEOUT, MistakeCount, mistake_text, mistakes, summarise, to_dict
from backprop_grader.results import FAILED, NOT_RUN, PASSED, Check, CheckResult, Failure, GradeResult
from backprop_grader.rubric import NO_RUBRIC
from backprop_grader.run import declared_checks

DB = Check("t::db", "Affine", "backward_db", 2.0, False, "")
DB_NUMERIC = Check("t::dbn", "Affine", "numerical_gradient_db", 2.0, False, "")
DB_4D = Check("t::db4", "Affine", "four_d_input", 1.0, False, "")
RELU = Check("t::relu", "Relu", "zero_is_blocked", 3.0, False, "")
CHECKS = (DB, DB_NUMERIC, DB_4D, RELU)


SHAPES = {"what": "self.db", "got_shape": "(4, 3)", "expected_shape": "(3,)", "batch_size": 4, "inputs": "",
          "got": "0.5", "expected": "1.0", "mismatches": "1", "worst": ""}


def _failed(check, hint, key="shape_not_summed"):
    return CheckResult(check, FAILED, Failure(key, dict(SHAPES), hint))


def _grade(*failed):
    """A GradeResult over CHECKS: the check results given, every other check passed."""
    given = {r.check: r for r in failed}
    return GradeResult("s", "grading", 0, [given.get(c, CheckResult(c, PASSED)) for c in CHECKS])


class _Outcome:  # what summarise reads of a batch.Outcome
    def __init__(self, id, status, result):
        self.id, self.status, self.result = id, status, result


def test_a_mistake_is_counted_once_per_submission_however_many_checks_it_fails():
    # db not summed fails three Affine checks, under one hint: one student, one mistake.
    alice = _grade(_failed(DB, "hint_affine_db"), _failed(DB_NUMERIC, "hint_affine_db"), _failed(DB_4D, "hint_affine_db"))
    bob = _grade(_failed(DB, "hint_affine_db"), _failed(RELU, "hint_relu_zero", "wrong_values"))
    carol = _grade()
    found = summarise([_Outcome("alice", OK, alice), _Outcome("bob", OK, bob), _Outcome("carol", OK, carol)])
    assert [(m.layer, m.mistake, m.count, m.submissions) for m in found.mistakes] == [
        ("Affine", "hint_affine_db", 2, ["alice", "bob"]),
        ("Relu", "hint_relu_zero", 1, ["bob"]),
    ]
    assert list(mistakes(alice)) == [("Affine", "hint_affine_db")]


def test_a_failure_without_a_hint_is_no_diagnosed_mistake():
    unwritten = _grade(CheckResult(DB, FAILED, Failure("not_implemented", {})), _failed(RELU, None, "wrong_values"))
    assert summarise([_Outcome("dave", OK, unwritten)]).mistakes == []


def test_the_spread_of_each_layer_is_over_the_finished_grades_that_loaded_it():
    full = _grade()
    half = _grade(_failed(DB, "hint_affine_db"), _failed(DB_NUMERIC, "hint_affine_db"))
    zero = _grade(_failed(DB, "hint_affine_db"), _failed(DB_NUMERIC, "hint_affine_db"), _failed(DB_4D, "hint_affine_4d"),
                  _failed(RELU, "hint_relu_zero"))
    # layers.py does not import: no layer of it is graded, and its zeros are not counted as a layer's zeros.
    broken = GradeResult("s", "grading", 0, [CheckResult(c, FAILED, Failure("import_failed", {})) for c in CHECKS])
    late = GradeResult("s", "grading", 0, [CheckResult(c, NOT_RUN, Failure("batch_timeout", {})) for c in CHECKS])
    outcomes = [_Outcome("full", OK, full), _Outcome("half", OK, half), _Outcome("zero", OK, zero),
                _Outcome("broken", IMPORT_ERROR, broken), _Outcome("late", TIMEOUT, late),
                _Outcome("dead", CRASHED, late)]
    found = summarise(outcomes)
    assert found.submissions == 6
    assert found.statuses == {OK: 3, IMPORT_ERROR: 1, TIMEOUT: 1, CRASHED: 1}
    relu, affine = found.layers
    assert (affine.layer, affine.max_score, affine.graded, affine.did_not_load) == ("Affine", 5, 3, 1)
    assert (affine.mean, affine.median, affine.full_marks, affine.zero) == (pytest.approx(2), 1, 1, 1)
    assert (relu.layer, relu.graded, relu.mean, relu.median, relu.full_marks, relu.zero) == ("Relu", 3, 2, 3, 2, 1)
    document = to_dict(found)
    assert document["statuses"] == {"ok": 3, "import_error": 1, "timeout": 1, "crashed": 1}
    assert document["layers"][1] == {"layer": "Affine", "max_score": 5.0, "graded": 3, "mean": 2.0, "median": 1.0,
                                     "full_marks": 1, "zero": 1, "did_not_load": 1}
    assert document["mistakes"][0] == {
        "layer": "Affine", "mistake": "hint_affine_db", "count": 2, "of": 6, "submissions": ["half", "zero"],
        "text": "db = np.sum(dout, axis=0), shaped like b (M,): b was added to every row, so its gradient sums dout "
                "over the batch axis (axis=0).",
    }


def test_the_summary_statuses_are_the_batchs():
    assert set(summarise([]).statuses) == set(batch.STATUSES)


def test_the_terminal_and_markdown_say_the_summary_in_every_language():
    found = summarise([_Outcome("alice", OK, _grade(_failed(DB, "hint_affine_db"))), _Outcome("bob", TIMEOUT, _grade())])
    text = "\n".join(terminal.class_summary(found))
    assert "Class summary: 2 submissions" in text
    assert "1 of 2  Affine: db = np.sum(dout, axis=0)" in text
    assert "0 did not load (in whole or in part: their layers that loaded are graded), 1 timed out, 0 crashed" in text
    page = markdown.class_summary(found)
    assert "| Affine | 5 | 1 | 3 | 3 | 0 | 0 |" in page
    assert "| 1 of 2 | Affine | db = np.sum(dout, axis=0), shaped like b (M,): b was added" in page
    assert "`hint_affine_db`" in page
    for lang in languages():
        assert terminal.class_summary(found, lang) and markdown.class_summary(found, lang)
        db = MistakeCount("Affine", "hint_affine_db", "hint_affine_db", {})
        assert mistake_text(db, lang) != mistake_text(db, "en") or lang == "en"
    assert "1 of 2" not in "\n".join(terminal.class_summary(found, "ja"))


def test_only_the_most_common_mistakes_are_listed_and_the_rest_are_in_the_json():
    outcomes = [_Outcome("a", OK, _grade(_failed(DB, "hint_affine_db"), _failed(RELU, "hint_relu_zero"))),
                _Outcome("b", OK, _grade(_failed(DB, "hint_affine_db")))]
    found = summarise(outcomes)
    text = "\n".join(terminal.class_summary(found, shown=1, more_in="out/summary.json"))
    assert "Affine: db = np.sum" in text and "Relu:" not in text
    assert "and 1 more, in out/summary.json" in text
    assert len(to_dict(found)["mistakes"]) == 2


def test_a_hint_with_a_submissions_values_is_named_without_them():
    text = mistake_text(MistakeCount("Sigmoid", "hint_sigmoid_overflow", "hint_sigmoid_overflow", {}))
    assert text.startswith("Sigmoid returned \u2026 for x = \u2026:") and "{" not in text


def _changed(check, method, yours, reference, mutant):
    """A check failed with the hint the mutants' diagnosis gives: the reference changed in one place."""
    params = {**SHAPES, "method": method, "yours": yours, "reference": reference, "mutant": mutant}
    return CheckResult(check, FAILED, Failure("wrong_values", params, "hint_mutant_max_min"))


def test_each_change_of_the_reference_a_hint_names_is_a_mistake_of_its_own_and_says_which():
    """Counted by the hint's key, two different changes of one family (in two methods) were one mistake, shown as
    "... behaves like `...`, where the reference has `...`": a count of nothing in particular."""
    forward = ("Relu.forward", "return np.minimum(x, 0.0)", "return np.maximum(x, 0.0)", "layers.py:Relu.forward:max_min:1")
    backward = ("Relu.backward", "dx = np.minimum(dout, 0)", "dx = np.maximum(dout, 0)", "layers.py:Relu.backward:max_min:1")
    outcomes = [_Outcome("a", OK, _grade(_changed(RELU, *forward))), _Outcome("b", OK, _grade(_changed(RELU, *forward))),
                _Outcome("c", OK, _grade(_changed(RELU, *backward)))]
    found = summarise(outcomes)
    assert [(m.mistake, m.count) for m in found.mistakes] == [
        ("mutant:layers.py:Relu.forward:max_min:1", 2), ("mutant:layers.py:Relu.backward:max_min:1", 1)]
    assert mistake_text(found.mistakes[0]) == ("Relu.forward behaves like `return np.minimum(x, 0.0)`, where the "
                                               "reference has `return np.maximum(x, 0.0)`: the maximum and the "
                                               "minimum are swapped.")
    assert mistake_of(outcomes[2].result.results[-1]) == "mutant:layers.py:Relu.backward:max_min:1"


def test_each_failed_test_of_results_json_names_its_failure_and_mistake_as_keys():
    result = _grade(_failed(DB, "hint_affine_db"), CheckResult(DB_4D, FAILED, Failure("not_implemented", {"function": "Affine.forward", "where": "layers.py"})))
    for lang in languages():
        tests = {t["name"]: t["extra_data"] for t in gradescope.results_json(result, lang)["tests"]}
        assert tests["Affine: backward_db"]["failure"] == "shape_not_summed"
        assert tests["Affine: backward_db"]["mistake"] == "hint_affine_db"
        assert (tests["Affine: four_d_input"]["failure"], tests["Affine: four_d_input"]["mistake"]) == ("not_implemented", None)
        assert (tests["Relu: zero_is_blocked"]["failure"], tests["Relu: zero_is_blocked"]["mistake"]) == (None, None)


def test_checks_csv_has_a_row_per_check_safe_for_a_spreadsheet():
    rows = check_rows(_grade(_failed(DB, "hint_affine_db")), "=HYPERLINK(\"x\")")
    assert [list(r) for r in rows] == [list(CHECK_COLUMNS)] * len(CHECKS)
    assert [r["check"] for r in rows] == ["zero_is_blocked", "backward_db", "numerical_gradient_db", "four_d_input"]
    assert rows[1] == {"student": "'=HYPERLINK(\"x\")", "layer": "Affine", "check": "backward_db", "points": "0",
                       "max": "2", "outcome": "failed", "mistake": "hint_affine_db"}
    assert rows[0]["mistake"] == "" and rows[0]["points"] == rows[0]["max"] == "3"


# The done-when test of issue #19: a class of catalogued bugs, each planted a known number of times, and correct
# variants. The bugs are those of the catalogue that declare the mistake they must be diagnosed with (MISTAKE:
# affine_db_not_summed, add_dy_zero, mul_not_swapped, net_accuracy_wrong_axis, relu_mask_lt_zero,
# sigmoid_backward_missing_one_minus), one per layer so that no two share a mistake; the variants are correct
# ones (no expected failure), which must add no mistake at all.
PLANTED = [e for e in entries("bugs") if e.mistake]
VARIANTS = [e for e in entries("variants") if e.name in ("relu_maximum", "affine_np_dot", "sigmoid_tanh")]


def _copies(index):
    return 1 + index % 3  # 1, 2 or 3 copies: counts that tell the bugs apart


@pytest.fixture(scope="module")
def planted_class(tmp_path_factory):
    """The class graded as --batch --no-isolate grades it (forked children, in-process grades): its Outcomes, the
    ids of each entry's copies, and the folder batch.write_class_files wrote into."""
    root = tmp_path_factory.mktemp("planted")
    klass, copies = root / "class", {}
    klass.mkdir()
    for index, entry in enumerate(PLANTED + VARIANTS):
        count = _copies(index) if entry.kind == "bugs" else 1
        for copy in range(count):
            name = f"{entry.name}_{copy}"
            materialise(entry, root / "made" / str(copy)).rename(klass / name)
            copies.setdefault(entry.id, []).append(name)
    paths = batch.submissions(klass)
    outcomes = batch.grade_all(paths, declared_checks(), NO_RUBRIC, jobs=2, timeout=batch.DEFAULT_TIMEOUT,
                               options=GradeOptions(isolate=False))
    out = root / "out"
    batch.write_class_files(outcomes, out, out / "grades.csv", "en")
    return outcomes, copies, out


def test_the_planted_class_uses_bugs_of_several_layers_with_distinct_mistakes():
    assert len(PLANTED) >= 5 and len(VARIANTS) == 3
    assert len({(e.layer, e.mistake) for e in PLANTED}) == len(PLANTED)
    assert all(e.expected_failures == frozenset() for e in VARIANTS)


def test_the_summary_counts_each_catalogued_mistake_exactly_as_often_as_it_was_planted(planted_class):
    outcomes, copies, out = planted_class
    assert {o.status for o in outcomes} == {OK}
    found = {(m.layer, m.mistake): m for m in summarise(outcomes).mistakes}
    for index, entry in enumerate(PLANTED):
        counted = found.get((entry.layer, entry.mistake))
        assert counted is not None, f"{entry.id}: {entry.mistake} not diagnosed on {entry.layer}"
        assert counted.count == _copies(index), entry.id
        assert counted.submissions == copies[entry.id]
    variants = {name for e in VARIANTS for name in copies[e.id]}
    assert [o.id for o in outcomes if o.id in variants and mistakes(o.result)] == []
    assert all(variants.isdisjoint(m.submissions) for m in found.values())
    # summary.json says the same, by key
    document = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_key = {(m["layer"], m["mistake"]): m["count"] for m in document["mistakes"]}
    assert {(e.layer, e.mistake): by_key[(e.layer, e.mistake)] for e in PLANTED} == {
        (e.layer, e.mistake): _copies(i) for i, e in enumerate(PLANTED)}
    assert document["submissions"] == len(outcomes)


def test_checks_csv_names_each_planted_mistake_on_every_copy(planted_class):
    outcomes, copies, out = planted_class
    with open(out / "checks.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == sum(len(o.result.results) for o in outcomes)
    for entry in PLANTED:
        for name in copies[entry.id]:
            named = {r["mistake"] for r in rows if r["student"] == name and r["layer"] == entry.layer}
            assert entry.mistake in named, name
    assert Path(out / "summary.md").read_text(encoding="utf-8").startswith("## Class summary: ")
