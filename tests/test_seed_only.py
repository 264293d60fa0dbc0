"""A grade's inputs come from its seed alone: not from the literals of whatever local modules are imported
(backprop_grader/seed_only.py)."""
import importlib
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_grader.seed_only import no_local_constants

LITERALS = "".join(f"VALUE_{i} = {4242.0 + i / 8}\n" for i in range(40))


def _drawn():
    seen = []

    @settings(derandomize=True, database=None, max_examples=300)
    @given(st.floats(-1e5, 1e5))
    def draw(x):
        seen.append(x)

    draw()
    return seen


def test_the_literals_of_a_local_module_change_nothing_drawn(tmp_path, monkeypatch):
    """Hypothesis drew the literals of a module that happened to be imported (a learner's, with --no-isolate, or a
    notebook's): the same seed graded other inputs depending on what else was loaded."""
    with no_local_constants():
        before = _drawn()
    (tmp_path / "learners_module.py").write_text(LITERALS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("learners_module")
    try:
        with no_local_constants():
            assert _drawn() == before
        # Outside a grade Hypothesis does draw them: the hook this relies on is still the one Hypothesis uses.
        assert any(4242.0 <= x < 4247.0 for x in _drawn())
    finally:
        sys.modules.pop("learners_module")
