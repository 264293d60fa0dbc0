"""python -m backprop_grader.benchmark's report, from pytest-benchmark JSON made up here: ratios, a hint for
each far-off layer, a note for each layer that could not be timed, and an instructor's limit that marks layers
without touching any score."""
import subprocess

import pytest

from backprop_grader.benchmark import FAR_OFF, PHASES, Run, Timing, over_limit, report, timings
from backprop_grader.messages import catalogue


def _bench(layer, phase, who, seconds, label=None):
    info = {"layer": layer, "label": label or layer, "phase": phase, "who": who}
    return {"extra_info": info, "stats": {"min": seconds}}


def _data():
    return {
        "benchmarks": [
            _bench("Affine", "backward", "reference", 1e-4),
            _bench("Affine", "backward", "submission", 4e-3),
            _bench("Relu", "forward", "reference", 4e-6),
            _bench("Relu", "forward", "submission", 5e-6),
            _bench("Sigmoid", "forward", "reference", 2e-5),
        ]
    }


def test_timings_pair_each_phase_of_submission_and_reference():
    found = {t.what: t for t in timings(_data())}
    assert found["Affine.backward"].ratio == pytest.approx(40.0)
    assert found["Relu.forward"].ratio == pytest.approx(1.25)
    assert found["Sigmoid.forward"].submission is None and found["Sigmoid.forward"].ratio is None


def test_report_hints_only_where_far_off_and_notes_what_was_not_timed():
    text = "\n".join(report(timings(_data()), "sub"))
    assert "Affine.backward is 40x slower than the reference: a Python loop over the batch?" in text
    assert "Relu.forward is" not in text
    assert "Sigmoid.forward could not be timed" in text
    assert "Timings do not change your score." in text


def test_limit_marks_layers_over_it_only():
    found = timings(_data())
    assert [t.what for t in over_limit(found, 10)] == ["Affine.backward"]
    assert over_limit(found, None) == []
    text = "\n".join(report(found, "sub", max_ratio=10))
    assert "Affine.backward is 40.0x the reference, over the limit of 10x" in text


def test_every_timed_phase_has_a_hint():
    keys = catalogue("en")
    missing = [f"{layer}.{phase}" for layer, phases in PHASES.items() for phase in phases if f"speed_hint_{layer}.{phase}" not in keys]
    assert missing == []


def test_far_off_starts_at_the_threshold():
    near = Timing("Relu", "Relu", "forward", 1.0, FAR_OFF * 0.99)
    far = Timing("Relu", "Relu", "forward", 1.0, FAR_OFF)
    assert "slower than the reference" not in "\n".join(report([near], "sub"))
    assert "Relu.forward is 5x slower than the reference" in "\n".join(report([far], "sub"))


def test_a_phase_too_slow_to_time_gets_its_row_and_hint_and_is_over_any_limit():
    run = Run({"benchmarks": _data()["benchmarks"]}, [{"too_slow": {"layer": "Relu", "label": "Relu", "phase": "backward", "who": "submission"}, "seconds": 30}], "")
    found = timings(run.data, run.too_slow)
    slow = {t.what: t for t in found}["Relu.backward"]
    assert slow.too_slow == 30 and slow.submission is None and slow.reference is None
    text = "\n".join(report(found, "sub"))
    assert "> 30 s" in text
    assert "Relu.backward took longer than 30 s to time and was stopped there" in text
    assert "Relu.backward could not be timed" not in text
    assert [t.what for t in over_limit(found, 100)] == ["Relu.backward"]


def test_a_stopped_run_keeps_its_rows_and_names_what_it_was_timing():
    running = {"layer": "Affine", "label": "Affine (N, C, H, W)", "phase": "backward", "who": "submission"}
    records = [{"timed": b} for b in _data()["benchmarks"]] + [{"start": running}]
    run = Run({"benchmarks": _data()["benchmarks"]}, records, "", expired=subprocess.TimeoutExpired("pytest", 120))
    assert run.running == running
    text = "\n".join(report(timings(run.data), "sub", stopped=(120, run.running)))
    assert "40.0x" in next(line for line in text.splitlines() if line.startswith("Affine.backward"))
    assert "stopped after 120 s, while timing Affine (N, C, H, W).backward (yours)" in text
    assert "Affine (N, C, H, W).backward of yours was still being timed when the run was stopped: a Python loop over the batch?" in text
    # A run that ended, or stopped between benchmarks, names nothing.
    assert Run({}, records, "").running is None
    assert Run({}, records[:-1], "", expired=run.expired).running is None
