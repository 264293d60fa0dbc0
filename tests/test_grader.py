"""python grader.py as students and CI run it: scores, the report, output files and exit statuses.

Every command runs once, all in parallel, in the module's `runs` fixture; each test reads the runs it needs.
"""
import csv
import json
import os
import re
import subprocess
import sys
import venv
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import (
    INTERNALS,
    PROJECT_ROOT,
    grader,
    line_of,
    one_bug_per_layer,
    reference_with,
    template_with_reference,
)

from backprop_grader.book import LAYERS
from backprop_grader.report.csv import COLUMNS
from backprop_grader.shipped import CHECKS_DIR, checks_module

USAGE_ERRORS = {
    "missing_folder": ["no/such/folder"],
    "file_not_folder": ["README.md"],
    "unknown_layer": ["--layer", "Softmax"],
    "bad_fail_under": ["--fail-under", "lots"],
    "unknown_option": ["--colour"],
}


class Run:
    def __init__(self, process, files):
        self.returncode, self.stdout, self.stderr = process.returncode, process.stdout, process.stderr
        self.files = files

    def json(self):
        return json.loads(self.files["json"].read_text(encoding="utf-8"))

    def table_row(self, label):
        """The report's table line for a layer (or "Total")."""
        return next(line for line in self.stdout.splitlines() if line.split(" ")[0] == label)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("grader")
    syntax_error = reference_with(root / "syntax_error", append="def broken(:  # <- the syntax error\n    pass\n")
    bugs, _ = one_bug_per_layer(root)
    commands = {
        "reference": ["reference", "--fail-under", "100", "json", "junit", "markdown", "csv"],
        "template": ["--fail-under", "0", "json", "junit", "markdown"],
        "new_user": [template_with_reference(root / "new_user", "Relu")],
        "syntax_error": [syntax_error, "json"],
        "bugs_a": [bugs, "json"],
        "bugs_b": [bugs, "json"],
        "relu_only": ["reference", "--layer", "relu", "--fail-under", "100"],
        "template_relu_only": ["--layer", "Relu", "--fail-under", "0.5"],
        **USAGE_ERRORS,
    }

    def run(name):
        args, files = [], {}
        for arg in commands[name]:
            if arg in ("json", "junit", "markdown", "csv"):
                files[arg] = root / f"{name}.{arg}"
                args += [f"--{arg}", files[arg]]
            else:
                args.append(arg)
        return name, Run(grader(*args), files)

    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        found = dict(pool.map(run, commands))
    found["syntax_error_line"] = line_of(syntax_error / "layers.py", "<- the syntax error")
    return found


def _declared(run):
    return [t["name"] for t in run.json()["tests"]]


def test_reference_gets_full_marks(runs):
    run = runs["reference"]
    assert run.returncode == 0, run.stderr
    assert re.search(r"\b100 / 100\b", run.table_row("Total"))
    for layer in LAYERS:
        assert "full marks" in run.table_row(layer)
    assert "Every check passed" in run.stdout


def test_untouched_template_scores_zero_and_says_not_implemented_without_traceback(runs):
    run = runs["template"]
    assert run.returncode == 0, run.stderr  # --fail-under 0: a score of 0 is not below 0
    assert run.stderr == ""
    for layer in LAYERS:
        row = run.table_row(layer)
        assert re.search(r"\s0 / \d+", row) and row.endswith("not implemented yet"), row
        assert re.search(rf"^  {layer}\.\w+ is not implemented yet \(\w+\.py, line \d+\)$", run.stdout, re.M)
    # Identical failures are told once: one line per function left to write, not one per check.
    said = [line for line in run.stdout.splitlines() if "is not implemented yet" in line]
    assert len(said) == len(set(said)) < 15
    assert len(run.stdout.splitlines()) < 60
    for internal in INTERNALS:
        assert internal not in run.stdout


def test_a_new_user_who_fills_one_layer_sees_it_get_full_marks_and_the_rest_stay_zero(runs):
    run = runs["new_user"]
    assert run.returncode == 0, run.stderr
    assert "full marks" in run.table_row("Relu")
    for layer in set(LAYERS) - {"Relu"}:
        assert re.search(r"\s0 / \d+.*not implemented yet$", run.table_row(layer))


def test_the_seed_and_the_hypothesis_profile_go_to_the_instructors_formats_not_the_learners_header(runs):
    """A learner's header says the score, the layers graded and the language; the seed, the profile and the
    sandbox are for telling runs apart: results.json and --verbose keep them."""
    run = runs["reference"]
    assert run.stdout.splitlines()[:2] == [
        "Grading reference: 100 / 100", "Layers graded: all 7. Language: English (--lang en|ja|ko|zh).",
    ]
    assert "seed 0" not in run.stdout and "sandbox:" not in run.stdout
    assert 'seed 0, Hypothesis profile "grading"' in run.json()["output"]


