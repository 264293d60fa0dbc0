"""The suite's own worth: every catalogued bug fails on its layer and no other, every variant passes, and
every graded check catches at least one bug (a check no bug fails asserts nothing we know of). Every hint is
true: a bug's report names no mistake but its own (its HINTS), and every hint a check can give is shown, true,
on some bug. And the grader's
isolation changes nothing: graded in one process (--no-isolate), every entry gets the very same outcome, check
by check, as graded with its code in worker processes (the default). The attacks in tests/catalogue/attacks/
are graded by tests/test_redteam.py, which holds them to more (a time budget, the results file, no leftovers).

Checks worth 0 points are informational (TwoLayerNet on the student's own layers says whether the whole stack
trains, so a bug in any layer may fail it): a bug may fail them besides its own layer's checks, but each must
still be failed by some bug, and a variant must pass them like any other check."""
import re

import pytest
from english_words import string_literals
from mutants import costly_checks, entries, failed_checks, hints_shown
from slow_grades import as_results

from backprop_grader.book import CHAPTERS, checks_module_name, layers_of
from backprop_grader.shipped import CHECKS_DIR

BUGS = entries("bugs")
VARIANTS = entries("variants")


@pytest.fixture(scope="session")
def graded_in_process(slow_grades):
    """Every bug and variant, the reference and the template graded with --no-isolate; keyed by entry id."""
    return as_results(slow_grades.result("graded_in_process"))


@pytest.fixture(scope="session")
def variants_at_another_seed(slow_grades):
    """Every variant graded at seed 1, with --no-isolate; keyed by entry id."""
    return as_results(slow_grades.result("variants_at_another_seed"))


@pytest.mark.parametrize("entry", VARIANTS, ids=[e.name for e in VARIANTS])
def test_variant_marks_do_not_depend_on_the_seed(entry, variants_at_another_seed):
    """Inputs and Hypothesis's examples come from the seed: another one must not fail a correct implementation
    on rounding (scripts/seed_sweep.py sweeps more seeds, over the bugs too)."""
    assert failed_checks(variants_at_another_seed[entry.id]) == entry.expected_failures


def _outcomes(result):
    """Per check: its status and everything its feedback says (message key, values, hint, smallest example)."""
    return [(r.check.title, r.status, r.failure) for r in result.results]


def test_reference_passes_everything(reference_result):
    assert failed_checks(reference_result) == set()
    assert reference_result.score == reference_result.max_score


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_fails_on_its_layer_only(entry, graded):
    failed = failed_checks(graded[entry.id])
    costly = costly_checks(graded[entry.id])
    assert costly, f"no check worth points caught {entry.id}: {entry.doc}"
    assert {title.split(":")[0] for title in costly} == {entry.layer}, costly
    assert entry.must_fail <= failed, entry.must_fail - failed
    if entry.expected_failures:
        assert failed == entry.expected_failures


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_report_names_no_other_mistake(entry, graded_in_process):
    """A hint names the mistake made or is not shown: a hint that names another mistake costs a learner more
    than none (issue #17)."""
    shown = hints_shown(graded_in_process[entry.id])
    other = {hint: checks for hint, checks in shown.items() if hint not in entry.allowed_hints}
    assert {hint: checks for hint, checks in other.items() if not hint.startswith(MUTANT_HINT)} == {}
    # A mutant's hint says that a function behaves as one changed copy of the reference's does on the failing
    # input: it names the mistake when that function is one the bug changed.
    for r in graded_in_process[entry.id].results:
        if r.failure is not None and (r.failure.hint or "").startswith(MUTANT_HINT) and r.failure.hint in other:
            assert r.failure.params["method"] in entry.defines, (r.check.title, r.failure.params)


MUTANT_HINT = "hint_mutant_"
# The later chapters' checks are graded on their own catalogue (tests/test_catalogue_later_chapters.py).
LATER_CHAPTERS = {checks_module_name(layer) + ".py" for chapter in CHAPTERS if chapter != 5
                  for layer in layers_of(chapter)}


def _hints_the_checks_give():
    files = [p for p in CHECKS_DIR.glob("*.py") if p.name not in LATER_CHAPTERS]
    named = set().union(*(string_literals(p) for p in files))
    return {s for s in named if re.fullmatch(r"hint_[a-z0-9_]+", s)}


def test_every_hint_is_shown_true_on_some_bug(graded_in_process):
    """Every hint a check can give appears in the report of a bug that allows it: each is tested true somewhere."""
    shown = set()
    for entry in BUGS:
        shown |= set(hints_shown(graded_in_process[entry.id])) & entry.allowed_hints
    assert _hints_the_checks_give() - shown == set()


@pytest.mark.parametrize("entry", VARIANTS, ids=[e.name for e in VARIANTS])
def test_variant_gets_expected_marks(entry, graded):
    assert failed_checks(graded[entry.id]) == entry.expected_failures


def test_every_check_catches_some_bug(graded, reference_result):
    caught = set().union(*(failed_checks(graded[e.id]) for e in BUGS))
    every_check = {r.check.title for r in reference_result.results}
    assert every_check - caught == set(), "checks that no catalogued bug fails"


@pytest.mark.parametrize("entry", BUGS + VARIANTS, ids=[e.id for e in BUGS + VARIANTS])
def test_isolation_changes_no_outcome(entry, graded, graded_in_process):
    assert _outcomes(graded[entry.id]) == _outcomes(graded_in_process[entry.id])


def test_isolation_changes_no_outcome_on_reference_and_template(reference_result, graded, graded_in_process):
    template = graded["template"]
    assert _outcomes(reference_result) == _outcomes(graded_in_process["reference"])
    assert _outcomes(template) == _outcomes(graded_in_process["template"])
