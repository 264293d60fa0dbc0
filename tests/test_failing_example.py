"""The smallest failing example, read back from the installed Hypothesis's own note (backprop_grader/failing_example.py):
what a learner is shown as the minimal input, and what the mutants' diagnosis replays."""
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_grader import failing_example
from backprop_grader.mutation import runs


def _raised(test):
    with pytest.raises(AssertionError) as info:
        test()
    return info.value


def test_a_generated_example_is_read_back():
    """Hypothesis changed the words of its note and the report lost the minimal input (and the mutants their replay)."""

    @settings(derandomize=True, database=None)
    @given(n=st.integers(0, 10), shape=st.just((2, 3)))
    def check(n, shape):
        assert n < 3

    exc = _raised(check)
    assert failing_example.arguments(exc) == ["n=3", "shape=(2, 3)"]
    assert runs.falsifying_kwargs(exc, {"n", "shape"}) == {"n": 3, "shape": (2, 3)}


def test_an_explicit_example_is_read_back():
    """An input every grade tries (@example) failed, and the report did not say which."""

    @settings(derandomize=True, database=None)
    @given(x=st.floats(0, 1))
    @example(x=-710.0)
    def check(x):
        assert x >= 0

    exc = _raised(check)
    assert failing_example.arguments(exc) == ["x=-710.0"]
    assert runs.falsifying_kwargs(exc, {"x"}) == {"x": -710.0}


@pytest.mark.parametrize(
    "note",
    ["Falsifying example: test_x(\n    impl=<object>,\n    n=3,\n)", "Failing test case: test_x(\n    impl=<object>,\n    n=3,  # or any other generated value\n)"],
)
def test_either_wording_is_read(note):
    """A note in the wording of another Hypothesis version than the one installed was not read."""
    exc = AssertionError()
    exc.__notes__ = [note]  # as add_note (Python 3.11) leaves it, and Hypothesis on 3.10
    assert failing_example.arguments(exc) == ["impl=<object>", "n=3"]
    assert runs.falsifying_kwargs(exc, {"n"}) == {"n": 3}
