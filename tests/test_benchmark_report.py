"""python -m backprop_grader.benchmark's report, from pytest-benchmark JSON made up here: ratios, a hint for
each far-off layer, a note for each layer that could not be timed, and an instructor's limit that marks layers
without touching any score."""
import pytest

from backprop_grader.benchmark import FAR_OFF, PHASES, Timing, over_limit, report, timings
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
