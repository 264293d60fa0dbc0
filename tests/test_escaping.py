"""Text from a submission reaches no reader raw: an exception's message, its printed output, its file and folder
names are escaped for each destination (terminal, XML, CSV, Markdown, HTML), whatever they hold."""
import csv as stdlib_csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_grader.options import GradeOptions
from backprop_grader.report import csv, escape, gradescope, junit, markdown, terminal
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, Failure, GradeResult, Note

HOSTILE = "=cmd|' /C calc'!A0 \x1b]0;pwned\x07 \x1b[2J nul\x00 </failure> ]]> &amp; \x9b31m \u202egnp.exe \r over"
RAW = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\r")


def _result(message=HOSTILE, submission="sub"):
    check = Check("tests/test_x.py::test_forward", "Relu", "forward", 2.0, False, "forward works.")
    failure = Failure("raised", {"error": f"ValueError: {message}", "where": f"{message}.py, line 9"}, example=message)
    return GradeResult(
        submission, "grading", 0,
        [CheckResult(check, FAILED, failure), CheckResult(Check("t::p", "Sigmoid", "ok", 1.0, False, ""), PASSED)],
        notes=[Note("raised", {"error": message, "where": message})],
    )


def _no_raw_control(text):
    return not any(c in text for c in RAW)


def test_the_terminal_report_shows_control_characters_as_visible_escapes():
    for report in (terminal.render_report(_result()), terminal.render_report(_result(), verbose=True)):
        assert _no_raw_control(report)
        assert "\\x1b]0;pwned\\x07" in report and "nul\\x00" in report and "\\u202egnp" in report


def test_colour_codes_are_the_reports_own_and_the_submissions_are_escaped():
    report = terminal.render_report(_result(), color=True)
    # Every ESC left is the start of one of the painter's SGR sequences.
    assert all(part.split("m", 1)[0].replace(";", "").isdigit() for part in report.split("\x1b[")[1:])
    assert "\x1b]" not in report and "\x07" not in report


def test_a_submission_name_with_control_characters_does_not_act_on_the_terminal():
    report = terminal.render_report(_result(submission="evil\x1b]0;x\x07"))
    assert "evil\\x1b]0;x\\x07" in report and "\x1b" not in report


def test_junit_stays_well_formed_and_keeps_the_message_readable():
    root = ET.fromstring(junit.render(_result(submission="s\x00")))
    failure = next(root.iter("failure"))
    assert "</failure> ]]>" in failure.get("message") and "\\x1b]0;pwned\\x07" in failure.get("message")
    assert "nul\\x00" in failure.text


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30))
def test_junit_is_well_formed_whatever_the_message(message):
    ET.fromstring(junit.render(_result(message)))


def test_results_json_and_markdown_carry_no_raw_control_character():
    document = json.loads(gradescope.render(_result()))
    texts = [document["output"]] + [t["output"] for t in document["tests"]]
    assert all(_no_raw_control(text) for text in texts)
    assert _no_raw_control(markdown.render(_result(submission="a`b\x1b")))


def test_markdown_escapes_markup_and_html_from_the_submission():
    text = markdown.render(_result("<img src=x onerror=alert(1)> [link](http://x) &lt;", submission="a`b"))
    outside_fences = text.split("```")[::2]  # inside a fence nothing is interpreted
    unescaped = re.compile(r"(?<!\\)(<img|\[link|&lt;)")
    assert not any(unescaped.search(part) for part in outside_fences)
    assert "\\<img" in text
    assert "Submission `a'b`" in text


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil","x")', "@SUM(A1:A9)", "+1+1", "-2+3", "\tx", "\rx", "=1\n=2"]
)
def test_a_csv_cell_never_starts_as_a_formula(name, tmp_path):
    path = tmp_path / "grades.csv"
    csv.write(path, [csv.row(_result(), name, 1.0)])
    (row,) = stdlib_csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    cell = row["submission"]
    assert _no_raw_control(cell) and "\n" not in cell and "\t" not in cell
    assert cell.startswith("'") if name[0] in "=@+-" else cell.startswith("\\x")  # a tab or CR: escaped
    assert not any(cell.startswith(escape.FORMULA_START) for cell in row.values())


def test_a_long_folder_name_is_clipped_in_the_csv(tmp_path):
    path = tmp_path / "grades.csv"
    csv.write(path, [csv.row(_result(), "x" * 5000, 1.0)])
    (row,) = stdlib_csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    assert len(row["submission"]) == escape.NAME_LIMIT and row["submission"].endswith(escape.ELLIPSIS)


def test_plain_text_and_numbers_are_left_alone():
    assert escape.terminal("Relu: forward\n\tx = [1, -2]") == "Relu: forward\n\tx = [1, -2]"
    assert escape.csv_cell("\tx") == "'\\x09x" and escape.csv_cell("-1") == "'-1"
    assert escape.csv_cell("alice") == "alice" and escape.csv_cell("12.5") == "12.5"
    assert escape.xml("日本語 é") == "日本語 é"
    assert escape.html('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert escape.terminal("a\nb\tc", keep="") == "a\\x0ab\\x09c"


def test_the_batch_summary_escapes_and_clips_folder_names(tmp_path, monkeypatch, capsys):
    """The instructor's terminal gets a batch's summary lines: a folder's name is escaped and clipped there."""
    from types import SimpleNamespace

    from backprop_grader import batch, instructor

    evil = "=x\x1b]0;pwned\x07" + "y" * 300
    outcome = batch.Outcome(evil, batch.CRASHED, _result(), 0.1, detail="died")
    monkeypatch.setattr(batch, "run", lambda *args, **kwargs: [outcome])
    monkeypatch.setattr(batch, "submissions", lambda *args: [tmp_path])

    class _Setup:
        def __enter__(self):
            return SimpleNamespace(declared=[], marking=None, extra_args=())

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(instructor, "setup", lambda *args, **kwargs: _Setup())
    options = SimpleNamespace(batch=str(tmp_path), out=str(tmp_path / "out"), csv=None, jobs=1, timeout=None,
                              seed=0, layer=None, shard=None, html=None, rubric=None, extra_tests=None)
    assert instructor._batch(None, options, "en", GradeOptions()) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\x07" not in printed and "\\x1b]0;pwned\\x07" in printed
    (line,) = [line for line in printed.splitlines() if "pwned" in line and "(see" in line]
    named, _, log = line.partition(" (see ")
    assert len(named) < escape.NAME_LIMIT + 40 and escape.ELLIPSIS in named
    assert log.endswith("grader.log)")  # the log's path is given whole: it is where to look


def test_the_crash_log_keeps_the_submissions_last_words_inert(tmp_path):
    from backprop_grader import batch

    log = tmp_path / "child.log"
    log.write_bytes(b"printing \x1b]0;pwned\x07 and \x1b[2J\n")
    child = batch._Running(1, tmp_path / "sub", 0.0, tmp_path / "none.json", log)
    outcome = batch._outcome(child, 11, [], _NoMarking(), 0, 1.0, "en")  # 11: killed by SIGSEGV
    assert "\x1b" not in outcome.detail and "\\x1b]0;pwned\\x07" in outcome.detail


class _NoMarking:
    def apply(self, result):
        return result
