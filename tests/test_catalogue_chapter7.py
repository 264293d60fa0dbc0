"""Chapter 7 graded on its catalogue (tests/catalogue_chapters/, the entries whose FILE is in chapter7/): every
bug fails on its own layer and no other (a bug in im2col costs im2col alone, Convolution and Pooling being graded
on the reference's im2col and col2im, and SimpleConvNet on the reference's layers), every variant keeps full
marks, every graded check of the chapter catches some bug, every hint is shown, and only on the bug it names, and
isolation changes no outcome (each entry graded in worker processes and with --no-isolate)."""
import re

import pytest
from english_words import english_words, report_text
from mutants import chapter_entries, costly_checks, failed_checks, hints_shown, materialise

from backprop_grader.book import layers_of
from backprop_grader.messages import catalogue
from backprop_grader.run import declared_checks, grade_many
from backprop_grader.shipped import CHECKS_DIR, reference_of, template_of

CHAPTER = 7
BUGS = chapter_entries(CHAPTER, "bugs")
VARIANTS = chapter_entries(CHAPTER, "variants")
CHECK_FILES = ("test_im2col.py", "test_col2im.py", "test_convolution.py", "test_pooling.py", "test_simple_convnet.py")


def _grade_all(root, **options):
    chosen = {e.id: materialise(e, root) for e in BUGS + VARIANTS}
    chosen |= {"reference": reference_of(CHAPTER), "template": template_of(CHAPTER)}
    return dict(zip(chosen, grade_many(list(chosen.values()), chapter=CHAPTER, **options)))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every chapter-7 bug and variant, the reference and the template, graded isolated; keyed by entry id."""
    return _grade_all(tmp_path_factory.mktemp("chapter7_isolated"))


@pytest.fixture(scope="module")
def graded_in_process(tmp_path_factory):
    return _grade_all(tmp_path_factory.mktemp("chapter7_in_process"), isolate=False)


def _outcomes(result):
    return [(r.check.title, r.status, r.failure) for r in result.results]


def test_the_chapter_is_worth_100_points_over_its_layers():
    """Each chapter is graded out of 100, every layer of it with checks of its own."""
    declared = declared_checks(chapter=CHAPTER)
    assert sum(c.points for c in declared) == 100
    assert {c.layer for c in declared} == set(layers_of(CHAPTER))


def test_reference_passes_everything_and_the_template_nothing(graded):
    assert failed_checks(graded["reference"]) == set()
    assert graded["reference"].score == graded["reference"].max_score == 100
    template = graded["template"]
    assert template.score == 0
    assert {r.failure.key for r in template.results} == {"not_implemented"}


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_fails_on_its_layer_only(entry, graded):
    costly = costly_checks(graded[entry.id])
    assert costly, f"no check worth points caught {entry.id}: {entry.doc}"
    assert {title.split(":")[0] for title in costly} == {entry.layer}, costly


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_report_names_no_other_mistake(entry, graded_in_process):
    """A hint names the mistake made or is not shown (a bug's HINTS and MISTAKE list the ones it may carry)."""
    shown = hints_shown(graded_in_process[entry.id])
    assert {hint: checks for hint, checks in shown.items() if hint not in entry.allowed_hints} == {}


def test_every_hint_is_shown_true_on_some_bug(graded_in_process):
    """Every hint chapter 7's checks can give appears in the report of a bug that allows it."""
    text = "\n".join((CHECKS_DIR / name).read_text(encoding="utf-8") for name in CHECK_FILES)
    given = set(re.findall(r'"(hint_[a-z0-9_A-Z]+)"', text))
    shown = set()
    for entry in BUGS:
        shown |= set(hints_shown(graded_in_process[entry.id])) & entry.allowed_hints
    assert given - shown == set()


@pytest.mark.parametrize("entry", VARIANTS, ids=[e.name for e in VARIANTS])
def test_variant_keeps_full_marks(entry, graded):
    assert failed_checks(graded[entry.id]) == set()


def test_every_check_catches_some_bug(graded):
    caught = set().union(*(failed_checks(graded[e.id]) for e in BUGS))
    every_check = {r.check.title for r in graded["reference"].results}
    assert every_check - caught == set(), "checks that no catalogued bug fails"


@pytest.mark.parametrize("entry", BUGS + VARIANTS, ids=[e.id for e in BUGS + VARIANTS])
def test_isolation_changes_no_outcome(entry, graded, graded_in_process):
    assert _outcomes(graded[entry.id]) == _outcomes(graded_in_process[entry.id])


def test_isolation_changes_no_outcome_on_reference_and_template(graded, graded_in_process):
    for name in ("reference", "template"):
        assert _outcomes(graded[name]) == _outcomes(graded_in_process[name])


def test_every_check_description_is_catalogued_as_its_docstring(graded):
    english = catalogue("en")
    checks = [r.check for r in graded["reference"].results]
    assert {c.description_key: c.description for c in checks if english.get(c.description_key) != c.description} == {}


@pytest.mark.parametrize("lang", ["ja", "ko", "zh"])
def test_reports_render_without_english(graded, lang):
    """Every bug's report, the template's and the reference's: what a learner of chapter 7 reads is translated."""
    for name, result in graded.items():
        report = report_text(result, lang)
        assert english_words(report) == [], f"{name} in {lang}:\n{report}"
