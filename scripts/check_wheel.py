"""A wheel install grades from anywhere: build the wheel, install it in a fresh virtual environment, and use it
as a learner would, from a folder outside the repository. CI runs this before the test suite.

    python scripts/check_wheel.py          (about a minute: the fresh environment installs numpy and Jupyter's kernel)
    python scripts/check_wheel.py --python python3.13     (the environment on another Python: its own numpy, pytest,
                                                           Hypothesis; the README names the versions tried)

Each step prints one line; the script exits 1 at the first that fails, saying what it saw.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_CHECK = """
import json, nbclient, nbformat
cells = [
    "from backprop_grader import check",
    "import numpy as np\\nclass Relu:\\n    def forward(self, x):\\n        self.mask = x <= 0\\n        out = x.copy()\\n"
    "        out[self.mask] = 0\\n        return out\\n    def backward(self, dout):\\n        dx = dout.copy()\\n"
    "        dx[self.mask] = 0\\n        return dx",
    "check(Relu)",
]
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
print(json.dumps([o.get("data", {}).get("text/plain", o.get("text", "")) for o in notebook.cells[-1].outputs]))
"""
RECORDED_CHECK = """
from backprop_grader import drawn_examples
recorded = drawn_examples.Recorded.for_grade(drawn_examples.SEED, drawn_examples.PROFILE)
print(recorded is not None and recorded.stale() == [])
"""


PASSED = []


def step(name, ok, seen=""):
    print(f"{'ok' if ok else 'FAILED'}: {name}")
    PASSED.append(name)
    if not ok:
        print(seen[-3000:])
        sys.exit(1)


def run(command, cwd, env=None):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
    return done.returncode, done.stdout + done.stderr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="the Python of the fresh environment (default: this one)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="backprop-wheel-") as scratch:
        scratch = Path(scratch)
        # Built from a copy, as from a fresh clone: setuptools leaves build/ behind, and would reuse one left there.
        source = scratch / "source"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info",
                                                                     "__pycache__", "dist"))
        code, out = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(scratch / "dist"),
                         str(source)], cwd=scratch)
        [wheel] = list((scratch / "dist").glob("backprop_grader-*.whl")) or [None]
        step("the wheel builds", code == 0 and wheel is not None, out)
        names = zipfile.ZipFile(wheel).namelist()
        tops = {name.split("/")[0] for name in names}
        step("it claims no top-level name but the package's", tops <= {"backprop_grader", wheel.name.split("-")[0]
                                                                     + "-" + wheel.name.split("-")[1] + ".dist-info"},
             str(sorted(tops)))
        shipped = ("backprop_grader/checks/test_relu.py", "backprop_grader/checks/conftest.py",
                   "backprop_grader/reference/layers.py", "backprop_grader/student_template/layers.py",
                   "backprop_grader/pytest_settings.ini", "backprop_grader/i18n/ja/cli.json",
                   "backprop_grader/reference/chapter7/simple_convnet.py",
                   "backprop_grader/student_template/chapter6/optimizer.py", "backprop_grader/checks/drawn_examples.json")
        step("it ships the checks, the reference, the template and their settings",
             all(name in names for name in shipped), str([n for n in shipped if n not in names]))
        step("it carries the licence", any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith("/LICENSE")
                                           for n in names), str(names[-8:]))

        environment = scratch / "venv"
        if options.python:
            code, out = run([options.python, "-m", "venv", str(environment)], cwd=scratch)
            step(f"{options.python} makes a virtual environment", code == 0, out)
        else:
            venv.create(environment, with_pip=True)
        python = environment / "bin" / "python"
        code, out = run([str(python), "-m", "pip", "install", "--quiet", str(wheel), "nbclient", "ipykernel"],
                        cwd=scratch)
        step("it installs in a fresh virtual environment", code == 0, out)
        code, out = run([str(python), "-c", RECORDED_CHECK], cwd=scratch)
        step("its checks run on the inputs recorded for them, not drawn again", code == 0 and out.strip() == "True", out)

        home = scratch / "learner"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["PATH"] = f"{environment / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["TMPDIR"] = str(scratch / "tmp")
        (scratch / "tmp").mkdir()
        code, out = run(["backprop-grader", "init", "work"], cwd=home, env=env)
        step("backprop-grader init work copies the template", code == 0 and (home / "work" / "layers.py").is_file(),
             out)
        code, out = run(["backprop-grader", "work"], cwd=home, env=env)
        step("backprop-grader work grades the template: every layer 0, not implemented yet, no traceback",
             code == 0 and "not implemented yet" in out and "Traceback" not in out and "0 / 100" in out, out)
        shutil.copytree(ROOT / "reference", home / "mine", ignore=shutil.ignore_patterns("__pycache__"))
        code, out = run([str(python), "-m", "backprop_grader", "mine"], cwd=home, env=env)
        step("python -m backprop_grader on a copy of the reference gives 100/100", code == 0 and "100 / 100" in out,
             out)
        done = subprocess.run([str(python), "-c", NOTEBOOK_CHECK], cwd=home, env=env, capture_output=True, text=True,
                              timeout=900)
        code, out = done.returncode, done.stdout + done.stderr
        shown = json.loads(done.stdout.strip().splitlines()[-1]) if code == 0 else []
        step("from backprop_grader import check works in a Jupyter kernel",
             code == 0 and any(text.startswith("Relu: 14/14") for text in shown), out)
        left = sorted(p.name for p in home.iterdir()) + sorted(p.name for p in (scratch / "tmp").iterdir())
        step("grading left nothing behind (no .hypothesis, no temporary folder)", left == ["mine", "work"], str(left))
    print(f"wheel install: {len(PASSED)} passed, 0 failed")


if __name__ == "__main__":
    main()
