"""The reference's mutants: the checked-in table is the reference's, every mutant loads, and a failed check's
hint names the mutant a submission behaves like (backprop_grader/mutation)."""
import json
import shutil

import pytest

from backprop_grader.counting import CountingLayers
from backprop_grader.loader import load
from backprop_grader.mutation import replay, table
from backprop_grader.results import PASSED
from backprop_grader.run import grade
from backprop_grader.shipped import REFERENCE_DIR


def test_table_is_made_from_todays_reference():
    """The reference changed and the mutant table did not: run python scripts/mutant_table.py --write."""
    checked_in = json.loads(table.TABLE.read_text(encoding="utf-8"))
    assert checked_in["reference"] == table.source_hashes()
    assert checked_in == table.generate()


def test_every_mutant_loads_and_changes_its_function():
    """A mutant of the table no longer applies to the reference's function it names (or does not change it)."""
    net_layers = CountingLayers(load(REFERENCE_DIR))
    for mutant in table.mutants():
        assert mutant.original != mutant.mutated, mutant.id
        if mutant.file == "layers.py":
            assert table.layers_module(mutant) is not table.layers_module(None)
        else:
            assert table.net_module(mutant, net_layers) is not table.net_module(None, net_layers)


def _mutant(mutant_id):
    return next(m for m in table.mutants() if m.id == mutant_id)


def _graded(tmp_path, mutant):
    """The reference with mutant applied, graded on its layer in this process."""
    target = tmp_path / "submission"
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    (target / mutant.file).write_text(table.mutated_source(mutant), encoding="utf-8")
    return grade(target, layers=[mutant.layer], isolate=False)


def _hints(result):
    return {(r.failure.hint, r.failure.params.get("yours"), r.failure.params.get("reference")) for r in result.results if r.status != PASSED}


@pytest.mark.parametrize(
    "mutant_id",
    ["layers.py:Sigmoid.backward:drop_statement:2", "layers.py:Affine.backward:transpose:1",
     "layers.py:SoftmaxWithLoss.forward:keepdims:1"],
)
def test_a_failure_names_the_mutant_it_behaves_like(tmp_path, mutant_id):
    """A submission that is the reference changed in one place fails checks whose hints do not name that change."""
    mutant = _mutant(mutant_id)
    hints = _hints(_graded(tmp_path, mutant))
    assert (f"hint_mutant_{mutant.family}", mutant.mutated, mutant.original) in hints


def test_a_hand_written_hint_comes_first(tmp_path):
    """A check's own hint (x < 0 for x <= 0: the zero that leaks) gave way to the mutants' diagnosis."""
    result = _graded(tmp_path, _mutant("layers.py:Relu.forward:compare:1"))
    failed = {r.check.name: r.failure for r in result.results if r.status != PASSED}
    assert failed["zero_is_blocked"].hint == "hint_relu_zero"


def test_nothing_is_replayed_for_a_grade_that_passes(monkeypatch):
    """Grading the reference ran the mutants' diagnosis although no check failed."""

    def refuse(*args):
        raise AssertionError("diagnosed a check that passed")

    monkeypatch.setattr(replay, "diagnose", refuse)
    result = grade(REFERENCE_DIR, layers=["Relu", "Sigmoid"], isolate=False)
    assert all(r.status == PASSED for r in result.results)
