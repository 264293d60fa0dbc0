"""The suite's own worth: every catalogued bug fails on its layer and no other, every variant passes, and
every graded check catches at least one bug (a check no bug fails asserts nothing we know of)."""
import pytest

from backprop_grader.results import PASSED
from mutants import entries

BUGS = entries("bugs")
VARIANTS = entries("variants")


def _failed(result):
    return {r.check.title for r in result.results if r.status != PASSED}


def test_reference_passes_everything(reference_result):
    assert _failed(reference_result) == set()
    assert reference_result.score == reference_result.max_score


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_fails_on_its_layer_only(entry, graded):
    failed = _failed(graded[entry.id])
    assert failed, f"no check caught {entry.id}: {entry.doc}"
    assert {title.split(":")[0] for title in failed} == {entry.layer}, failed
    assert entry.must_fail <= failed, entry.must_fail - failed


@pytest.mark.parametrize("entry", VARIANTS, ids=[e.name for e in VARIANTS])
def test_variant_gets_expected_marks(entry, graded):
    assert _failed(graded[entry.id]) == entry.expected_failures


def test_every_check_catches_some_bug(graded, reference_result):
    caught = set().union(*(_failed(graded[e.id]) for e in BUGS))
    every_check = {r.check.title for r in reference_result.results}
    assert every_check - caught == set(), "checks that no catalogued bug fails"
