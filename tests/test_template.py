"""The two ends of the scale: the untouched student template scores 0 on every check, each failure saying
"not implemented yet" (not a crash, a collection error or a traceback), and the reference scores full marks."""
import pytest

from backprop_grader.results import PASSED


@pytest.fixture(scope="module")
def template_and_reference(graded):
    """Both graded as a student's submission would be, in a fresh process each (conftest's graded)."""
    return graded["template"], graded["reference"]


def test_template_scores_zero_everywhere(template_and_reference):
    template, _ = template_and_reference
    assert template.results, "no check ran on the template"
    assert template.score == 0


def test_template_failures_all_say_not_implemented(template_and_reference):
    template, _ = template_and_reference
    otherwise = {r.check.title: r.failure.key if r.failure else r.status for r in template.results if r.failure is None or r.failure.key != "not_implemented"}
    assert otherwise == {}, "template checks that fail for another reason than not_implemented (or pass)"


def test_reference_gets_full_marks(template_and_reference):
    _, reference = template_and_reference
    assert [r.check.title for r in reference.results if r.status != PASSED] == []
    assert reference.score == reference.max_score > 0
