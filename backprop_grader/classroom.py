"""GitHub Classroom's points from the grader's results.json: the payload of classroom-resources'
autograding-grading-reporter action, base64-encoded JSON, as its `runners` read it from <RUNNER>_RESULTS.

    python -m backprop_grader.classroom results.json [--fail-under N]    prints the payload

The payload's total is the sum of the tests' scores out of max_score, so each check's points reach the
classroom; its status is "fail" below --fail-under N (or, without it, when any check fails), which fails the
reporter's step. templates/github-classroom/classroom.yml is the workflow that uses it.
"""
import argparse
import base64
import json
from pathlib import Path

from .messages import language_from_environment, render


def payload(results, fail_under=None):
    """The reporter's payload (a dict) for a Gradescope results.json document."""
    tests = [
        {
            "name": test["name"],
            "status": "pass" if test["status"] == "passed" else "fail",
            "score": test["score"],
            "message": test.get("output", ""),
            "line_no": 0,
            "duration": 0,
        }
        for test in results["tests"]
    ]
    max_score = sum(test["max_score"] for test in results["tests"])
    failed = results["score"] < fail_under if fail_under is not None else any(t["status"] == "fail" for t in tests)
    return {"version": 1, "status": "fail" if failed else "pass", "max_score": max_score, "tests": tests}


def encoded(results, fail_under=None):
    return base64.b64encode(json.dumps(payload(results, fail_under)).encode("utf-8")).decode("ascii")


def main(argv=None):
    lang = language_from_environment()  # the payload's messages are results.json's, already in its language
    parser = argparse.ArgumentParser(
        prog="python -m backprop_grader.classroom", description=render("classroom_description", lang)
    )
    parser.add_argument("results", help=render("classroom_help_results", lang))
    parser.add_argument("--fail-under", type=float, metavar="N", help=render("classroom_help_fail_under", lang))
    options = parser.parse_args(argv)
    print(encoded(json.loads(Path(options.results).read_text(encoding="utf-8")), options.fail_under))


if __name__ == "__main__":
    main()