def test_layer_option_grades_only_the_layers_named(runs):
    run = runs["relu_only"]
    assert "full marks" in run.table_row("Relu")
    for layer in set(LAYERS) - {"Relu"}:
        assert not any(line.startswith(layer + " ") for line in run.stdout.splitlines())


@pytest.mark.parametrize(
    "name, status",
    [("reference", 0), ("template", 0), ("relu_only", 1), ("template_relu_only", 1)],
    ids=["100_not_under_100", "0_not_under_0", "14_under_100", "0_under_half_a_point"],
)
def test_fail_under_exits_1_only_below_the_threshold(runs, name, status):
    assert runs[name].returncode == status, runs[name].stderr


@pytest.mark.parametrize("name", USAGE_ERRORS)
def test_usage_errors_exit_2_with_a_clear_message(runs, name):
    run = runs[name]
    assert run.returncode == 2
    assert "error:" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_a_missing_submission_folder_is_named_in_the_message(runs):
    assert "submission not found: no/such/folder" in runs["missing_folder"].stderr


def test_the_same_submission_gets_the_same_report_and_results_json(runs):
    a, b = runs["bugs_a"], runs["bugs_b"]
    assert a.stdout == b.stdout
    assert "What to fix" in a.stdout
    # execution_time is a measurement, the only field allowed to differ.
    strip = re.compile(r'^  "execution_time": [\d.]+,\n', re.M)
    assert strip.sub("", a.files["json"].read_text()) == strip.sub("", b.files["json"].read_text())


@pytest.mark.parametrize("name", ["reference", "template", "syntax_error"])
def test_results_json_has_every_check_once_with_scores_that_add_up(runs, name):
    results = runs[name].json()
    assert _declared(runs[name]) == _declared(runs["reference"])
    assert len(set(_declared(runs[name]))) == len(results["tests"])
    assert {name.split(": ")[0] for name in _declared(runs[name])} == set(LAYERS)
    assert sum(t["score"] for t in results["tests"]) == pytest.approx(results["score"])
    assert isinstance(results["execution_time"], float) and results["output"]
    for test in results["tests"]:
        assert re.fullmatch(r"[A-Za-z]+: \w+", test["name"])
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (test["max_score"] if test["status"] == "passed" else 0)
        assert test["output"] and test["output_format"] == "text" and test["visibility"] == "visible"


def test_a_file_that_does_not_import_costs_its_layers_and_leaves_the_rest_graded(runs):
    run, line = runs["syntax_error"], runs["syntax_error_line"]
    assert run.returncode == 0
    message = f"layers.py failed to import (layers.py, line {line}): SyntaxError"
    for test in run.json()["tests"]:
        if test["name"].startswith("TwoLayerNet:") and test["max_score"] > 0:  # on the reference's layers
            assert test["status"] == "passed", test
        else:  # the layers, and the network on the student's own layers (for information, no points)
            assert test["score"] == 0 and f"(layers.py, line {line}): SyntaxError" in test["output"], test
    assert "does not load" in run.table_row("Relu")
    assert "full marks" in run.table_row("TwoLayerNet")
    assert run.stdout.count(message) == 1  # told once for all the checks it costs


def test_junit_has_one_testcase_per_check_with_the_layer_as_classname(runs):
    for name in ("reference", "template"):
        root = ET.parse(runs[name].files["junit"]).getroot()
        cases = root.findall("./testsuite/testcase")
        assert [f"{c.get('classname')}: {c.get('name')}" for c in cases] == _declared(runs[name])
        failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
        assert len(failed) == (0 if name == "reference" else len(cases))
        assert int(root.get("failures")) + int(root.get("errors")) == len(failed)


