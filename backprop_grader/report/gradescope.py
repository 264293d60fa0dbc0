"""Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/).

One test per graded check, named "<Layer>: <check>" in English, each with its score, max_score,
status ("passed" or "failed") and the student's feedback as plain text; the top-level output is the score table.

A check a rubric makes hidden, after_due_date or after_published is a test with that visibility, which Gradescope
shows students only in its time. Everything else students see at once tells only of the visible checks: the
top-level output (its table, its total, its notes) and extra_data. The top-level score stays the whole grade, for
the instructor and the gradebook: Gradescope does not show students their total while any test is hidden.
"""
import dataclasses
import json

from ..book import layers_of
from ..messages import render as message
from ..results import PASSED, sandbox_summary
from . import escape
from .common import check_text, in_layer_order, mistake_of
from .terminal import summary

VISIBLE = "visible"


def visible_part(result):
    """result as students may see it now: only the checks visible at once, and the notes on their layers."""
    shown = [r for r in result.results if r.check.visibility == VISIBLE]
    if len(shown) == len(result.results):
        return result
    layers = {r.check.layer for r in shown}
    notes = [n for n in result.notes if n.layer is None or n.layer in layers]
    return dataclasses.replace(result, results=shown, notes=notes)


def _test(check_result, number, lang):
    check = check_result.check
    return {
        "name": check.title,
        "name_format": "text",
        "number": number,
        "score": check_result.score,
        "max_score": check.points,
        # Gradescope knows only passed and failed: an error, a skip or a check that never ran scores 0 too.
        "status": "passed" if check_result.status == PASSED else "failed",
        "output": check_text(check_result, lang),
        "output_format": "text",
        "visibility": check.visibility,
        "tags": [check.layer],
        # What went wrong as keys, the same in every language (the output says it in words): the failure's message
        # key and the diagnosed mistake's (the hint's, as checks.csv and the batch's summary count them); None for
        # a check that passed, and a mistake of None for a failure without a diagnosis.
        "extra_data": {
            "layer": check.layer, "check": check.name, "outcome": check_result.status, "strict": check.strict,
            "failure": check_result.failure.key if check_result.status != PASSED and check_result.failure else None,
            "mistake": mistake_of(check_result),
        },
    }


def results_json(result, lang="en", execution_time=0.0):
    """The results.json document as a dict. execution_time is the wall time of the grade, in seconds."""
    result = escape.sanitized(result, escape.terminal)  # shown as text: no control characters from the submission
    tests, seen, layers = [], {}, layers_of(result.chapter)
    for check_result in in_layer_order(result):
        layer = check_result.check.layer
        seen[layer] = seen.get(layer, 0) + 1
        tests.append(_test(check_result, f"{layers.index(layer) + 1}.{seen[layer]}", lang))
    shown = visible_part(result)
    output = summary(shown, lang)
    later = len(result.results) - len(shown.results)
    if later:
        output += "\n" + message("hidden_checks", lang, count=later) + "\n"
    return {
        "score": result.score,  # the whole grade: Gradescope withholds it from students while a test is hidden
        "execution_time": round(execution_time, 2),
        "output": output,
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",  # the grader's stdout has the whole report: for the instructor only
        "extra_data": {
            "max_score": shown.max_score, "seed": result.seed, "profile": result.profile, "lang": lang,
            # Which of the workers' protections held (isolation/sandbox_plan.py); None: not isolated.
            "sandbox": result.sandbox, "sandbox_summary": sandbox_summary(result.sandbox, lang),
        },
        "tests": tests,
    }


def render(result, lang="en", execution_time=0.0):
    return json.dumps(results_json(result, lang, execution_time), indent=2, ensure_ascii=False) + "\n"
