"""A grade runs each check on the inputs Hypothesis draws for it, recorded in tests/checks/drawn_examples.json,
without Hypothesis's engine (backprop_grader/drawn_examples.py); a failure is still Hypothesis's to shrink."""
import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import hypothesis.core
import pytest

from backprop_grader import drawn_examples, failing_example
from backprop_grader.drawn_examples import Recorded, Recorder, module_hash
from backprop_grader.run import grade
from backprop_grader.seed_only import no_local_constants
from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR

ROOT = Path(__file__).resolve().parent.parent

TOY = '''
from hypothesis import given, settings, strategies as st

CALLS = []


@settings(derandomize=True, database=None, max_examples=30)
@given(n=st.integers(0, 1000))
def test_toy(n):
    CALLS.append(n)
    assert n < {limit}
'''


def test_the_recording_is_made_from_todays_checks():
    """A check, its strategies or the checks' helpers changed and the recording did not: run
    python scripts/drawn_examples.py --write (until then the changed checks are drawn by Hypothesis, slower)."""
    done = subprocess.run([sys.executable, "scripts/drawn_examples.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_what_hypothesis_draws_for_a_passing_check_does_not_depend_on_its_body():
    """The recording runs no check's body: if Hypothesis's draws followed what a check computes, the recorded
    inputs would not be those a grade draws."""
    run, skipped = Recorder(run_bodies=True), Recorder(run_bodies=False)
    grade(REFERENCE_DIR, isolate=False, drawn=run)
    grade(REFERENCE_DIR, isolate=False, drawn=skipped)
    assert run.drawn == skipped.drawn
    assert sum(len(texts) for checks in run.drawn.values() for texts in checks.values()) > 400


def test_a_grade_that_passes_runs_no_hypothesis_engine_for_a_recorded_check(monkeypatch):
    """Every recorded check passes on its recorded inputs, so Hypothesis never runs one of them: the time it took
    (0.7 ms an example) is gone; and the scores are those Hypothesis gives."""
    executed = []
    real = hypothesis.core.StateForActualGivenExecution.execute_once
    monkeypatch.setattr(hypothesis.core.StateForActualGivenExecution, "execute_once",
                        lambda self, *args, **kwargs: executed.append(1) or real(self, *args, **kwargs))
    recorded = grade(REFERENCE_DIR, isolate=False)
    assert executed == []
    drawn = grade(REFERENCE_DIR, isolate=False, drawn=Recorder(run_bodies=True))
    assert len(executed) > 400
    assert [(r.check.id, r.status) for r in recorded.results] == [(r.check.id, r.status) for r in drawn.results]


def _toy(tmp_path, limit):
    path = tmp_path / "test_toy.py"
    path.write_text(textwrap.dedent(TOY.format(limit=limit)), encoding="utf-8")
    return path


def _run_toy(path, plugin):
    """Run the toy check under pytest with plugin; (its module's CALLS, the exception it failed with or None)."""
    failures = []

    class Failures:
        def pytest_exception_interact(self, node, call, report):
            failures.append(call.excinfo.value)

    sys.modules.pop("test_toy", None)
    # As in a grade: Hypothesis reads no local module's literals (nor caches them under the current folder).
    with no_local_constants():
        pytest.main([str(path), "-p", "no:cacheprovider", "--import-mode=importlib", f"--rootdir={path.parent}",
                     # No terminal: Hypothesis would write a patch of the failing input under the current folder.
                     "-p", "no:terminal", "-p", "no:randomly"], plugins=[plugin, Failures()])
    module = next(m for name, m in sys.modules.items() if name.endswith("test_toy"))
    return list(module.CALLS), (failures[0] if failures else None)


def _recording(path, texts):
    return {"modules": {path.name: {"source": module_hash(path), "checks": {"test_toy": texts}}}}


def test_a_failure_is_shrunk_by_hypothesis_and_the_code_runs_on_the_same_inputs_as_without_the_recording(tmp_path):
    """A failure is handed to Hypothesis without running the code again: its calls of the recorded inputs that
    passed return at once, and of the one that failed raise that failure. The checked code runs on the same
    inputs, in the same order, as when Hypothesis draws them, and the report gives its smallest failing input."""
    path = _toy(tmp_path, limit=500)
    recorder = Recorder(run_bodies=False)
    _run_toy(path, recorder)
    texts = recorder.drawn["test_toy.py"]["test_toy"]
    plain_calls, plain_failure = _run_toy(path, Recorder(run_bodies=True))
    calls, failure = _run_toy(path, Recorded(_recording(path, texts), path.parent))
    assert next(i for i, text in enumerate(texts) if ast.literal_eval(text)["n"] >= 500) > 0
    assert calls == plain_calls
    assert failing_example.arguments(failure) == failing_example.arguments(plain_failure) == ["n=500"]


def test_a_recorded_input_that_hypothesis_no_longer_draws_still_fails_the_check_and_is_named(tmp_path):
    """Another Hypothesis may draw other inputs: a failure on a recorded input it does not draw is the check's
    failure all the same, and the report names that input."""
    path = _toy(tmp_path, limit=1001)
    calls, failure = _run_toy(path, Recorded(_recording(path, ["{'n': 0}", "{'n': 1001}"]), path.parent))
    assert calls[:2] == [0, 1001] and 1001 not in calls[2:]
    assert isinstance(failure, AssertionError)
    assert failing_example.arguments(failure) == ["n=1001"]


def test_a_check_changed_since_the_recording_is_drawn_by_hypothesis(tmp_path):
    """A recording of an older module is not used: its inputs may no longer be what the check draws."""
    path = _toy(tmp_path, limit=1001)
    recording = _recording(path, ["{'n': 7}"])
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    calls, failure = _run_toy(path, Recorded(recording, path.parent))
    assert failure is None and len(calls) == 30  # drawn by Hypothesis, where the recording is one input


def test_only_the_default_seed_and_the_grading_profile_are_recorded():
    """Another seed draws other inputs."""
    assert Recorded.for_grade(drawn_examples.SEED, drawn_examples.PROFILE) is not None
    assert Recorded.for_grade(drawn_examples.SEED + 1, drawn_examples.PROFILE) is None
    assert Recorded.for_grade(drawn_examples.SEED, "dev") is None
    assert json.loads((CHECKS_DIR / "drawn_examples.json").read_text(encoding="utf-8"))["seed"] == drawn_examples.SEED


def test_a_test_module_outside_the_checks_is_never_run_on_their_recording(tmp_path):
    """An instructor's extra tests may hold a module named as one of the checks': it draws its own inputs."""
    path = _toy(tmp_path, limit=1001)
    calls, failure = _run_toy(path, Recorded(_recording(path, ["{'n': 7}"]), CHECKS_DIR))
    assert failure is None and len(calls) == 30  # drawn by Hypothesis, where the recording is one input
