"""Chapter 6 from the command line: --chapter travels with the other options, a layer of another chapter is a
usage error, `init --chapter 6` gives the chapter's template, and a grade of chapter 6 reports the chapter's own
layers, by the book's class names, in every format; the book's own code scores full marks."""
import argparse
import json
import subprocess

import pytest
from chapters import BOOK_MIRROR

from backprop_grader import cli
from backprop_grader.book import layers_of
from backprop_grader.options import FIELDS, PLUGIN_FIELDS, PLUGIN_PREFIX, GradeOptions, declare
from backprop_grader.report import csv as csv_report
from backprop_grader.report import gradescope, terminal
from backprop_grader.run import grade
from backprop_grader.shipped import reference_of, resolve, template_of

CHAPTER = 6


def _parsed(argv, prefix="", fields=FIELDS):
    parser = argparse.ArgumentParser()
    declare(parser.add_argument, prefix=prefix, fields=fields)
    return GradeOptions.from_namespace(parser.parse_args(argv), prefix, fields)


@pytest.mark.parametrize("prefix, fields", [("", FIELDS), (PLUGIN_PREFIX, PLUGIN_FIELDS)])
def test_the_chapter_reaches_every_parser(prefix, fields):
    """A grading subprocess or the pytest plugin that lost --chapter would grade chapter 5's layers instead."""
    chosen = GradeOptions(chapter=CHAPTER, layers=("Dropout",) if "layers" in fields else (), seed=3)
    assert _parsed(chosen.argv(prefix, fields), prefix, fields) == chosen


def test_chapter_5_stays_the_default():
    assert GradeOptions().chapter == 5 and GradeOptions().graded_layers == layers_of(5)


def test_a_layer_of_another_chapter_is_refused():
    with pytest.raises(ValueError):
        GradeOptions(layers=("Dropout",))


@pytest.mark.parametrize("argv, says", [
    (["reference", "--layer", "Dropout"], "--chapter 6"),
    (["reference", "--chapter", "8"], "invalid choice"),
])
def test_usage_errors_name_the_chapter(argv, says, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err


def test_init_gives_the_chapters_template(tmp_path, capsys):
    target = tmp_path / "mine"
    assert cli.main(["init", "--chapter", "6", str(target)]) == 0
    assert sorted(p.name for p in target.iterdir()) == ["layers.py", "optimizer.py"]
    assert "--chapter 6" in capsys.readouterr().out


def test_the_packages_own_folders_are_the_chapters(tmp_path, monkeypatch):
    """`backprop-grader reference --chapter 6` from any folder grades the chapter's reference, not chapter 5's."""
    monkeypatch.chdir(tmp_path)
    assert resolve("reference", CHAPTER) == reference_of(CHAPTER)
    assert resolve("student_template", CHAPTER) == template_of(CHAPTER)


def test_a_clones_folders_are_the_chapters_too(tmp_path, monkeypatch):
    """In a clone, ./reference is chapter 5's folder holding chapter6/: --chapter 6 must grade that, not score
    chapter 5's files 0 as "does not load"."""
    (tmp_path / "reference" / "chapter6").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert resolve("reference", CHAPTER) == tmp_path / "reference" / "chapter6"
    assert resolve("reference") == tmp_path / "reference", "chapter 5 grades the folder itself"


@pytest.fixture(scope="module")
def reference_result():
    return grade(reference_of(CHAPTER), chapter=CHAPTER, isolate=False)


def test_every_format_names_the_chapters_layers(reference_result):
    """results.json's tests are "<Layer>: <check>", numbered in the chapter's order; the CSV has a column per
    layer of the chapter; the report counts the chapter's layers as all of them."""
    tests = gradescope.results_json(reference_result)["tests"]
    assert {t["name"].split(": ")[0] for t in tests} == set(layers_of(CHAPTER))
    assert tests[0]["number"].startswith("1.")
    assert sum(t["score"] for t in tests) == 100
    assert tuple(csv_report.row(reference_result, "reference", 1.0)) == csv_report.columns(CHAPTER)
    report = terminal.render_report(reference_result, "en")
    assert "all 8" in report and "100 / 100" in report


def test_the_template_scores_zero_without_a_traceback():
    result = grade(template_of(CHAPTER), chapter=CHAPTER, isolate=False)
    assert result.score == 0
    assert {r.failure.key for r in result.results} == {"not_implemented"}


@pytest.mark.skipif(not BOOK_MIRROR.exists(), reason="no copy of the book's repository on this machine")
def test_the_books_common_folder_scores_full_marks(tmp_path):
    """The book's repository keeps its layers and optimizers in common/, which imports itself as a package."""
    archive = subprocess.run(["git", "-C", str(BOOK_MIRROR), "archive", "HEAD", "common"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    result = grade(tmp_path / "common", chapter=CHAPTER, isolate=False)
    assert result.score == result.max_score == 100, json.dumps([r.check.title for r in result.results if r.failure])


def test_the_chapter_is_graded_the_same_isolated(reference_result):
    isolated = grade(reference_of(CHAPTER), chapter=CHAPTER)
    assert [(r.check.title, r.status) for r in isolated.results] == \
        [(r.check.title, r.status) for r in reference_result.results]


def test_an_alias_names_a_chapter_6_class(tmp_path):
    """A learner's BatchNorm is graded as the book's BatchNormalization when told so, as chapter 5's aliases do."""
    submission = tmp_path / "mine"
    submission.mkdir()
    for name in ("layers.py", "optimizer.py"):
        text = (reference_of(CHAPTER) / name).read_text(encoding="utf-8")
        (submission / name).write_text(text.replace("class BatchNormalization", "class BatchNorm"), encoding="utf-8")
    plain = grade(submission, chapter=CHAPTER, layers=("BatchNormalization",), isolate=False)
    aliased = grade(submission, chapter=CHAPTER, layers=("BatchNormalization",), isolate=False,
                    aliases=("BatchNormalization=BatchNorm",))
    assert (plain.score, aliased.score) == (0, 24)
