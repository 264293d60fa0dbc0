"""The reference's mutants: the checked-in table is the reference's, every mutant loads, and a failed check's
hint names the mutant a submission behaves like (backprop_grader/mutation)."""
import importlib
import json
import shutil
import sys

import pytest

from backprop_grader.book import ALL_LAYERS
from backprop_grader.counting import CountingLayers
from backprop_grader.loader import load
from backprop_grader.mutation import replay, runs, table
from backprop_grader.results import PASSED
from backprop_grader.run import grade
from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR


def _as_trees(made):
    """The table with each mutant's statements as syntax trees: Python 3.10's ast.unparse writes some otherwise."""
    return {**made, "mutants": [{**m, "original": table.statement_structure(m["original"]),
                                 "mutated": table.statement_structure(m["mutated"])} for m in made["mutants"]]}


def test_table_is_made_from_todays_reference():
    """The reference changed and the mutant table did not: run python scripts/mutant_table.py --write."""
    checked_in = json.loads(table.TABLE.read_text(encoding="utf-8"))
    assert checked_in["reference"] == table.source_hashes()
    made = table.generate()
    if sys.version_info < (3, 11):  # the table is made on 3.11, whose ast.unparse writes some statements otherwise
        checked_in, made = _as_trees(checked_in), _as_trees(made)
    assert checked_in == made


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
    # np.log for np.exp: forward's output is nan everywhere on the failing input, where no hand-written hint tells
    # one formula from another
    ["layers.py:Sigmoid.forward:exp_log:1", "layers.py:Affine.backward:transpose:1",
     "layers.py:SoftmaxWithLoss.forward:keepdims:1",
     # backward raises reading what forward did not store: named upstream, at the line both raise on
     "layers.py:Sigmoid.forward:drop_statement:8",
     # accuracy(x, t), the net's method without its class; argmin and `!=` told apart by diagnosis_examples
     "two_layer_net.py:TwoLayerNet.accuracy:compare:2",
     # a shift by the row's minimum, told from no shift and from one by +max by diagnosis_examples
     "layers.py:SoftmaxWithLoss.forward:max_min:1",
     # forward's change, for backward's failures: the same values on every other input of the check
     "layers.py:SoftmaxWithLoss.forward:drop_statement:7"],
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


def test_no_function_is_named_over_another(tmp_path):
    """Relu.forward's mask inverted fails backward's checks as np.where's arguments swapped in backward do, on
    every input: a report named the backward, a mistake the learner did not make."""
    result = _graded(tmp_path, _mutant("layers.py:Relu.forward:compare:2"))
    named = {r.failure.params.get("method") for r in result.results if (r.failure and r.failure.hint or "").startswith("hint_mutant_")}
    assert named <= {"Relu.forward"}


def _with_diagnosis_examples():
    for path in sorted(CHECKS_DIR.glob("test_*.py")):
        module = importlib.import_module(f"backprop_grader.checks.{path.stem}")
        for name, test in sorted(vars(module).items()):
            if name.startswith("test_") and getattr(test, "diagnosis_examples", ()):
                yield test


def test_diagnosis_examples_pass_on_the_reference():
    """A check's diagnosis example (marks.diagnosis_examples) on which the reference itself fails, or raises, is
    not an input of the check: the mutants' diagnosis would hold submissions to it."""
    tests = list(_with_diagnosis_examples())
    assert tests
    for test in tests:
        layer = next(mark.name for mark in test.pytestmark if mark.name in ALL_LAYERS)
        handle = getattr(test, "hypothesis", None)
        body = test if handle is None else handle.inner_test
        for kwargs in test.diagnosis_examples:
            needed = {name: None for name in runs.parameters(body) if name not in kwargs}
            fixtures = replay._fixtures_for(layer, {**needed, **({"ref": replay._reference()} if "ref" in needed else {})})
            assert runs.run(body, fixtures, kwargs, 0, lambda value: None) is None, (test.__name__, kwargs)