def test_csv_is_one_row_of_points_per_layer(runs):
    with runs["reference"].files["csv"].open(newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(COLUMNS)
    [row] = [dict(zip(rows[0], values)) for values in rows[1:]]
    per_layer = {}
    for test in runs["reference"].json()["tests"]:
        layer = test["name"].split(": ")[0]
        per_layer[layer] = per_layer.get(layer, 0) + test["max_score"]
    assert row["submission"] == "reference" and row["status"] == "ok"
    assert {layer: float(row[layer]) for layer in LAYERS} == per_layer
    assert float(row["total"]) == 100
    assert float(row["wall_time_s"]) > 0


def test_markdown_has_the_table_and_what_to_fix(runs):
    assert "| Relu | 0 / " in runs["template"].files["markdown"].read_text()
    assert "### What to fix" in runs["template"].files["markdown"].read_text()
    assert "**100 / 100**" in runs["reference"].files["markdown"].read_text()


def test_no_colour_when_the_output_is_not_a_terminal(runs):
    for name, run in runs.items():
        if isinstance(run, Run):
            assert "\x1b[" not in run.stdout, name


def test_every_graded_check_lives_in_its_layers_module():
    """The grader collects only test_<layer>.py: a check declared in any other module would never be graded.
    (Collected in a process of its own: the checks' modules this session imported must not stand in for them.)"""
    script = (
        "import json, sys, pytest\n"
        "class Collected:\n"
        "    items = []\n"
        "    def pytest_collection_finish(self, session):\n"
        "        self.items.extend(session.items)\n"
        "found = Collected()\n"
        "status = pytest.main(sys.argv[1:], plugins=[found])\n"
        "print(json.dumps([[str(i.path), m.name] for i in found.items for m in i.iter_markers()]))\n"
        "sys.exit(int(status))\n"
    )
    args = [str(CHECKS_DIR), "--collect-only", "-q", "-p", "no:cacheprovider", "-m", " or ".join(LAYERS)]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    markers = json.loads(done.stdout.strip().splitlines()[-1])
    placed = {(Path(path), checks_module(name)) for path, name in markers if name in LAYERS}
    assert {layer_module for _, layer_module in placed} == {checks_module(layer) for layer in LAYERS}
    assert [path for path, layer_module in placed if path != layer_module] == []


def test_a_clone_not_yet_installed_says_how_to_install_it(tmp_path):
    """`python grader.py` in a fresh clone before `pip install -e .` ended in a traceback into the package."""
    venv.create(tmp_path / "bare", with_pip=False)
    done = subprocess.run([str(tmp_path / "bare" / "bin" / "python"), str(PROJECT_ROOT / "grader.py")],
                          capture_output=True, text=True, cwd=tmp_path, env={"PATH": os.environ["PATH"]})
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"python -m pip install -e {PROJECT_ROOT}" in done.stderr


def test_a_pytest_environment_around_the_grader_does_not_change_what_it_grades(tmp_path):
    """PYTEST_ADDOPTS and PYTEST_PLUGINS reached the grade's own pytest: `-k forward` graded MulLayer's forward
    checks alone as if they were all of it, and a plugin that does not exist crashed the grader."""
    out = tmp_path / "results.json"
    done = grader("reference", "--layer", "MulLayer", "--json", out,
                  env_update={"PYTEST_ADDOPTS": "-k forward", "PYTEST_PLUGINS": "no_such_plugin"})
    assert done.returncode == 0, done.stderr
    names = [test["name"] for test in json.loads(out.read_text(encoding="utf-8"))["tests"]]
    assert "MulLayer: backward_values" in names and len(names) == 8, names


def test_an_output_file_that_cannot_be_written_is_named_and_the_others_are_written(tmp_path):
    """A --json path under a regular file ended the grade in a traceback, before the other files were written."""
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    markdown = tmp_path / "report.md"
    done = grader("reference", "--layer", "Relu", "--json", blocker / "results.json", "--markdown", markdown)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"could not write {blocker / 'results.json'}: " in done.stderr
    assert "Relu" in markdown.read_text(encoding="utf-8") and "14 / 14" in done.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_standard_output_on_a_full_disk_loses_no_result(tmp_path):
    """Writing the report to a full disk ended in a traceback before results.json was written."""
    with open("/dev/full", "w") as full:
        done = grader("reference", "--layer", "Relu", "--json", tmp_path / "results.json", stdout=full,
                      stderr=subprocess.PIPE)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "the report could not be written to the standard output: No space left on device" in done.stderr
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["score"] == 14


def test_closed_standard_streams_lose_no_result(tmp_path):
    """Started with its standard streams closed (`>&- 2>&-`), the grader scored the reference 0 (a worker's pipe
    took descriptor 1, which the worker's own output replaced), or pytest did not run at all (no sys.__stderr__),
    and the report's write ended in a traceback before results.json was written."""
    done = grader("reference", "--layer", "Relu", "--json", tmp_path / "results.json",
                  preexec_fn=lambda: [os.close(fd) for fd in (0, 1, 2)])
    assert done.returncode == 0
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["score"] == 14


# Each entry point of the command line as far as its main(), which it does not call under another name.
ENTRY_POINTS = {
    "grader.py": f"runpy.run_path({str(PROJECT_ROOT / 'grader.py')!r}, run_name='probe')",
    "python -m backprop_grader": "runpy.run_module('backprop_grader', run_name='probe')",
}


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads counted in /proc")
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_the_command_line_runs_numpys_blas_on_one_thread_unless_told_otherwise(entry):
    """NumPy's BLAS started a thread per CPU in the grader, which spun after each matrix product: some 0.15 s of
    CPU a grade (a tenth), taken from the worker the grade waits for or from a batch's other grade."""
    probe = (f"import os, runpy; {ENTRY_POINTS[entry]}; import numpy; "
             "print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    found = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert found.stdout.split() == ["1", "1"], found.stderr
    chosen = subprocess.run([sys.executable, "-c", probe], env={**env, "OPENBLAS_NUM_THREADS": "2"},
                            capture_output=True, text=True, timeout=60)
    assert chosen.stdout.split()[-1] == "2", chosen.stderr
