"""Grading touches nothing around it: no git command, no file in the folder it runs from or in the submission
(Hypothesis's example database and the benchmark plugin's machine info included), nothing in the temporary
folder."""
import os
import shutil
import subprocess
import sys

import pytest

from backprop_grader.shipped import REFERENCE_DIR


def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("isolation", ["--isolate", "--no-isolate"])
def test_a_grade_runs_no_git_and_leaves_nothing_behind(tmp_path, isolation):
    """A grade that ran git (pytest-benchmark's machine info did, six times, one of them taking .git/index.lock)
    or left .hypothesis/ in the learner's folder changed what it graded."""
    spy = tmp_path / "bin"
    spy.mkdir()
    (spy / "git").write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'git-was-run'}\n")
    (spy / "git").chmod(0o755)
    here, scratch = tmp_path / "here", tmp_path / "tmp"
    here.mkdir()
    scratch.mkdir()
    submission = here / "mine"
    shutil.copytree(REFERENCE_DIR, submission, ignore=shutil.ignore_patterns("__pycache__"))
    before = _tree(here)
    env = dict(os.environ, PATH=f"{spy}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(scratch))
    done = subprocess.run([sys.executable, "-m", "backprop_grader", "mine", isolation], cwd=here, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "100 / 100" in done.stdout, done.stdout + done.stderr
    assert not (tmp_path / "git-was-run").exists(), (tmp_path / "git-was-run").read_text()
    assert _tree(here) == before
    assert _tree(scratch) == []
