"""The project's own tests: the catalogue of bugs and variants graded once per session, for every test that
judges the suite by it."""
import pytest
from mutants import entries, materialise
from submissions import TEMPLATE

from backprop_grader.loader import load
from backprop_grader.run import grade_many
from backprop_grader.shipped import REFERENCE_DIR


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Every catalogued bug and variant, the reference and the template, graded once per session in
    parallel processes; keyed by entry id ("bugs/relu_np_max"), "reference" and "template"."""
    root = tmp_path_factory.mktemp("catalogue")
    chosen = {e.id: materialise(e, root) for e in entries("bugs") + entries("variants")}
    chosen.update(reference=REFERENCE_DIR, template=TEMPLATE)
    return dict(zip(chosen, grade_many(list(chosen.values()))))


@pytest.fixture(scope="session")
def reference_result(graded):
    return graded["reference"]


@pytest.fixture(scope="session")
def ref():
    """The reference implementation, loaded in this process (the project's tests of the reference itself)."""
    return load(REFERENCE_DIR)
