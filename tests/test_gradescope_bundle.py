"""The Gradescope autograder bundle, end to end: built by the grader, unpacked into a folder laid out like
/autograder, installed by its own setup.sh, and run by its own run_autograder on a submission.

setup.sh runs with python3 being this interpreter, so its virtual environment (which sees the system's
packages) finds the requirements already there; installing the bundled grader fetches only its build backend
(setuptools), as on Gradescope."""
import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest
from mutants import entries, materialise
from submissions import PROJECT_ROOT, grader

from backprop_grader import gradescope_bundle
from backprop_grader.cli import main
from backprop_grader.run import declared_checks

EXTRA_CHECK = '''from backprop_grader.checks import check


@check("Sigmoid", 2)
def test_sigmoid_of_zero_is_a_half(impl):
    """Sigmoid of 0 is 0.5."""
    import numpy as np

    assert np.allclose(impl.Sigmoid().forward(np.zeros((1, 1))), 0.5)
'''
RUBRIC = '''[layers]
Sigmoid = 20
[visibility]
"Sigmoid: sigmoid_of_zero_is_a_half" = "hidden"
TwoLayerNet = "after_due_date"
'''
BUG = next(e for e in entries("bugs") if e.layer == "Affine")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("gradescope")
    (root / "extra").mkdir()
    (root / "extra" / "test_hidden.py").write_text(EXTRA_CHECK)
    (root / "rubric.toml").write_text(RUBRIC)
    built = grader("--gradescope-bundle", root / "autograder.zip", "--rubric", root / "rubric.toml", "--extra-tests", root / "extra")
    return root, built


@pytest.fixture(scope="module")
def autograder(bundle):
    """A folder laid out like /autograder: the bundle unpacked into source/, set up by setup.sh, a submission."""
    root, _ = bundle
    home = root / "autograder"
    with zipfile.ZipFile(root / "autograder.zip") as archive:
        archive.extractall(home / "source")
    for script in ("setup.sh", "run_autograder"):  # zipfile does not restore permissions, Gradescope does
        (home / "source" / script).chmod(0o755)
    bin_dir = root / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "AUTOGRADER_ROOT": str(home)}
    env.pop("PYTHONPATH", None)
    setup = subprocess.run(["bash", str(home / "source" / "setup.sh")], capture_output=True, text=True, env=env, timeout=300)
    materialise(BUG, root / "bugs").rename(home / "submission")
    # Gradescope copies run_autograder to /autograder and runs it from there.
    (home / "run_autograder").write_bytes((home / "source" / "run_autograder").read_bytes())
    (home / "run_autograder").chmod(0o755)
    run = subprocess.run([str(home / "run_autograder")], capture_output=True, text=True, env=env, cwd=home, timeout=300)
    return home, setup, run


def test_the_bundle_holds_the_scripts_at_its_root_and_the_grader_without_caches(bundle):
    root, built = bundle
    assert built.returncode == 0, built.stderr
    assert "Gradescope autograder written to" in built.stdout
    with zipfile.ZipFile(root / "autograder.zip") as archive:
        infos = {info.filename: info for info in archive.infolist()}
        run_autograder = archive.read("run_autograder").decode()
    for name in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[name].external_attr >> 16) == 0o755
    for name in ("requirements.txt", "pyproject.toml", "LICENSE", "backprop_grader/run.py", "reference/layers.py",
                 "student_template/layers.py", "tests/checks/conftest.py", "rubric.toml", "extra_tests/test_hidden.py"):
        assert name in infos, name
    # The grader as a wheel would hold it: none of the project's own tests, no caches.
    assert not [n for n in infos if "__pycache__" in n or n.endswith(".pyc")
                or (n.startswith("tests/") and not n.startswith("tests/checks/"))]
    assert "--rubric rubric.toml --extra-tests extra_tests" in run_autograder


def test_the_same_files_make_the_same_bundle(bundle):
    root, _ = bundle
    again = gradescope_bundle.build(root / "again.zip", rubric=root / "rubric.toml", extra_tests=root / "extra")
    assert again.read_bytes() == (root / "autograder.zip").read_bytes()


