"""The suite's own worth: every catalogued bug fails on its layer and no other, every variant passes, and
every graded check catches at least one bug (a check no bug fails asserts nothing we know of).

Checks worth 0 points are informational (TwoLayerNet on the student's own layers says whether the whole stack
trains, so a bug in any layer may fail it): a bug may fail them besides its own layer's checks, but each must
still be failed by some bug, and a variant must pass them like any other check."""
import pytest

from backprop_grader.results import PASSED
from mutants import entries

BUGS = entries("bugs")
VARIANTS = entries("variants")
ATTACKS = entries("attacks")


def _failed(result):
    return {r.check.title for r in result.results if r.status != PASSED}


def _failed_for_points(result):
    return {r.check.title for r in result.results if r.status != PASSED and r.check.points > 0}


def test_reference_passes_everything(reference_result):
    assert _failed(reference_result) == set()
    assert reference_result.score == reference_result.max_score


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_bug_fails_on_its_layer_only(entry, graded):
    failed = _failed(graded[entry.id])
    costly = _failed_for_points(graded[entry.id])
    assert costly, f"no check worth points caught {entry.id}: {entry.doc}"
    assert {title.split(":")[0] for title in costly} == {entry.layer}, costly
    assert entry.must_fail <= failed, entry.must_fail - failed


@pytest.mark.parametrize("entry", VARIANTS, ids=[e.name for e in VARIANTS])
def test_variant_gets_expected_marks(entry, graded):
    assert _failed(graded[entry.id]) == entry.expected_failures


@pytest.mark.parametrize("entry", ATTACKS, ids=[e.name for e in ATTACKS])
def test_attack_gains_nothing(entry, graded):
    """The grading completes; the attacked layer scores 0, every other layer is graded in full."""
    result = graded[entry.id]
    lost = {s.layer for s in result.layer_scores() if s.score < s.max_score}
    assert lost == {entry.layer}, _failed(result)
    assert all(s.score == 0 for s in result.layer_scores() if s.layer == entry.layer)
    assert entry.must_fail <= _failed(result), entry.must_fail - _failed(result)


def test_every_check_catches_some_bug(graded, reference_result):
    caught = set().union(*(_failed(graded[e.id]) for e in BUGS))
    every_check = {r.check.title for r in reference_result.results}
    assert every_check - caught == set(), "checks that no catalogued bug fails"
