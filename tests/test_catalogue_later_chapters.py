"""Chapters 6 and 7 graded on their catalogue (tests/catalogue_chapters/): every bug fails on its own layer and no
other (a bug in im2col costs im2col alone, Convolution and Pooling being graded on the reference's im2col and
col2im, and SimpleConvNet on the reference's layers), every variant keeps full marks, every graded check of a
chapter catches some bug, every hint is shown, and only on the bug it names, and isolation changes no outcome
(each entry graded in worker processes and with --no-isolate). Each chapter is graded once per mode, out of its
own 100 points, by the session's slow grades (slow_grades.py), made while other tests run."""
import re

import pytest
from english_words import english_words, report_text
from mutants import chapter_entries, costly_checks, failed_checks, hints_shown
from slow_grades import as_results

from backprop_grader.book import checks_module_name, layers_of
from backprop_grader.messages import catalogue
from backprop_grader.run import declared_checks
from backprop_grader.shipped import CHECKS_DIR

CHAPTERS = (6, 7)
BUGS = [e for chapter in CHAPTERS for e in chapter_entries(chapter, "bugs")]
VARIANTS = [e for chapter in CHAPTERS for e in chapter_entries(chapter, "variants")]


def _read(slow_grades, name):
    """{chapter: {entry id, "reference", "template": GradeResult}} from the slow grades name (slow_grades.later_chapters)."""
    return {int(chapter): as_results(graded) for chapter, graded in slow_grades.result(name).items()}


@pytest.fixture(scope="module")
def chapters_graded(slow_grades):
    """Graded isolated, as python grader.py grades: chapters_graded[chapter][entry id]."""
    return _read(slow_grades, "chapters_graded")


@pytest.fixture(scope="module")
def chapters_graded_in_process(slow_grades):
    return _read(slow_grades, "chapters_graded_in_process")


def _outcomes(result):
    return [(r.check.title, r.status, r.failure) for r in result.results]


def _ids(found):
    return [e.id for e in found]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_chapter_is_worth_100_points_over_its_layers(chapter):
    """Each chapter is graded out of 100, every layer of it with checks of its own."""
    declared = declared_checks(chapter=chapter)
    assert sum(c.points for c in declared) == 100
    assert {c.layer for c in declared} == set(layers_of(chapter))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_reference_passes_everything_and_the_template_nothing(chapter, chapters_graded):
    reference, template = chapters_graded[chapter]["reference"], chapters_graded[chapter]["template"]
    assert failed_checks(reference) == set()
    assert reference.score == reference.max_score == 100
    assert template.score == 0
    assert {r.failure.key for r in template.results} == {"not_implemented"}


@pytest.mark.parametrize("entry", BUGS, ids=_ids(BUGS))
def test_bug_fails_on_its_layer_only(entry, chapters_graded):
    costly = costly_checks(chapters_graded[entry.chapter][entry.id])
    assert costly, f"no check worth points caught {entry.id}: {entry.doc}"
    assert {title.split(":")[0] for title in costly} == {entry.layer}, costly


@pytest.mark.parametrize("entry", BUGS, ids=_ids(BUGS))
def test_bug_report_names_no_other_mistake(entry, chapters_graded_in_process):
    """A hint names the mistake made or is not shown (a bug's HINTS and MISTAKE list the ones it may carry)."""
    shown = hints_shown(chapters_graded_in_process[entry.chapter][entry.id])
    assert {hint: checks for hint, checks in shown.items() if hint not in entry.allowed_hints} == {}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_hint_is_shown_true_on_some_bug(chapter, chapters_graded_in_process):
    """Every hint a chapter's checks can give appears in the report of a bug that allows it."""
    modules = dict.fromkeys(checks_module_name(layer) for layer in layers_of(chapter))
    text = "\n".join((CHECKS_DIR / f"{name}.py").read_text(encoding="utf-8") for name in modules)
    given = set(re.findall(r'"(hint_[a-z0-9_A-Z]+)"', text))
    shown = set()
    for entry in chapter_entries(chapter, "bugs"):
        shown |= set(hints_shown(chapters_graded_in_process[chapter][entry.id])) & entry.allowed_hints
    assert given - shown == set()


@pytest.mark.parametrize("entry", VARIANTS, ids=_ids(VARIANTS))
def test_variant_keeps_full_marks(entry, chapters_graded):
    assert failed_checks(chapters_graded[entry.chapter][entry.id]) == set()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_check_catches_some_bug(chapter, chapters_graded):
    results = chapters_graded[chapter]
    caught = set().union(*(failed_checks(results[e.id]) for e in chapter_entries(chapter, "bugs")))
    every_check = {r.check.title for r in results["reference"].results}
    assert every_check - caught == set(), "checks that no catalogued bug fails"


@pytest.mark.parametrize("entry", BUGS + VARIANTS, ids=_ids(BUGS + VARIANTS))
def test_isolation_changes_no_outcome(entry, chapters_graded, chapters_graded_in_process):
    assert _outcomes(chapters_graded[entry.chapter][entry.id]) == _outcomes(chapters_graded_in_process[entry.chapter][entry.id])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_isolation_changes_no_outcome_on_reference_and_template(chapter, chapters_graded, chapters_graded_in_process):
    for name in ("reference", "template"):
        assert _outcomes(chapters_graded[chapter][name]) == _outcomes(chapters_graded_in_process[chapter][name])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_check_description_is_catalogued_as_its_docstring(chapter, chapters_graded):
    english = catalogue("en")
    checks = [r.check for r in chapters_graded[chapter]["reference"].results]
    assert {c.description_key: c.description for c in checks if english.get(c.description_key) != c.description} == {}


@pytest.mark.parametrize("lang", ["ja", "ko", "zh"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_reports_render_without_english(chapter, chapters_graded, lang):
    """Every bug's report, the template's and the reference's: what a learner of the chapter reads is translated."""
    for name, result in chapters_graded[chapter].items():
        report = report_text(result, lang)
        assert english_words(report) == [], f"{name} in {lang}:\n{report}"
