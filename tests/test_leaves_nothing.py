"""Grading touches nothing around it: no git command, no file in the folder it runs from or in the submission
(Hypothesis's example database and the benchmark plugin's machine info included), nothing in the temporary
folder."""
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR


def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _writing_bytecode(**variables):
    """This environment with variables, and Python's bytecode cache on, as a learner's is: a grade must write
    none of it beside the submission's modules, and no test of that may pass because the cache was off."""
    env = dict(os.environ, **variables)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


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
    env = _writing_bytecode(PATH=f"{spy}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(scratch))
    done = subprocess.run([sys.executable, "-m", "backprop_grader", "mine", isolation], cwd=here, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "100 / 100" in done.stdout, done.stdout + done.stderr
    assert not (tmp_path / "git-was-run").exists(), (tmp_path / "git-was-run").read_text()
    assert _tree(here) == before
    assert _tree(scratch) == []


@pytest.mark.skipif(not os.access(CHECKS_DIR, os.W_OK), reason="the checks' folder is read-only here")
def test_a_grade_caches_the_checks_bytecode_but_none_of_the_submissions(tmp_path):
    """A grade forbids writing bytecode while it imports the submission's modules, and pytest imports the checks'
    own modules in that window: a grade from a clone compiled all of them every time (~25 ms,
    docs/performance.md). They are compiled into their cache first; the submission's folder still gets none."""
    modules = sorted(CHECKS_DIR.glob("*.py"))
    for module in modules:
        Path(importlib.util.cache_from_source(module)).unlink(missing_ok=True)
    submission = tmp_path / "mine"
    shutil.copytree(REFERENCE_DIR, submission, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "backprop_grader", "mine", "--no-isolate", "--layer", "Relu"],
                          cwd=tmp_path, env=_writing_bytecode(), capture_output=True, text=True, timeout=300)
    assert "Relu" in done.stdout and done.returncode == 0, done.stdout + done.stderr
    missing = [m.name for m in modules if not Path(importlib.util.cache_from_source(m)).exists()]
    assert missing == [], f"compiled at every grade: {missing}"
    assert not list(submission.rglob("__pycache__")), "bytecode written beside the submission's modules"
