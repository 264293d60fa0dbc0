"""run.grade_many grades its submissions in one process that forks a child for each (backprop_grader/many.py),
as the catalogue's fixtures and scripts/catalogue_scores.py do: each result must come back in its submission's
place, and a grade that did not finish must be an error that names its submission, never a made-up result.
Graded on Relu alone, in the grading process (--no-isolate), to stay cheap."""
import os
import signal
import subprocess
import sys
import time

import pytest
from mutants import entries, materialise
from submissions import TEMPLATE, processes_naming, reference_with

from backprop_grader.messages import render
from backprop_grader.run import grade_many
from backprop_grader.shipped import REFERENCE_DIR

RELU = dict(layers=["Relu"], isolate=False)
EXITS = """
import os


class Relu(Relu):
    def forward(self, x):
        os._exit(0)
"""
HANGS = """
class Relu(Relu):
    def forward(self, x):
        while True:
            pass
"""


def test_each_result_comes_back_in_its_submissions_place(tmp_path):
    """The grades finish in any order, two at a time: a result filed under another place would give the
    reference a bug's score, or the bug the template's."""
    [bug] = [e for e in entries("bugs") if e.name == "relu_backward_no_mask"]
    given = [materialise(bug, tmp_path), REFERENCE_DIR, TEMPLATE]
    results = grade_many(given, jobs=2, **RELU)
    assert [r.submission for r in results] == [str(path) for path in given]
    assert [0 < r.score < r.max_score for r in results] == [True, False, False]
    assert [r.score for r in results[1:]] == [results[1].max_score, 0]


def test_a_grade_that_ends_its_process_is_an_error_naming_its_submission(tmp_path):
    """Relu.forward ends the process grading it (os._exit(0)), which writes no result: grade_many returned a
    result for it anyway, or raised without saying which submission and why."""
    exits = reference_with(tmp_path / "exits", append=EXITS)
    with pytest.raises(RuntimeError) as raised:
        grade_many([REFERENCE_DIR, exits], **RELU)
    assert f"grading {exits} failed" in str(raised.value)
    assert render("batch_crashed_exit", code=0) in str(raised.value)


def test_an_interrupted_grade_many_leaves_no_grading_process_or_folder_behind(tmp_path):
    """Ctrl-C while grade_many waited (or a SIGTERM its caller makes an exit) left its process grading on, its
    grades' folders in the temporary folder, until the last grade was done: nothing asked it to stop."""
    hangs = reference_with(tmp_path / "hangs", append=HANGS)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Ctrl-C as in a terminal, even where the suite itself was started with SIGINT ignored (in the background
    # of a shell without job control), which its children inherit: they would grade on to the end unasked.
    script = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
              f"from backprop_grader.run import grade_many; grade_many([{str(hangs)!r}], layers=['Relu'], isolate=False)")
    caller = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "TMPDIR": str(scratch)},
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(processes_naming(hangs)) < 2 and time.monotonic() < deadline:  # grade_many's process, and its grade
        time.sleep(0.05)
    time.sleep(0.5)  # well into Relu's first check, which hangs
    caller.send_signal(signal.SIGINT)
    caller.wait(timeout=60)
    assert caller.returncode == -signal.SIGINT  # stopped by the Ctrl-C, not at the end of the grade's time limit
    assert processes_naming(hangs) == []
    assert list(scratch.iterdir()) == []
