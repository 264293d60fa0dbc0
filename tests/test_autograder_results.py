"""run_autograder always leaves a results.json (Gradescope's specification asks for one in every case): when the
grader itself fails, one with score 0 whose visible output tells the student only that the submission could not
be graded, and whose hidden test (instructors only) and stdout tell the instructor why.

The bundle's own run_autograder runs here with a stand-in for the virtual environment's grader, which fails in the
ways a grader can: an exit status with a traceback, a crash by a signal, a clean exit without results."""
import json
import os
import shlex
import subprocess
import zipfile

import pytest

from backprop_grader import gradescope_bundle

HOSTILE = 'Traceback: "quoted" \\ back\\slash \t tab \x1b]0;pwned\x07 & @STATUS@ {braces} \u00e9t\u00e9'


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    return gradescope_bundle.build(root / "autograder.zip")


def _run(bundle, tmp_path, python_body, existing_results=None):
    """run_autograder from a folder laid out like /autograder, its venv's grader being a script of python_body."""
    home = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extract("run_autograder", home / "source")
    (home / "submission").mkdir()
    python = home / "source" / ".venv" / "bin" / "backprop-grader"
    python.parent.mkdir(parents=True)
    python.write_text("#!/usr/bin/env bash\n" + python_body)
    python.chmod(0o755)
    (home / "run_autograder").write_bytes((home / "source" / "run_autograder").read_bytes())
    if existing_results is not None:  # a results.json left from before must not pass for this grade's
        (home / "results").mkdir()
        (home / "results" / "results.json").write_text(existing_results)
    env = {**os.environ, "AUTOGRADER_ROOT": str(home)}
    run = subprocess.run(["bash", str(home / "run_autograder")], capture_output=True, text=True, env=env, cwd=home,
                         timeout=60)
    return run, home / "results" / "results.json"


FAILS = f"printf '%s\\n' 'some output' ; printf '%s\\n' {shlex.quote(HOSTILE)} >&2 ; exit 3\n"


@pytest.mark.parametrize(
    "body, status",
    [
        (FAILS, 3),
        ("kill -SEGV $$\n", 139),
        ("exit 0\n", 0),  # no results.json, yet a clean exit
    ],
    ids=["exit_status", "signal", "no_results"],
)
def test_a_failed_grader_still_leaves_a_results_json_with_score_0(bundle, tmp_path, body, status):
    run, results = _run(bundle, tmp_path, body, existing_results='{"score": 100}')
    assert run.returncode == 0, run.stderr
    document = json.loads(results.read_text(encoding="utf-8"))
    assert document["score"] == 0
    assert document["extra_data"] == {"status": "grader_failed", "exit_status": status, "lang": "en"}
    assert document["stdout_visibility"] == "hidden"
    (test,) = document["tests"]
    assert test["visibility"] == "hidden" and test["score"] == 0 and test["max_score"] == 0
    assert f"exit status {status} " in test["output"]


def test_students_see_that_it_failed_and_the_instructor_sees_why(bundle, tmp_path):
    run, results = _run(bundle, tmp_path, FAILS)
    document = json.loads(results.read_text(encoding="utf-8"))
    assert document["output"] == "The autograder could not grade this submission. Your instructor can see why: please let them know."
    assert "Traceback" not in document["output"]
    reason = document["tests"][0]["output"]
    # The error output, kept readable as JSON: quotes, backslashes, tab and placeholders as written; control
    # characters and bytes past ASCII dropped.
    assert 'Traceback: "quoted" \\ back\\slash \t tab ]0;pwned & @STATUS@ {braces} t' in reason
    assert "\x1b" not in reason and "\x07" not in reason
    assert HOSTILE in run.stderr and "some output" in run.stdout  # all of it in the autograder's stdout


def test_a_grader_that_works_keeps_its_own_results(bundle, tmp_path):
    body = 'for a in "$@"; do if [ "$prev" = --json ]; then echo \'{"score": 7, "tests": []}\' > "$a"; fi; prev=$a; done\n'
    run, results = _run(bundle, tmp_path, "prev=\n" + body)
    assert run.returncode == 0, run.stderr
    assert json.loads(results.read_text()) == {"score": 7, "tests": []}


def test_the_fallback_speaks_the_bundles_language(tmp_path):
    built = gradescope_bundle.build(tmp_path / "ja.zip", lang="ja")
    run, results = _run(built, tmp_path, "exit 5\n")
    document = json.loads(results.read_text(encoding="utf-8"))
    assert document["output"].startswith("オートグレーダー") and "5" in document["tests"][0]["output"]
