"""Rubrics and extra tests: points and visibility from a TOML file without editing tests, instructors' own checks
from a folder students do not have, and a clear refusal of either when it names what the grader does not know.

The rules are tested on hand-made checks; the command line once for each behaviour, all runs in parallel."""
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import TEMPLATE, grader

from backprop_grader.cli import main
from backprop_grader.report import csv, gradescope, junit, markdown
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, Failure, GradeResult
from backprop_grader.rubric import NO_RUBRIC, Rubric, RubricError, read, resolve
from backprop_grader.run import declared_checks

DECLARED = [
    Check("t::a", "Affine", "forward_values", 4.0, False, ""),
    Check("t::b", "Affine", "backward_db", 3.0, False, ""),
    Check("t::c", "Affine", "backward_dx", 3.0, False, ""),
    Check("t::d", "Relu", "zero_is_blocked", 2.0, False, ""),
    Check("t::e", "TwoLayerNet", "own_layers_train", 0.0, False, ""),
]


def _points(marking):
    return {title: points for title, (points, _) in marking.by_title.items()}


def _write(path, text):
    Path(path).write_text(text, encoding="utf-8")
    return path


def test_a_layer_total_scales_its_checks_and_leaves_the_others_alone():
    marking = resolve(Rubric("r.toml", layers={"Affine": 30}), DECLARED)
    assert _points(marking) == {
        "Affine: forward_values": 12.0,
        "Affine: backward_db": 9.0,
        "Affine: backward_dx": 9.0,
        "Relu: zero_is_blocked": 2.0,
        "TwoLayerNet: own_layers_train": 0.0,
    }
    assert marking.layer_totals() == {"Relu": 2.0, "Affine": 30.0, "TwoLayerNet": 0.0}


def test_a_check_named_keeps_its_points_and_the_rest_of_its_layer_makes_up_the_total():
    marking = resolve(Rubric("r.toml", layers={"Affine": 30}, checks={"Affine: backward_db": 5}), DECLARED)
    points = _points(marking)
    assert points["Affine: backward_db"] == 5
    # 25 shared 4 : 3 on a half-point grid (14.29 and 10.71 by proportion), adding up exactly.
    assert (points["Affine: forward_values"], points["Affine: backward_dx"]) == (14.5, 10.5)
    assert marking.layer_totals()["Affine"] == 30


def test_a_check_named_alone_changes_its_layer_total_by_the_difference():
    marking = resolve(Rubric("r.toml", checks={"Relu: zero_is_blocked": 7, "TwoLayerNet: own_layers_train": 1}), DECLARED)
    assert marking.layer_totals() == {"Relu": 7.0, "Affine": 10.0, "TwoLayerNet": 1.0}


def test_visibility_of_a_check_wins_over_its_layers():
    rubric = Rubric("r.toml", visibility={"Affine": "after_due_date", "Affine: backward_db": "hidden"})
    visibility = {title: v for title, (_, v) in resolve(rubric, DECLARED).by_title.items()}
    assert visibility["Affine: backward_db"] == "hidden"
    assert visibility["Affine: forward_values"] == "after_due_date"
    assert visibility["Relu: zero_is_blocked"] == "visible"


@pytest.mark.parametrize(
    "rubric, key, suggestion",
    [
        (Rubric("r.toml", layers={"Afine": 30}), "rubric_unknown_name_close", "'Affine'"),
        (Rubric("r.toml", checks={"Affine: backward_dB": 5}), "rubric_unknown_name_close", "'Affine: backward_db'"),
        (Rubric("r.toml", checks={"Affine: everything": 5}), "rubric_unknown_name", ""),
        (Rubric("r.toml", visibility={"Relu: zero_blocked": "hidden"}), "rubric_unknown_name_close", "'Relu: zero_is_blocked'"),
    ],
    ids=["layer", "check", "far_from_any", "visibility"],
)
def test_an_unknown_name_is_refused_with_the_close_ones(rubric, key, suggestion):
    with pytest.raises(RubricError) as refused:
        resolve(rubric, DECLARED)
    assert refused.value.key == key
    assert refused.value.params["suggestion"].startswith(suggestion)


