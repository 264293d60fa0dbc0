"""run.grade_many grades its submissions in one process that forks a child for each (backprop_grader/many.py),
as the catalogue's fixtures and scripts/catalogue_scores.py do: each result must come back in its submission's
place, and a grade that did not finish must be an error that names its submission, never a made-up result.
Graded on Relu alone, in the grading process (--no-isolate), to stay cheap."""
import pytest
from mutants import entries, materialise
from submissions import TEMPLATE, reference_with

from backprop_grader.messages import render
from backprop_grader.run import grade_many
from backprop_grader.shipped import REFERENCE_DIR

RELU = dict(layers=["Relu"], isolate=False)
EXITS = """
import os


class Relu(Relu):
    def forward(self, x):
        os._exit(0)
"""


def test_each_result_comes_back_in_its_submissions_place(tmp_path):
    """The grades finish in any order, two at a time: a result filed under another place would give the
    reference a bug's score, or the bug the template's."""
    [bug] = [e for e in entries("bugs") if e.name == "relu_backward_no_mask"]
    given = [materialise(bug, tmp_path), REFERENCE_DIR, TEMPLATE]
    results = grade_many(given, jobs=2, **RELU)
    assert [r.submission for r in results] == [str(path) for path in given]
    assert [0 < r.score < r.max_score for r in results] == [True, False, False]
    assert [r.score for r in results[1:]] == [results[1].max_score, 0]


def test_a_grade_that_ends_its_process_is_an_error_naming_its_submission(tmp_path):
    """Relu.forward ends the process grading it (os._exit(0)), which writes no result: grade_many returned a
    result for it anyway, or raised without saying which submission and why."""
    exits = reference_with(tmp_path / "exits", append=EXITS)
    with pytest.raises(RuntimeError) as raised:
        grade_many([REFERENCE_DIR, exits], **RELU)
    assert f"grading {exits} failed" in str(raised.value)
    assert render("batch_crashed_exit", code=0) in str(raised.value)
