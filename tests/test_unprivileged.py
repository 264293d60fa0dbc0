"""Root in a container that refuses every namespace (a hosted autograder's: BACKPROP_SANDBOX_REFUSE=privileged,
user_namespace simulates it): each worker still drops to nobody, and the grader's files are kept from it by their
permissions alone, set as the Gradescope bundle's setup.sh sets them (on a copy of the grader, laid out as a
wheel installs it). A Python whose files nobody may read (one installed under /root, as this project's may be)
would break a worker that drops: so these tests grade with the machine's own Python and a copy of numpy that
anyone may read, as a container's image has them."""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from mutants import entries, materialise
from submissions import PROJECT_ROOT
from test_sandbox import THIEF

from backprop_grader.isolation.sandbox_plan import REFUSE_ENV
from backprop_grader.results import GradeResult, sandbox_summary
from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR, TEMPLATE_DIR

REFUSED = "privileged,user_namespace"
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
ATTACK = next(e for e in entries("attacks") if e.name == "read_grader_checks")


def _usable_system_python():
    if os.geteuid() != 0 or not SYSTEM_PYTHON.exists():
        return False
    done = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
                          capture_output=True, text=True)
    return done.stdout.strip() == str(tuple(sys.version_info[:2]))


pytestmark = pytest.mark.skipif(
    not _usable_system_python(),
    reason=f"needs root and {SYSTEM_PYTHON} of this Python's version (its extension modules are numpy's ABI)",
)


@pytest.fixture(scope="module")
def machine():
    """A folder anyone may pass through: site/ (a copy of numpy), grader/ (the grader as a wheel installs it:
    the package holding reference/, checks/ and student_template/, and results/ beside it)."""
    base = Path(tempfile.mkdtemp(prefix="backprop-unprivileged-"))
    try:
        base.chmod(0o755)
        numpy_package = Path(np.__file__).resolve().parent
        for name in (numpy_package.name, numpy_package.name + ".libs"):
            if (numpy_package.parent / name).exists():
                shutil.copytree(numpy_package.parent / name, base / "site" / name, symlinks=True)
        package = base / "grader" / "backprop_grader"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(PROJECT_ROOT / "backprop_grader", package, ignore=ignore)
        for source, name in ((REFERENCE_DIR, "reference"), (CHECKS_DIR, "checks"), (TEMPLATE_DIR, "student_template")):
            shutil.copytree(source, package / name, ignore=ignore)
        (base / "grader" / "results").mkdir()
        yield base
    finally:
        shutil.rmtree(base)


def _environment(machine, readable_by_others):
    """The environment of a grade as root with namespaces refused, and the copy of the grader's package readable
    by root alone (setup.sh's chmod -R o-rwx), or by anyone."""
    package = machine / "grader" / "backprop_grader"
    subprocess.run(["chmod", "-R", "o+rX" if readable_by_others else "o-rwx", str(package)], check=True)
    # The grader's own imports (pytest, Hypothesis) from where this process has them; numpy from the copy.
    path = [machine / "grader", machine / "site", *(p for p in sys.path if p.endswith("site-packages"))]
    return {"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(map(str, path)), REFUSE_ENV: REFUSED}


def _grade(machine, submission, readable_by_others):
    """python -m backprop_grader.run on submission by the system's Python, in _environment."""
    out = machine / "grader" / "results" / f"{submission.name}.json"
    env = _environment(machine, readable_by_others)
    # The results file on the command line names a folder beside the package: the attack looks there.
    done = subprocess.run([str(SYSTEM_PYTHON), "-m", "backprop_grader.run", str(submission), f"--out={out}"],
                          cwd=machine / "grader", env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return GradeResult.from_dict(json.loads(out.read_text()))


def _scores(result):
    return {score.layer: score.score == score.max_score for score in result.layer_scores()}


def test_without_namespaces_root_drops_to_nobody_and_the_graders_checks_are_out_of_reach(machine, tmp_path):
    """read_grader_checks finds the grader's folder on its command line and hands Relu to the reference beside
    the checks, where it can read them: here nobody cannot, so Relu scores 0, the rest full marks, and the
    report says the grader's files were hidden by their permissions and the worker dropped to nobody."""
    result = _grade(machine, materialise(ATTACK, tmp_path), readable_by_others=False)
    assert _scores(result) == {layer: layer != "Relu" for layer in _scores(result)}, str(result.sandbox)
    assert result.sandbox == {"network": False, "ipc": False, "hidden": True, "hidden_by": "permissions",
                              "read_only": True, "user": "dropped", "mode": "auto"}
    assert sandbox_summary(result.sandbox) == ("sandbox: network reachable, IPC shared, grader files hidden by "
                                               "permissions, read-only; user: dropped to nobody")


def test_grader_files_others_may_read_are_reported_visible(machine, tmp_path):
    """The same attack where the grader's package is left readable by others: it reaches the reference (Relu in
    full), and the report does not claim the grader's files were hidden."""
    result = _grade(machine, materialise(ATTACK, tmp_path), readable_by_others=True)
    assert all(_scores(result).values())
    assert result.sandbox["hidden"] is False and result.sandbox["user"] == "dropped"
    assert "grader files visible" in sandbox_summary(result.sandbox)


def test_an_honest_submission_others_may_not_read_is_graded_in_full_from_its_sessions_copy(machine, tmp_path):
    """The reference in a folder only root may read (tmp_path): the worker, nobody, reads a copy only its
    session's group may read, and grades it in full."""
    submission = tmp_path / "closed"
    shutil.copytree(REFERENCE_DIR, submission, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    submission.chmod(0o700)
    result = _grade(machine, submission, readable_by_others=False)
    assert all(_scores(result).values())
    assert result.sandbox["user"] == "dropped" and result.sandbox["hidden"]


def test_in_a_closed_batch_folder_no_worker_reads_a_classmates_submission(machine, tmp_path):
    """test_sandbox's thief, in a batch folder only root may read: each worker reads its own submission's copy,
    which only its session's group may enter, so the thief's Relu finds no classmate and scores 0."""
    batch = tmp_path / "batch"
    for name in ("a_classmate", "b_thief"):
        shutil.copytree(REFERENCE_DIR, batch / name, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    with open(batch / "b_thief" / "layers.py", "a") as thief:
        thief.write(THIEF)
    out = tmp_path / "out"
    done = subprocess.run([str(SYSTEM_PYTHON), "-m", "backprop_grader", "--batch", str(batch), "--out", str(out),
                           "--jobs", "2"], cwd=machine / "grader", env=_environment(machine, False),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    with open(out / "grades.csv", newline="") as rows:
        grades = {row["submission"]: row for row in csv.DictReader(rows)}
    assert grades["a_classmate"]["total"] == "100"
    assert grades["b_thief"]["Relu"] == "0" and grades["b_thief"]["total"] == "86"
    assert "grader files hidden by permissions" in grades["b_thief"]["sandbox"]
    assert "dropped to nobody" in grades["b_thief"]["sandbox"]