@pytest.mark.parametrize(
    "rubric, key",
    [
        (Rubric("r.toml", layers={"Affine": 4}, checks={"Affine: backward_db": 5}), "rubric_over_layer"),
        (Rubric("r.toml", layers={"TwoLayerNet": 5}), "rubric_nothing_to_scale"),
    ],
    ids=["named_checks_over_the_layer_total", "only_zero_point_checks_to_scale"],
)
def test_points_that_cannot_add_up_are_refused(rubric, key):
    with pytest.raises(RubricError) as refused:
        resolve(rubric, DECLARED)
    assert refused.value.key == key


@pytest.mark.parametrize(
    "text, key",
    [
        ("[layer]\nAffine = 30\n", "rubric_unknown_table"),
        ("[layers]\nAffine = -1\n", "rubric_bad_points"),
        ('[layers]\nAffine = "30"\n', "rubric_bad_points"),
        ('[visibility]\nAffine = "secret"\n', "rubric_bad_visibility"),
        ("[layers\n", "rubric_unreadable"),
    ],
    ids=["table", "negative", "string", "visibility", "not_toml"],
)
def test_a_malformed_file_is_refused_before_any_name_is_looked_up(tmp_path, text, key):
    with pytest.raises(RubricError) as refused:
        read(_write(tmp_path / "r.toml", text))
    assert refused.value.key == key


def test_the_aliases_table_is_kept_for_the_loader(tmp_path):
    rubric = read(_write(tmp_path / "r.toml", '[aliases]\nRelu = "ReLU"\n'))
    assert rubric.aliases == {"Relu": "ReLU"}
    assert resolve(rubric, DECLARED).by_title["Relu: zero_is_blocked"] == (2.0, "visible")


def test_every_report_format_agrees_on_the_rubric_points(tmp_path):
    result = GradeResult(
        "s", "grading", 0, [CheckResult(c, PASSED if c.layer == "Affine" else FAILED, None if c.layer == "Affine" else Failure("not_run")) for c in DECLARED]
    )
    marked = resolve(Rubric("r.toml", layers={"Affine": 30}, visibility={"Relu": "hidden"}), DECLARED).apply(result)
    assert (marked.score, marked.max_score) == (30, 32)
    results = json.loads(gradescope.render(marked))
    assert results["score"] == 30 and sum(t["max_score"] for t in results["tests"]) == 32
    assert [t["visibility"] for t in results["tests"] if t["name"].startswith("Relu")] == ["hidden"]
    assert 'name="score" value="30"' in junit.render(marked)
    assert "**30 / 32**" in markdown.render(marked)
    assert csv.row(marked, "s", 1.0)["total"] == "30"
    assert NO_RUBRIC.apply(result) is result


# The command line: the suite's real checks, an instructor's folder of extra ones.

EXTRA_CHECK = '''"""An instructor's check, in a folder the students do not have."""
import numpy as np
from checks import check
from helpers import doubled


@check("Relu", 2)
def test_relu_is_positively_homogeneous(impl, ref):
    """Relu of a doubled input is twice Relu of the input."""
    x = np.array([[-1.0, 0.5, 2.0]])
    out = impl.Relu().forward(doubled(x))
    np.testing.assert_allclose(out, 2 * ref.Relu().forward(x))
'''
EXTRA_TITLE = "Relu: relu_is_positively_homogeneous"

RUBRIC = f'''[layers]
Affine = 30
[checks]
"Affine: backward_db" = 6
"{EXTRA_TITLE}" = 4
[visibility]
"{EXTRA_TITLE}" = "hidden"
TwoLayerNet = "after_due_date"
'''


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("rubric")
    extra = root / "extra"
    extra.mkdir()
    _write(extra / "test_instructor.py", EXTRA_CHECK)
    _write(extra / "helpers.py", "def doubled(x):\n    return 2 * x\n")
    duplicate = root / "duplicate"
    duplicate.mkdir()
    _write(duplicate / "test_again.py", "from checks import check\n\n\n@check('Relu', 1)\ndef test_zero_is_blocked(impl):\n    pass\n")
    rubric = _write(root / "rubric.toml", RUBRIC)
    typo = _write(root / "typo.toml", '[checks]\n"Affine: backward_dB" = 5\n')
    commands = {
        "rubric": ["reference", "--rubric", rubric, "--extra-tests", extra, "--json", root / "rubric.json"],
        "extra_on_template": [TEMPLATE, "--extra-tests", extra, "--json", root / "template.json"],
        "typo": ["reference", "--rubric", typo],
        "extra_check_without_its_folder": ["reference", "--rubric", rubric],
        "duplicate": ["reference", "--extra-tests", duplicate],
    }
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        done = dict(zip(commands, pool.map(lambda args: grader(*args), commands.values())))
    done["root"] = root
    return done


