"""check() in a learner's notebook: the same checks on the objects in their kernel, shown inline.

The README's captured output comes from examples/check_in_notebook.ipynb executed in a real kernel
(examples/run_notebook.py). Here its cells run again, without a kernel (always) and in one (where nbclient and
ipykernel are installed), and must show exactly what is committed.
"""

import ast
import json
import os
import signal
import sys
import threading
import types
from pathlib import Path

import numpy as np
import pytest
from submissions import PROJECT_ROOT

from backprop_grader import check
from backprop_grader.results import NOT_RUN
from backprop_grader.run import grade
from backprop_grader.shipped import CHECKS_DIR
from backprop_grader.sources import notebook_cells

EXAMPLE = PROJECT_ROOT / "examples" / "check_in_notebook.ipynb"


def run_cells(path):
    """Run a notebook's code cells in one namespace, as a kernel would; the value each cell ends with, if any."""
    namespace = {"__name__": "__main__"}
    shown = []
    for number, source in enumerate(notebook_cells(path), 1):
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"<cell {number}>", "exec"), namespace)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), f"<cell {number}>", "eval"), namespace))
    return shown


def committed_outputs(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        ("".join(o["data"]["text/plain"]), "".join(o["data"]["text/html"]))
        for cell in data["cells"]
        if cell["cell_type"] == "code"
        for o in cell.get("outputs", [])
        if o["output_type"] == "execute_result"
    ]


def test_notebook_shows_what_is_committed_and_in_the_readme():
    shown = [(repr(value), value._repr_html_()) for value in run_cells(EXAMPLE)]
    assert shown == committed_outputs(EXAMPLE)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    text, html = shown[0]
    assert f"```text\n{text}\n```" in readme and html in readme


def test_notebook_in_a_real_kernel():
    pytest.importorskip("ipykernel")
    pytest.importorskip("nbclient")
    sys.path.insert(0, str(PROJECT_ROOT / "examples"))
    try:
        import run_notebook
    finally:
        sys.path.remove(str(PROJECT_ROOT / "examples"))
    shown = run_notebook.shown(run_notebook.execute())
    assert shown == committed_outputs(EXAMPLE)


class ReLU:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class Sigmoid:
    def foward(self, x):
        return 1 / (1 + np.exp(-x))


def test_check_a_renamed_class_says_the_book_name():
    report = check(ReLU)
    assert report.score == report.max_score > 0
    assert [n.render() for n in report.notes] == [
        "checked your ReLU as the book's Relu; grader.py looks for the name Relu (or grade with --alias Relu=ReLU)."
    ]
    assert check("Relu", ReLU).score == report.score


def test_check_everything_in_the_namespace_points_at_close_names():
    report = check()
    relu = [r for r in report.result.results if r.check.layer == "Relu"]
    assert relu and {r.failure.render() for r in relu} == {
        'no class Relu in this notebook; found ReLU: the book calls it Relu. Rename it, or check it with check("Relu", ReLU).'
    }


def test_check_a_misspelt_method():
    report = check(Sigmoid)
    for result in report.result.results:
        assert result.failure.render() == (
            "Sigmoid has no forward; found foward: the book calls it forward. Rename it, then run its cell again."
        )


def test_check_something_that_is_not_a_book_name():
    report = check(np.dot, lang="en")
    assert report.result is None and report.notes[0].key == "note_not_a_book_name"
    assert "dot is not one of the book's names" in str(report)


def test_html_is_escaped():
    class Relu:
        def forward(self, x):
            raise ValueError("<script>")

    html = check(Relu)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_check_leaves_the_kernels_import_path_as_it_was(monkeypatch):
    """The suite's helper modules (checks, strategies, ...) must not shadow a learner's modules after a check."""
    kernels = [p for p in sys.path if Path(p).resolve() != CHECKS_DIR]  # a learner's kernel: no tests/ on its path
    monkeypatch.setattr(sys, "path", list(kernels))
    check(ReLU)
    assert sys.path == kernels


# A learner's module: a Sigmoid that fails at its line 6, a Relu that never returns; check() called from here.
LEARNERS_MODULE = '''import numpy as np


class Sigmoid:
    def forward(self, x):
        return x.out_of_nowhere

    def backward(self, dout):
        return dout


class Relu:
    def forward(self, x):
        while True:
            pass

    def backward(self, dout):
        return dout


def run(*args):
    from backprop_grader import check
    return check(*args)
'''


@pytest.fixture
def learners_module(tmp_path, monkeypatch):
    (tmp_path / "sig.py").write_text(LEARNERS_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "sig", raising=False)
    import sig

    return sig


def test_check_gives_the_command_lines_message_with_the_line(learners_module, tmp_path):
    notebook = learners_module.run(learners_module.Sigmoid)
    command_line = grade(tmp_path / "sig.py", layers=["Sigmoid"])
    assert [r.failure.render() for r in notebook.result.results] == [
        r.failure.render() for r in command_line.results
    ]
    assert notebook.result.results[0].failure.render() == (
        "your code raised AttributeError: 'numpy.ndarray' object has no attribute 'out_of_nowhere' (sig.py, line 6)"
    )


def test_in_jupyter_check_names_a_cell_by_its_in_n(learners_module, tmp_path, monkeypatch):
    """In a kernel a cell's code is compiled under a file name of IPython's own: the message names the cell as
    Jupyter shows it, In [3], as IPython's own tracebacks do ("Cell In[3], line 6")."""
    shell = types.SimpleNamespace(compile=types.SimpleNamespace(_filename_map={str(tmp_path / "sig.py"): 3}))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    notebook = learners_module.run(learners_module.Sigmoid)
    assert notebook.result.results[0].failure.render().endswith("(cell In [3], line 6)")


def test_check_stops_a_hang_with_the_command_lines_per_call_limit(learners_module):
    report = learners_module.run(learners_module.Relu)
    assert {r.failure.render() for r in report.result.results} == {
        "your code took longer than 2 s in Relu.forward (an infinite loop?), so it was stopped."
    }


def test_ctrl_c_stops_check_cleanly_with_what_finished(learners_module):
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        report = learners_module.run(learners_module.Relu)  # the first check hangs until Ctrl-C
    finally:
        timer.cancel()
    assert [n.key for n in report.notes] == ["note_interrupted"]
    assert {r.status for r in report.result.results} == {NOT_RUN}
    assert "check() was stopped (Ctrl-C)" in str(report)


def test_check_grades_the_names_of_chapters_6_and_7():
    """check(Adam) or check(im2col) in a notebook found no book name, or check() left them out: a learner of
    chapters 6 and 7 could not check their code where they write it."""
    namespace = {"__name__": "__main__", "check": check}
    for module in ("chapter6/optimizer.py", "chapter7/util.py"):
        source = (PROJECT_ROOT / "reference" / module).read_text(encoding="utf-8")
        exec(compile(source, f"<cell {module}>", "exec"), namespace)
    exec("one, every = check(Adam), check()", namespace)
    one, every = namespace["one"], namespace["every"]
    assert {r.check.layer for r in one.result.results} == {"Adam"}
    assert one.score == one.max_score > 0
    layers = {r.check.layer for r in every.result.results}
    assert layers == {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "im2col", "col2im"}
    assert every.score == every.max_score and not every.notes
