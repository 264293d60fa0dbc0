"""The project's own tests: the catalogue of bugs and variants graded once per session, for every test that
judges the suite by it, by a process of its own started before the first test (slow_grades.py); the tests that
need none of its grades run first, meanwhile."""
import pytest
from slow_grades import GRADES, SlowGrades, as_results

from backprop_grader.loader import load
from backprop_grader.shipped import REFERENCE_DIR

NEEDED = pytest.StashKey[list]()  # the slow grades the collected tests need, in the order they need them


def pytest_collection_modifyitems(session, config, items):
    """The modules whose tests need slow grades last, in their own order and that of each other: the other
    tests run while the grades are made. Whole modules move, so that none of their fixtures is made twice."""
    waiting = {getattr(item, "module", None) for item in items if "slow_grades" in item.fixturenames}
    items[:] = [i for i in items if getattr(i, "module", None) not in waiting] + [i for i in items if getattr(i, "module", None) in waiting]
    needed = []
    for item in items:
        if "slow_grades" in item.fixturenames:
            needed += [name for name in item.fixturenames if name in GRADES and name not in needed]
    config.stash[NEEDED] = needed


@pytest.fixture(scope="session", autouse=True)
def _slow_grades_started(request, tmp_path_factory):
    """Started before the session's first test, as it was before any test changed the environment."""
    started = SlowGrades(tmp_path_factory.mktemp("slow_grades"), request.config.stash.get(NEEDED, []))
    yield started
    started.stop()


@pytest.fixture(scope="session")
def slow_grades(_slow_grades_started):
    """What a fixture asks for to read slow grades (slow_grades.SlowGrades.result): the tests that ask for it run last."""
    return _slow_grades_started


@pytest.fixture(scope="session")
def graded(slow_grades):
    """Every catalogued bug and variant, the reference and the template, graded isolated, as `python grader.py`
    grades; keyed by entry id ("bugs/relu_np_max"), "reference" and "template"."""
    return as_results(slow_grades.result("graded"))


@pytest.fixture(scope="session")
def reference_result(graded):
    return graded["reference"]


@pytest.fixture(scope="session")
def ref():
    """The reference implementation, loaded in this process (the project's tests of the reference itself)."""
    return load(REFERENCE_DIR)
