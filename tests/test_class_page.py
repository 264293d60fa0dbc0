"""The class page (--batch DIR --html FILE): one self-contained HTML file with the class summary, a histogram per
layer, the common mistakes as a chart and a table, and every student linked to their own page; opened in a real
browser (headless Chromium) from disk."""
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from backprop_grader.report import html, plots
from backprop_grader.report.summary import summarise
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, Failure, GradeResult

RELU = Check("t::relu", "Relu", "zero_is_blocked", 3.0, False, "")
DB = Check("t::db", "Affine", "backward_db", 2.0, False, "")
SHAPES = {"what": "self.db", "got_shape": "(4, 3)", "expected_shape": "(3,)", "batch_size": 4, "inputs": "",
          "got": "0.5", "expected": "1.0", "mismatches": "1", "worst": ""}
HOSTILE = '<img src=x onerror=alert(1)>&amp;'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# .ci/run installs Chromium and sets this: there, a missing browser fails the test instead of skipping it.
REQUIRE_BROWSER = os.environ.get("BACKPROP_REQUIRE_BROWSER") == "1"


class _Outcome:  # what the page reads of a batch.Outcome
    def __init__(self, id, status, result):
        self.id, self.status, self.result = id, status, result


def _class():
    def grade(relu, db):
        results = [CheckResult(RELU, PASSED if relu else FAILED, None if relu else Failure("shape_not_summed", SHAPES, None)),
                   CheckResult(DB, PASSED if db else FAILED,
                               None if db else Failure("shape_not_summed", SHAPES, "hint_affine_db"))]
        return GradeResult("s", "grading", 0, results)

    return [_Outcome("alice", "ok", grade(True, True)), _Outcome("bob", "ok", grade(True, False)),
            _Outcome(HOSTILE, "ok", grade(False, False)), _Outcome("dave", "crashed", grade(False, False))]


def _page(tmp_path, lang="en"):
    outcomes = _class()
    out = tmp_path / "out"
    path = tmp_path / "class.html"
    tmp_path.mkdir(parents=True, exist_ok=True)
    path.write_text(html.class_page(outcomes, summarise(outcomes), path, out, lang), encoding="utf-8")
    for outcome in outcomes:
        (out / outcome.id).mkdir(parents=True)
        (out / outcome.id / html.STUDENT_PAGE).write_text(html.student_page(outcome, lang), encoding="utf-8")
    return path


def test_the_page_needs_nothing_but_itself(tmp_path):
    """A page that loads a script, a stylesheet or a font from elsewhere would not open offline or from an LMS."""
    text = _page(tmp_path).read_text()
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)
    assert not re.search(r"url\((?!#)", text), "an SVG may point at its own clip paths (url(#id)), nothing else"


def test_a_folder_name_is_text_on_the_page_never_markup(tmp_path):
    """A student who names their folder <img onerror=...> must not run code in the instructor's browser."""
    text = _page(tmp_path).read_text()
    assert HOSTILE not in text
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;amp;" in text
    student = (tmp_path / "out" / HOSTILE / html.STUDENT_PAGE).read_text()
    assert HOSTILE not in student


def test_each_student_links_to_their_own_page(tmp_path):
    page = _page(tmp_path)
    links = re.findall(r'<a href="([^"]+)">', page.read_text())
    assert len(links) == 4
    for link, outcome in zip(links, _class()):
        target = page.parent / unquote(link.replace("&amp;", "&"))
        assert target.is_file() and target.parent.name == outcome.id


@pytest.mark.skipif(not plots.available(), reason="matplotlib (the [plots] extra) is not installed")
def test_the_page_has_a_histogram_per_layer_and_a_chart_of_the_mistakes_the_same_bytes_each_time(tmp_path):
    """A page that changed from one run to the next could not be compared, nor merged from shards."""
    first = _page(tmp_path / "a").read_text()
    assert first.count('<figure class="histogram"><svg') == 2
    assert first.count('<figure class="mistakes"><svg') == 1
    assert _page(tmp_path / "b").read_text() == first


def test_without_matplotlib_the_page_keeps_its_tables_and_says_how_to_get_the_charts(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "available", lambda: False)
    text = _page(tmp_path).read_text()
    assert "<svg" not in text
    assert plots.INSTALL in text
    assert "hint_affine_db" in text and "<table>" in text, "the mistakes' table is there either way"


def _chromium(*args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--enable-logging=stderr", "--v=0"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


def _console_messages(stderr):
    """What the page wrote to the browser's console, as Chromium logs it ("CONSOLE(line)] message")."""
    return re.findall(r":CONSOLE\(\d+\)\] (.*)", stderr) + re.findall(r"Uncaught .*", stderr)


@pytest.mark.skipif(CHROMIUM is None and not REQUIRE_BROWSER, reason="no Chromium on this machine")
def test_the_page_renders_in_a_real_browser_with_no_console_error(tmp_path):
    """What an instructor opens must show its tables and charts, and raise nothing in the browser."""
    assert CHROMIUM is not None, "BACKPROP_REQUIRE_BROWSER is set: .ci/run installs Chromium"
    page = _page(tmp_path)
    profile = tmp_path / "profile"
    dom = _chromium(f"--user-data-dir={profile}", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<tr>") >= 4 + 2 + 1
    if plots.available():
        assert dom.stdout.count("<svg") == 3
    assert _console_messages(dom.stderr) == []
    shot = Path(os.environ.get("BACKPROP_TEST_ARTEFACTS", tmp_path)) / "class_page.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    taken = _chromium(f"--user-data-dir={profile}", "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri())
    assert taken.returncode == 0 and shot.stat().st_size > 10_000, taken.stderr[-2000:]
    # The console check above can fail: a page that logs an error is caught by it.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><script>console.error('broken'); undefined_name();</script>")
    assert _console_messages(_chromium(f"--user-data-dir={profile}", "--dump-dom", broken.as_uri()).stderr)
