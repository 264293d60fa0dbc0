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
from backprop_grader.messages import languages
from backprop_grader.report import csv, gradescope, junit, markdown, terminal
from backprop_grader.report.common import points
from backprop_grader.report.terminal import width_of
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


def _too_large(what, inputs="x.shape = (3, 4), x[0:2] = [[1.0, 2.0]]"):
    return {"what": what, "batch_size": 3, "inputs": inputs, "inputs_whole": "x = array(WHOLE)"}


@pytest.fixture
def one_slip():
    """One slip in SoftmaxWithLoss.backward (no division by the batch size) as three checks find it: two with the
    diagnosis that names it (and hints of their own), one with the first one's hint; and a failure of another
    value, with no hint."""
    swl = [_check("SoftmaxWithLoss", name, 1.0) for name in ("one_hot", "labels", "twice", "numerical", "loss")]
    return _result(
        CheckResult(swl[0], FAILED, Failure("too_large_by_batch", _too_large("SoftmaxWithLoss.backward(1)"), "hint_swl_dx")),
        CheckResult(swl[1], FAILED, Failure("too_large_by_batch", _too_large("SoftmaxWithLoss.backward()"),
                                            "hint_swl_backward_twice")),
        CheckResult(swl[2], FAILED, Failure("wrong_values", {"what": "dx", "inputs": "x = 1", "index": "(0,)", "got": "3",
                                                             "expected": "1", "count": 1, "size": 1}, "hint_swl_dx")),
        CheckResult(swl[3], PASSED),
        CheckResult(swl[4], FAILED, Failure("wrong_number", {"what": "SoftmaxWithLoss.forward(x, t)", "inputs": "x = 1",
                                                             "got": "2", "expected": "1"})),
    )


def test_one_slip_that_fails_several_checks_is_said_once_and_names_the_checks_it_explains(one_slip):
    report = terminal.render_report(one_slip)
    assert report.count("is 3 times too large") == 1
    assert report.count("Likely mistake:") == 1  # the diagnosis's; not the explained checks' own hints
    assert "The same mistake also fails: labels, twice (0 / 2)" in report
    assert "- **The same mistake also fails**: labels, twice (0 / 2)" in markdown.render(one_slip)
    # A failure that no diagnosis ties to it keeps its own "what went wrong".
    assert "What went wrong: SoftmaxWithLoss.forward(x, t) is 2, expected 1." in report


def test_the_instructors_formats_keep_every_checks_whole_message(one_slip):
    outputs = {t["name"]: t["output"] for t in json.loads(gradescope.render(one_slip))["tests"]}
    assert "is 3 times too large" in outputs["SoftmaxWithLoss: labels"]
    assert "Likely mistake: backward changed the y" in outputs["SoftmaxWithLoss: labels"]
    assert "x = array(WHOLE)" in outputs["SoftmaxWithLoss: one_hot"]
    assert "x = array(WHOLE)" in junit.render(one_slip)


def test_arrays_are_cut_for_the_learner_and_whole_under_verbose(one_slip):
    assert "x[0:2] = [[1.0, 2.0]]" in terminal.render_report(one_slip)
    assert "WHOLE" not in terminal.render_report(one_slip)
    assert "x = array(WHOLE)" in terminal.render_report(one_slip, verbose=True)


def test_the_learners_header_says_score_layers_and_language_and_verbose_adds_seed_profile_and_sandbox(one_slip):
    one_slip.sandbox = {"mode": "off"}
    header = terminal.render_report(one_slip).split("\n\n")[0]
    assert header == ("Grading my_submission: 1 / 5\n"
                      "Layers graded: SoftmaxWithLoss (1 of 7). Language: English (--lang en|ja|ko|zh).")
    verbose = terminal.render_report(one_slip, verbose=True).split("\n\n")[0]
    assert verbose.splitlines()[2:] == ['seed 0, Hypothesis profile "grading"', "sandbox: off (--sandbox off)"]
    output = json.loads(gradescope.render(one_slip))["output"]
    assert 'seed 0, Hypothesis profile "grading"' in output and "sandbox: off" in output


def _columns(line, marker):
    """The display columns at which marker occurs in line (wide characters taking two)."""
    return [width_of(line[:i]) for i in range(len(line)) if line.startswith(marker, i)]


@pytest.mark.parametrize("lang", languages())
def test_tables_stay_aligned_in_every_language(every_outcome, lang):
    """Japanese, Korean and Chinese take two columns a character: the score table's fractions, and the names in
    --verbose's list of checks, line up on the display, not on the count of characters."""
    lines = terminal.render_report(every_outcome, lang, verbose=True).splitlines()
    table = lines[lines.index("") + 1:][:5]  # the heading, Relu, Sigmoid, the rule, the total
    assert len({tuple(_columns(row, " / ")) for row in (table[1], table[2], table[4])}) == 1, table
    names = ("passes", "fails", "errors", "is_skipped", "never_runs")
    listed = [line for line in lines for name in names if line.endswith(")") and f" {name}  (" in line]
    columns = {_columns(line, next(n for n in names if f" {n}  (" in line))[0] for line in listed}
    assert len(listed) == 5 and len(columns) == 1, listed
    widest = max(width_of(line[: line.index(" " + n + "  (")].rstrip()) for line in listed for n in names if f" {n}  (" in line)
    assert widest < columns.pop(), "a status runs into the check's name"