def _tests(path):
    return {t["name"]: t for t in json.loads(Path(path).read_text(encoding="utf-8"))["tests"]}


def test_the_rubric_sets_points_and_visibility_and_its_total_is_printed(runs):
    run = runs["rubric"]
    assert run.returncode == 0, run.stderr
    # Relu 14 + the extra check's 4; Affine 30; the others as declared: 100 - 14 - 22 + 18 + 30.
    assert re.search(r"Rubric \S*rubric\.toml: 112 points in all \(MulLayer 8, AddLayer 6, Relu 18, .*Affine 30, ", run.stderr)
    results = json.loads((runs["root"] / "rubric.json").read_text())
    assert results["score"] == pytest.approx(112)
    tests = _tests(runs["root"] / "rubric.json")
    assert tests["Affine: backward_db"]["max_score"] == 6
    assert sum(t["max_score"] for name, t in tests.items() if name.startswith("Affine:")) == pytest.approx(30)
    assert tests[EXTRA_TITLE]["visibility"] == "hidden" and tests[EXTRA_TITLE]["max_score"] == 4
    assert {t["visibility"] for name, t in tests.items() if name.startswith("TwoLayerNet:")} == {"after_due_date"}
    assert tests["Relu: zero_is_blocked"]["visibility"] == "visible"


def test_extra_checks_are_graded_and_reported_like_the_suites(runs):
    assert runs["extra_on_template"].returncode == 0, runs["extra_on_template"].stderr
    extra = _tests(runs["root"] / "template.json")[EXTRA_TITLE]
    assert extra["status"] == "failed" and extra["max_score"] == 2
    assert "Relu.forward is not implemented yet" in extra["output"]
    relu = sum(check.layer == "Relu" for check in declared_checks(("Relu",)))
    assert f"Relu (all {relu + 1} checks)" in runs["extra_on_template"].stdout  # the suite's and the extra one
    assert _tests(runs["root"] / "rubric.json")[EXTRA_TITLE]["status"] == "passed"


@pytest.mark.parametrize(
    "name, message",
    [
        ("typo", "[checks] names 'Affine: backward_dB', which is not a layer or check of the grader: did you mean 'Affine: backward_db'"),
        ("extra_check_without_its_folder", f"names '{EXTRA_TITLE}', which is not a layer or check"),
        ("duplicate", "two checks are named 'Relu: zero_is_blocked'"),
    ],
)
def test_a_rubric_or_extra_tests_the_grader_cannot_use_are_a_usage_error(runs, name, message):
    run = runs[name]
    assert run.returncode == 2 and message in run.stderr, run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "files, message",
    [
        (None, "extra tests folder not found"),
        ({"helpers.py": ""}, "no test files (test_*.py) in the extra tests folder"),
        ({"test_x.py": "", "checks.py": ""}, "the suite has a module named checks.py"),
        ({"test_x.py": "", "conftest.py": ""}, "the suite has a module named conftest.py"),
    ],
    ids=["missing", "no_tests", "shadows_a_helper", "own_conftest"],
)
def test_an_extra_tests_folder_that_cannot_sit_beside_the_suite_is_refused(tmp_path, files, message, capsys):
    folder = tmp_path / "extra"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            _write(folder / name, text)
    with pytest.raises(SystemExit) as exited:
        main(["reference", "--extra-tests", str(folder)])
    assert exited.value.code == 2 and message in capsys.readouterr().err
