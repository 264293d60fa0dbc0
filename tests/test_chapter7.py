"""Chapter 7 from the command line and in the book's own layout: `init --chapter 7` gives the chapter's template,
a grade reports the chapter's five layers (im2col and col2im among them) in every format, the book's repository
scores full marks, and a mistake in the book's common/util.py costs im2col alone: its Convolution is graded on
the reference's im2col, isolated or not."""
import shutil
import subprocess

import pytest
from chapters import BOOK_MIRROR

from backprop_grader import cli
from backprop_grader.book import layers_of
from backprop_grader.report import csv as csv_report
from backprop_grader.report import gradescope
from backprop_grader.run import grade
from backprop_grader.shipped import reference_of

CHAPTER = 7
# A learner's slip in the book's im2col: the padding left out (np.pad's line gone), so the windows at the border
# are shifted wherever pad > 0.
IM2COL_WITHOUT_PAD = ("img = np.pad(input_data, [(0,0), (0,0), (pad, pad), (pad, pad)], 'constant')", "img = input_data")


def test_init_gives_the_chapters_template(tmp_path, capsys):
    target = tmp_path / "mine"
    assert cli.main(["init", "--chapter", "7", str(target)]) == 0
    assert sorted(p.name for p in target.iterdir()) == ["layers.py", "simple_convnet.py", "util.py"]
    assert "--chapter 7" in capsys.readouterr().out


def test_every_format_names_the_chapters_layers():
    """results.json's tests are "<Layer>: <check>" with im2col and col2im as layers of their own; the CSV has a
    column for each of the chapter's five layers."""
    result = grade(reference_of(CHAPTER), chapter=CHAPTER, isolate=False)
    tests = gradescope.results_json(result)["tests"]
    assert tests[0]["name"].startswith("im2col: ")
    assert {t["name"].split(": ")[0] for t in tests} == set(layers_of(CHAPTER))
    assert sum(t["score"] for t in tests) == 100
    assert csv_report.columns(CHAPTER)[1:6] == layers_of(CHAPTER)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book's common/ and ch07/, as a learner clones them."""
    if not BOOK_MIRROR.exists():
        pytest.skip("no copy of the book's repository on this machine")
    root = tmp_path_factory.mktemp("book")
    archive = subprocess.run(["git", "-C", str(BOOK_MIRROR), "archive", "HEAD", "common", "ch07"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


def test_the_books_repository_scores_full_marks(book):
    result = grade(book, chapter=CHAPTER, isolate=False)
    assert result.score == result.max_score == 100, [r.check.title for r in result.results if r.failure]


@pytest.mark.parametrize("isolate", [False, True], ids=["in-process", "isolated"])
def test_a_slip_in_the_books_im2col_costs_im2col_alone(book, tmp_path, isolate):
    """common/layers.py imports im2col from common/util.py; graded, its Convolution and Pooling use the
    reference's instead, and SimpleConvNet the reference's layers."""
    util = book / "common" / "util.py"
    text = util.read_text(encoding="utf-8")
    assert IM2COL_WITHOUT_PAD[0] in text, "the book's im2col is not the one this test changes"
    slipped = shutil.copytree(book, tmp_path / "book")
    (slipped / "common" / "util.py").write_text(text.replace(*IM2COL_WITHOUT_PAD), encoding="utf-8")
    result = grade(slipped, chapter=CHAPTER, isolate=isolate)
    lost = {r.check.layer for r in result.results if r.failure and r.check.points}
    assert lost == {"im2col"}
