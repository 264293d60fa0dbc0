"""Nothing a rubric hides (hidden, after_due_date, after_published) shows in what students see at once: results.json's
top-level output (its table, total and notes) and extra_data; the grader's stdout stays the instructor's. The
top-level score is still the whole grade: Gradescope withholds a total from students while a test is hidden."""
import json

from backprop_grader.report import gradescope
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, Failure, GradeResult, Note
from backprop_grader.rubric import Rubric, resolve

DECLARED = [
    Check("t::a", "Relu", "forward", 2.0, False, "forward works."),
    Check("t::b", "Relu", "secret", 3.0, False, "a secret check."),
    Check("t::c", "Sigmoid", "forward", 1.0, False, "sigmoid forward."),
    Check("t::d", "Sigmoid", "backward", 6.0, False, "sigmoid backward."),
    Check("t::e", "Affine", "forward", 4.0, False, "affine forward."),
]
RUBRIC = Rubric(
    "r.toml", layers={"Sigmoid": 7}, visibility={"Sigmoid": "after_due_date", "Relu: secret": "hidden",
                                                  "Affine": "after_published"}
)
OUTCOMES = {"Relu: forward": PASSED, "Relu: secret": FAILED, "Sigmoid: forward": PASSED,
            "Sigmoid: backward": FAILED, "Affine: forward": PASSED}


def _graded():
    results = [
        CheckResult(c, OUTCOMES[c.title], None if OUTCOMES[c.title] == PASSED else Failure("not_run"))
        for c in DECLARED
    ]
    notes = [Note("not_run", layer="Sigmoid"), Note("not_run", layer="Relu")]
    return resolve(RUBRIC, DECLARED).apply(GradeResult("sub", "grading", 0, results, notes=notes))


def test_the_top_level_output_tells_only_of_the_visible_checks():
    document = json.loads(gradescope.render(_graded()))
    output = document["output"]
    assert "Sigmoid" not in output and "Affine" not in output
    assert "Relu   2 / 2" in output and "Total  2 / 2" in output  # neither the secret check's 3 points nor Sigmoid's
    assert "4 more checks are graded but shown later" in output


def test_notes_on_a_hidden_layer_stay_out_of_the_output():
    output = json.loads(gradescope.render(_graded()))["output"]
    assert output.count("How your submission was read") == 1  # the note on Relu, which students see
    graded = _graded()
    graded.notes = [Note("not_run", layer="Sigmoid")]
    assert "How your submission was read" not in json.loads(gradescope.render(graded))["output"]


def test_extra_data_and_stdout_reveal_nothing_hidden_and_the_score_is_the_whole_grade():
    document = json.loads(gradescope.render(_graded()))
    assert document["extra_data"]["max_score"] == 2
    assert document["stdout_visibility"] == "hidden"
    assert document["score"] == 2 + 1 + 4  # Relu: forward, Sigmoid: forward (scaled to 1), Affine: forward
    assert sum(t["score"] for t in document["tests"]) == document["score"]
    visibility = {t["name"]: t["visibility"] for t in document["tests"]}
    assert visibility == {"Relu: forward": "visible", "Relu: secret": "hidden", "Sigmoid: forward": "after_due_date",
                          "Sigmoid: backward": "after_due_date", "Affine: forward": "after_published"}


def test_without_hidden_checks_the_output_is_the_whole_table():
    results = [CheckResult(c, PASSED) for c in DECLARED]
    document = json.loads(gradescope.render(GradeResult("sub", "grading", 0, results)))
    assert "Sigmoid" in document["output"] and "shown later" not in document["output"]
    assert document["extra_data"]["max_score"] == document["score"] == 16