def test_the_bundle_takes_a_sandbox_mode_other_than_require(tmp_path, monkeypatch):
    """An instructor whose platform refuses a part of the sandbox bundles --sandbox auto; require otherwise."""
    monkeypatch.chdir(PROJECT_ROOT)
    for args, mode in (([], "require"), (["--sandbox", "auto"], "auto")):
        target = tmp_path / f"{mode}.zip"
        assert main(["--gradescope-bundle", str(target), *args]) == 0
        with zipfile.ZipFile(target) as archive:
            for script in ("setup.sh", "run_autograder"):
                assert f"--sandbox {mode}" in archive.read(script).decode()


def test_alias_and_use_flags_go_on_run_autograders_command_line(tmp_path):
    bundle = gradescope_bundle.build(tmp_path / "a.zip", grader_args=["--alias=Relu=ReLU", "--use=Affine=my layers.py"])
    with zipfile.ZipFile(bundle) as archive:
        command = archive.read("run_autograder").decode().splitlines()[-1]
    assert command.endswith(
        "--json \"$ROOT/results/results.json\" --sandbox require --alias=Relu=ReLU '--use=Affine=my layers.py'"
    )


def test_setup_sh_installs_the_grader_and_checks_it_on_the_reference(autograder):
    home, setup, _ = autograder
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (home / "source" / ".venv" / "bin" / "python").exists()
    assert "Rubric rubric.toml: 106 points in all" in setup.stderr
    assert "Every check passed: full marks." in setup.stdout
    # Where the container refuses namespaces, a worker is nobody, and these permissions alone keep them from it.
    package = next((home / "source" / ".venv").glob("lib/python*/site-packages/backprop_grader"))
    for secret in (package, package / "checks" / "test_relu.py", package / "reference" / "layers.py",
                   home / "source" / "rubric.toml", home / "source" / "extra_tests" / "test_hidden.py"):
        assert secret.stat().st_mode & 0o007 == 0, f"{secret} is readable by others"


def test_run_autograder_grades_the_submission_into_results_json(autograder):
    home, _, run = autograder
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((home / "results" / "results.json").read_text())
    tests = {t["name"]: t for t in results["tests"]}
    assert len(tests) == len(declared_checks()) + 1  # and the extra check
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests.values()))
    assert sum(t["max_score"] for t in tests.values()) == pytest.approx(106)
    lost = {name.split(":")[0] for name, t in tests.items() if t["score"] < t["max_score"]}
    assert lost == {"Affine"}, "the submission's bug is in Affine"
    hidden = tests["Sigmoid: sigmoid_of_zero_is_a_half"]
    assert hidden["visibility"] == "hidden" and hidden["status"] == "passed" and hidden["max_score"] > 2
    assert {t["visibility"] for name, t in tests.items() if name.startswith("TwoLayerNet")} == {"after_due_date"}


def test_the_bundle_grades_with_every_protection_of_the_sandbox(autograder):
    """run_autograder says --sandbox require: graded at all, the submission was graded inside the whole sandbox."""
    home, _, run = autograder
    sandbox = json.loads((home / "results" / "results.json").read_text())["extra_data"]["sandbox"]
    assert sandbox["mode"] == "require"
    assert sandbox["network"] and sandbox["hidden"] and sandbox["read_only"]
    assert sandbox["user"] == ("dropped" if os.geteuid() == 0 else "not_root")


def test_a_bundle_with_a_rubric_the_grader_refuses_is_never_written(tmp_path):
    (tmp_path / "rubric.toml").write_text('[checks]\n"Sigmoid: nope" = 1\n')
    run = grader("--gradescope-bundle", tmp_path / "autograder.zip", "--rubric", tmp_path / "rubric.toml")
    assert run.returncode == 2 and "'Sigmoid: nope'" in run.stderr
    assert not (tmp_path / "autograder.zip").exists()
