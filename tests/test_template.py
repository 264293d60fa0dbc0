"""The two ends of the scale: the untouched student template scores 0 on every check, each failure saying
"not implemented yet" (not a crash, a collection error or a traceback), and the reference scores full marks."""
import shutil
import subprocess

import pytest
from submissions import TEMPLATE, committed_template

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


def test_the_projects_tests_grade_the_template_as_committed(tmp_path):
    """A learner who filled in student_template/ in their clone, then ran the project's own tests, saw 13 of them
    fail: the tests graded the working copy. They take the template from the last commit instead."""
    clone = tmp_path / "clone"
    shutil.copytree(TEMPLATE, clone / "student_template")
    git = ["git", "-C", str(clone), "-c", "user.name=learner", "-c", "user.email=learner@example.invalid"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "template"]):
        subprocess.run(git + command, check=True, capture_output=True)
    layers = clone / "student_template" / "layers.py"
    committed = layers.read_text(encoding="utf-8")
    layers.write_text(committed.replace("raise _todo(", "return None  # my attempt\n        raise _todo(", 1),
                      encoding="utf-8")
    pristine = committed_template(clone, tmp_path / "pristine")
    assert (pristine / "layers.py").read_text(encoding="utf-8") == committed != layers.read_text(encoding="utf-8")


def test_init_gives_a_learner_chapter_5s_files_and_nothing_else(tmp_path, capsys):
    """A fresh folder with the later chapters' folders in it would have a learner fill in what is not graded."""
    from backprop_grader.cli import main

    assert main(["init", str(tmp_path / "work")]) == 0
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == sorted(
        p.name for p in TEMPLATE.glob("*.py") if p.name != "__init__.py")
