"""The GitHub Classroom workflow template: its grading step, run here as the runner runs it (bash, from the
grader's checkout, beside the student's), fails below the pass mark, writes the summary, and hands the reporter
action each check's points; the points payload has the reporter's shape."""
import base64
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import PROJECT_ROOT, TEMPLATE, copy_of

from backprop_grader.classroom import payload
from backprop_grader.run import declared_checks

yaml = pytest.importorskip("yaml")
WORKFLOW = PROJECT_ROOT / "templates" / "github-classroom" / "classroom.yml"


def _workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps():
    [job] = _workflow()["jobs"].values()
    return job["steps"]


def test_the_payload_has_each_checks_points_and_fails_below_the_pass_mark():
    results = {
        "score": 3.0,
        "tests": [
            {"name": "Relu: a", "status": "passed", "score": 3.0, "max_score": 3.0, "output": "ok"},
            {"name": "Relu: b", "status": "failed", "score": 0.0, "max_score": 2.0, "output": "what went wrong"},
        ],
    }
    found = payload(results, fail_under=3)
    assert (found["version"], found["status"], found["max_score"]) == (1, "pass", 5.0)
    assert [(t["name"], t["status"], t["score"], t["message"]) for t in found["tests"]] == [
        ("Relu: a", "pass", 3.0, "ok"),
        ("Relu: b", "fail", 0.0, "what went wrong"),
    ]
    assert payload(results, fail_under=3.5)["status"] == "fail"
    assert payload(results)["status"] == "fail"  # no pass mark: every check must pass


def test_the_reporter_reads_the_grading_steps_output():
    workflow = _workflow()
    assert workflow["jobs"]["run-autograding-tests"]["name"] == "Autograding Tests"
    grade = next(step for step in _steps() if step.get("id") == "grade")
    reporter = next(step for step in _steps() if "autograding-grading-reporter" in step.get("uses", ""))
    assert reporter["with"]["runners"] == grade["id"]
    assert reporter["env"] == {f"{grade['id'].upper()}_RESULTS": "${{ steps.grade.outputs.result }}"}
    assert "always()" in reporter["if"]
    assert {"push", "workflow_dispatch"} <= set(workflow.get("on", workflow.get(True)))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The Grade step's script, run by bash as the runner would, on a correct and an untouched submission; the
    step before it installs the grader, as this project's own (editable) install stands for here."""
    grade = next(step for step in _steps() if step.get("id") == "grade")
    root = tmp_path_factory.mktemp("classroom")
    bin_dir = root / "bin"
    bin_dir.mkdir()
    # A wrapper, not a link: a link to a virtual environment's python outside its folder leaves the environment.
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)

    def run(name, submission):
        workspace = root / name
        workspace.mkdir()
        (workspace / "grader").symlink_to(PROJECT_ROOT)
        copy_of(submission, workspace / "submission")
        env = {
            **os.environ,
            **_workflow()["env"],
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(workspace / "output"),
            "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        }
        done = subprocess.run(
            ["bash", "-e", "-c", grade["run"]], cwd=workspace, env=env,
            capture_output=True, text=True, timeout=300,
        )
        return name, (done, workspace)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda args: run(*args), [("correct", PROJECT_ROOT / "reference"), ("untouched", TEMPLATE)]))


def _result(workspace):
    [line] = Path(workspace / "output").read_text().splitlines()
    key, _, value = line.partition("=")
    assert key == "result"
    return json.loads(base64.b64decode(value))


def test_a_submission_over_the_pass_mark_passes_with_its_points(graded):
    done, workspace = graded["correct"]
    assert done.returncode == 0, done.stdout + done.stderr
    result = _result(workspace)
    assert result["status"] == "pass" and result["max_score"] == 100
    assert sum(t["score"] for t in result["tests"]) == 100 and len(result["tests"]) == len(declared_checks())
    assert "**100 / 100**" in (workspace / "summary.md").read_text()
    assert (workspace / "grades.xml").exists()


def test_a_submission_under_the_pass_mark_fails_and_still_reports_its_points(graded):
    done, workspace = graded["untouched"]
    assert done.returncode == 1, done.stdout + done.stderr
    result = _result(workspace)
    assert result["status"] == "fail" and sum(t["score"] for t in result["tests"]) == 0
    assert "### What to fix" in (workspace / "summary.md").read_text()
