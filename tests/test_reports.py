"""The report formats on hand-made results: every outcome scores as the issue says, and each format is valid."""
import csv as stdlib_csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from submissions import PROJECT_ROOT

from backprop_grader.cli import use_color
from backprop_grader.report import csv, gradescope, junit, markdown, terminal
from backprop_grader.report.common import points
from backprop_grader.results import ERROR, FAILED, NOT_RUN, PASSED, SKIPPED, Check, CheckResult, Failure, GradeResult

NOT_IMPLEMENTED = Failure("not_implemented", {"function": "Relu.forward", "where": "layers.py, line 74"})


def _check(layer, name, points=2.0, description="what it checks."):
    return Check(f"tests/test_x.py::test_{name}", layer, name, points, False, description)


def _result(*results):
    return GradeResult("my_submission", "grading", 0, list(results))


@pytest.fixture
def every_outcome():
    wrong = Failure(
        "wrong_values",
        {"what": "Relu.forward(x)", "inputs": "x = 1", "index": "(0,)", "got": "2", "expected": "1", "count": 1, "size": 1},
        "hint_relu_zero",
        "shape=(1,), seed=0",
    )
    return _result(
        CheckResult(_check("Relu", "passes", 3.0), PASSED),
        CheckResult(_check("Relu", "fails"), FAILED, wrong),
        CheckResult(_check("Relu", "errors"), ERROR, Failure("raised", {"error": "KeyError: 'x'", "where": "layers.py, line 9"})),
        CheckResult(_check("Sigmoid", "is_skipped", 1.5), SKIPPED, Failure("skipped")),
        CheckResult(_check("Sigmoid", "never_runs", 0.5), NOT_RUN, Failure("not_run")),
    )


def test_an_error_a_skip_or_a_check_that_never_ran_scores_0_and_counts_toward_the_maximum(every_outcome):
    assert every_outcome.score == 3
    assert every_outcome.max_score == 9
    assert [(s.layer, s.score, s.max_score, s.passed, s.total) for s in every_outcome.layer_scores()] == [
        ("Relu", 3, 7, 1, 3),
        ("Sigmoid", 0, 2, 0, 2),
    ]


def test_results_json_calls_every_outcome_but_a_pass_failed(every_outcome):
    results = json.loads(gradescope.render(every_outcome, execution_time=1.234))
    assert [(t["name"], t["status"], t["score"], t["max_score"]) for t in results["tests"]] == [
        ("Relu: passes", "passed", 3.0, 3.0),
        ("Relu: fails", "failed", 0.0, 2.0),
        ("Relu: errors", "failed", 0.0, 2.0),
        ("Sigmoid: is_skipped", "failed", 0.0, 1.5),
        ("Sigmoid: never_runs", "failed", 0.0, 0.5),
    ]
    assert results["score"] == 3 and results["execution_time"] == 1.23
    failed = results["tests"][1]["output"]
    assert "What went wrong: Relu.forward(x) is wrong" in failed
    assert "Smallest failing input: shape=(1,), seed=0" in failed and "Likely mistake: the mask must be" in failed


def test_junit_marks_failures_errors_and_skips(every_outcome):
    root = ET.fromstring(junit.render(every_outcome))
    outcome = {
        f"{case.get('classname')}: {case.get('name')}": [child.tag for child in case if child.tag != "properties"]
        for case in root.iter("testcase")
    }
    assert outcome == {
        "Relu: passes": [],
        "Relu: fails": ["failure"],
        "Relu: errors": ["error"],
        "Sigmoid: is_skipped": ["skipped"],
        "Sigmoid: never_runs": ["error"],
    }
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("5", "1", "2", "1")


def test_the_csv_header_is_written_once_however_many_rows_are_appended(every_outcome, tmp_path):
    path = tmp_path / "grades.csv"
    csv.append(path, [csv.row(every_outcome, "alice", 1.5)])
    csv.append(path, [csv.row(every_outcome, "bob", 2.25, status="timeout")])
    rows = list(stdlib_csv.DictReader(path.open(newline="")))
    assert list(rows[0]) == list(csv.COLUMNS)
    assert [(r["submission"], r["Relu"], r["Sigmoid"], r["Affine"], r["total"], r["status"], r["wall_time_s"]) for r in rows] == [
        ("alice", "3", "0", "", "3", "ok", "1.50"),
        ("bob", "3", "0", "", "3", "timeout", "2.25"),
    ]


def test_identical_not_implemented_failures_are_told_once():
    result = _result(*(CheckResult(_check("Relu", f"check_{i}"), FAILED, NOT_IMPLEMENTED) for i in range(4)))
    report = terminal.render_report(result)
    assert report.count("Relu.forward is not implemented yet (layers.py, line 74)") == 1
    assert "Relu (all 4 checks)" in report and "not implemented yet" in report.splitlines()[4]


def test_a_long_group_of_checks_is_counted_and_a_short_one_named():
    failing = [CheckResult(_check("Relu", f"check_{i}"), FAILED, NOT_IMPLEMENTED) for i in range(4)]
    passing = CheckResult(_check("Relu", "passes"), PASSED)
    assert "Relu (4 of 5 checks)" in terminal.render_report(_result(*failing, passing))
    assert "Relu: check_0, check_1, check_2  0 / 6" in terminal.render_report(_result(*failing[:3], passing))


def test_markdown_shows_a_hint_literally(every_outcome):
    text = markdown.render(every_outcome)
    assert r"dout \* (x \> 0)" in text  # not italics, not an HTML tag
    assert "| Relu | 3 / 7 | 1 / 3 |" in text


def test_verbose_lists_passed_checks_too(every_outcome):
    assert "passes" not in terminal.render_report(every_outcome)
    assert "pass    passes" in terminal.render_report(every_outcome, verbose=True)


def test_colour_only_on_a_terminal_and_never_with_no_color():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert use_color(Terminal(), {})
    assert not use_color(Terminal(), {"NO_COLOR": "1"})
    assert not use_color(io.StringIO(), {})


@pytest.mark.parametrize("value, text", [(3.0, "3"), (2.5, "2.5"), (100.0, "100"), (0.0, "0")])
def test_points_read_as_people_write_them(value, text):
    assert points(value) == text


def test_the_readme_points_table_and_sample_report_are_up_to_date():
    done = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
