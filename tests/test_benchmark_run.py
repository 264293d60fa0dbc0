"""python grader.py --benchmark on a submission with one layer far too slow (issue #16): the run keeps timing the
others and reports every row it timed, and names the layer and phase that was too slow, or that it was timing
when its --timeout stopped it. Only a few benchmarks are selected, to keep these runs short."""
import json

from submissions import reference_with

from backprop_grader import benchmark

SELECTED = "(MulLayer and forward) or (Relu and forward)"

SLEEPS = '''
import time


class Relu(Relu):
    def forward(self, x):
        time.sleep(1000)
'''

# Swallows everything, the benchmark's own time limit too: only the run's --timeout stops it.
HANGS = '''
import time


class Relu(Relu):
    def forward(self, x):
        while True:
            try:
                time.sleep(1000)
            except BaseException:
                pass
'''


def _rows(output):
    return {line.split("  ")[0]: line for line in output.splitlines() if line.startswith(("MulLayer.", "Relu."))}


def test_a_layer_too_slow_to_time_is_stopped_and_the_others_are_timed(tmp_path, capsys):
    submission = reference_with(tmp_path / "sub", append=SLEEPS)
    status = benchmark.run(submission, tmp_path / "b.json", timeout=16, select=SELECTED)
    output = capsys.readouterr().out
    rows = _rows(output)
    assert status == 0, output
    assert rows["MulLayer.forward"].endswith("x") and "> 4 s" in rows["Relu.forward"], output
    assert "Relu.forward took longer than 4 s to time and was stopped there" in output


def test_a_run_stopped_at_its_timeout_prints_what_it_timed_and_names_what_it_was_timing(tmp_path, capsys):
    submission = reference_with(tmp_path / "sub", append=HANGS)
    status = benchmark.run(submission, tmp_path / "b.json", timeout=10, select=SELECTED)
    output = capsys.readouterr().out
    assert status == 2, output
    assert _rows(output)["MulLayer.forward"].endswith("x"), output
    assert "The timing run was stopped after 10 s, while timing Relu.forward (yours)" in output
    assert "Relu.forward of yours was still being timed when the run was stopped" in output
    assert "Relu.forward could not be timed" not in output
    saved = json.loads((tmp_path / "b.json").read_text())
    assert {(b["extra_info"]["label"], b["extra_info"]["who"]) for b in saved["benchmarks"]} == {
        ("MulLayer", "reference"), ("MulLayer", "submission"), ("Relu", "reference")
    }


def test_a_pytest_environment_around_the_benchmark_does_not_reach_its_timing_run(tmp_path, capsys, monkeypatch):
    """The timing run inherited PYTEST_ADDOPTS and an xdist worker's name: pytest-benchmark then refused to time
    (it disables itself under xdist) or the caller's -k chose what was timed."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k no_such_benchmark")
    status = benchmark.run(reference_with(tmp_path / "sub"), tmp_path / "b.json", timeout=30,
                           select="MulLayer and forward")
    output = capsys.readouterr().out
    assert status == 0, output
    assert _rows(output)["MulLayer.forward"].endswith("x"), output
