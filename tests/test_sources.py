"""Reading learners' files for their definitions only, and recognising the names they give the book's things."""

import json
import os
import subprocess
import sys
import textwrap
import time

import learners
import pytest
from submissions import PROJECT_ROOT

from backprop_grader import rubric
from backprop_grader.names import Aliases, as_aliases, closest
from backprop_grader.results import GradeResult
from backprop_grader.run import grade
from backprop_grader.sources import execute, read_bounded, read_notebook, read_python


def _read(tmp_path, code):
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(code))
    return read_python(path)


def test_definitions_run_and_work_is_skipped(tmp_path):
    source = _read(
        tmp_path,
        """
        '''My chapter 5.'''
        from __future__ import annotations
        import sys, os
        sys.path.append(os.pardir)
        import numpy as np
        try:
            import cupy as xp
        except ImportError:
            import numpy as xp
        EPS = 1e-7
        DTYPE = np.float64
        ZERO = np.float64(0.0)
        relu = lambda x: np.maximum(0, x)
        class ReLU:
            pass
        Relu = ReLU
        x_train = np.load("mnist.npy")
        np.random.seed(0)
        config = {}
        config["lr"] = 0.1
        for i in range(10):
            print(i)
        if __name__ == "__main__":
            train()
        """,
    )
    namespace = {}
    assert execute(source, namespace) == {}
    assert {"np", "xp", "EPS", "DTYPE", "ZERO", "relu", "ReLU", "Relu", "config"} <= set(namespace)
    assert "x_train" not in namespace and "i" not in namespace
    # Skipped and reported: the data load, the seed, the dict write and the loop; not sys.path or the main guard.
    assert [first for _, first, _ in source.skipped] == [18, 19, 21, 22]
    assert source.definitions == {"DTYPE": "alias", "relu": "function", "ReLU": "class", "Relu": "alias"}


def test_one_failing_statement_costs_only_what_it_binds(tmp_path):
    source = _read(
        tmp_path,
        """
        import numpy as np
        from dataset.mnist import load_mnist
        class Sigmoid(Missing):
            pass
        class Relu:
            pass
        """,
    )
    namespace = {}
    failures = execute(source, namespace)
    assert set(failures) == {"load_mnist", "Sigmoid"}
    assert failures["load_mnist"].is_import and "No module named 'dataset'" in failures["load_mnist"].error
    assert "Relu" in namespace and "np" in namespace


def test_notebook_magics_are_blanked_only_where_the_cell_is_not_python(tmp_path):
    path = learners.notebook(
        tmp_path / "nb.ipynb",
        [
            "%load_ext autoreload\n%autoreload 2\nimport numpy as np",
            "TEMPLATE = '''\n%d items\n!important\n'''",
            "%%writefile layers.py\nclass Relu:\n    pass",
            "files = !ls\nnp.dot?",
            "for i in range(3):\n    !echo $i\n",
            "class Relu(:\n    pass",
        ],
    )
    source = read_notebook(path)
    namespace = {}
    execute(source, namespace)
    assert namespace["TEMPLATE"] == "\n%d items\n!important\n"
    assert "Relu" not in namespace  # written by %%writefile, and a syntax error: neither is a definition
    # Cells counted as a learner counts them, the markdown cell before each code cell too.
    assert [(cell, word) for cell, _, word in source.magics] == [
        (2, "%load_ext"),
        (2, "%autoreload"),
        (6, "%%writefile"),
        (8, "!ls"),
        (8, "?"),
        (10, "!echo"),
    ]
    assert [(cell, names) for cell, _, _, names in source.syntax_errors] == [(12, ("Relu",))]
    assert [cell for cell, _, _ in source.skipped] == [10]


def test_a_notebook_from_an_older_jupyter(tmp_path):
    path = tmp_path / "old.ipynb"
    cells = [{"cell_type": "code", "input": "class Relu:\n    pass\n", "language": "python", "outputs": []}]
    path.write_text(json.dumps({"nbformat": 3, "worksheets": [{"cells": cells}], "metadata": {}}))
    assert read_notebook(path).definitions == {"Relu": "class"}


@pytest.mark.parametrize(
    "book, theirs",
    [
        ("Relu", ["ReLU", "relu_grad", "Relu6"]),
        ("Relu", ["ReLu"]),
        ("Relu", ["ReluLayer"]),
        ("MulLayer", ["MultiplyLayer"]),
        ("MulLayer", ["mulLayer"]),
        ("Affine", ["Dense"]),
        ("Sigmoid", ["Sigmiod"]),
        ("softmax", ["soft_max"]),
        ("cross_entropy_error", ["crossEntropyError"]),
        ("SoftmaxWithLoss", ["SoftmaxCrossEntropy"]),
        ("forward", ["foward"]),
        ("backward", ["backwark"]),
        ("dW", ["dw"]),
        ("db", ["d_b"]),
        ("__init__", ["__int__"]),
    ],
)
def test_close_names_are_recognised(book, theirs):
    assert closest(book, theirs) == theirs[0]


@pytest.mark.parametrize(
    "book, theirs", [("Relu", "ELU"), ("Relu", "LeakyRelu"), ("AddLayer", "MulLayer"), ("db", "dW")]
)
def test_other_things_are_not_taken_for_the_book_name(book, theirs):
    assert closest(book, [theirs]) is None


def test_aliases_from_flags_and_from_a_rubric(tmp_path):
    aliases = Aliases.parse(["Relu=ReLU", "Affine.dW=dw"])
    assert aliases.names == {"Relu": "ReLU"} and aliases.members == {("Affine", "dW"): "dw"}
    path = tmp_path / "rubric.toml"
    path.write_text('[aliases]\nRelu = "ReLU"\n"Affine.dW" = "dw"\n')
    assert as_aliases(rubric.read(path).aliases) == aliases
    assert Aliases.parse(aliases.specs()) == aliases
    with pytest.raises(ValueError, match="not one of the book's names"):
        Aliases.parse(["Rectifier=ReLU"])
    with pytest.raises(ValueError, match="expected BOOK=THEIRS"):
        Aliases.parse(["Relu"])


def test_notes_travel_with_the_result(tmp_path):
    result = grade(learners.notebook_with_magics(tmp_path / "nb.ipynb"), layers=["Relu"])
    assert result.notes and GradeResult.from_dict(json.loads(json.dumps(result.to_dict()))).notes == result.notes


def test_errors_point_into_the_notebook_cell(tmp_path):
    broken = learners.RELU.format(relu="Relu", forward="forward").replace("return dx", "return dx[None, 7]")
    path = learners.notebook(tmp_path / "nb.ipynb", [learners.HEADER, broken])
    failures = {r.failure.render() for r in grade(path, layers=["Relu"]).results if r.failure}
    assert any("(nb.ipynb, cell 4, line 14)" in f for f in failures), failures


def test_a_cell_is_numbered_as_a_learner_counts_it_and_named_by_its_in_n_once_run(tmp_path):
    """Jupyter shows no cell numbers: a learner counts the cells from the top, markdown ones too (the broken code
    is the fourth cell, the second code cell), and sees In [n] beside a cell saved after it ran."""
    broken = learners.RELU.format(relu="Relu", forward="forward").replace("return dx", "return dx[None, 7]")
    path = learners.notebook(tmp_path / "nb.ipynb", [learners.HEADER, broken])
    data = json.loads(path.read_text())
    assert [c["cell_type"] for c in data["cells"]] == ["markdown", "code", "markdown", "code"]
    data["cells"][3]["execution_count"] = 7
    path.write_text(json.dumps(data))
    failures = {r.failure.render() for r in grade(path, layers=["Relu"]).results if r.failure}
    assert any("(nb.ipynb, cell 4 (In [7]), line 14)" in f for f in failures), failures
    data["cells"][3]["source"] = ["class Relu:\n", "    def forward(self, x)\n"]  # its syntax error, noted
    path.write_text(json.dumps(data))
    assert read_notebook(path).where(4, 2) == {"key": "at_cell_run_line", "params": {"cell": 4, "run": 7, "line": 2}}


def test_loads_in_a_process_without_the_suite_on_its_path(tmp_path):
    """The isolated worker calls loader.load with only the package importable."""
    path = learners.notebook_with_magics(tmp_path / "nb.ipynb")
    code = (
        "import sys; from backprop_grader.loader import load; impl = load(sys.argv[1]); "
        "print(impl.Relu.__name__, impl.TwoLayerNet.__name__, 'tests' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert done.stdout.split() == ["Relu", "TwoLayerNet", "False"], done.stderr


def test_a_file_in_shift_jis(tmp_path):
    """The book is Japanese: a learner's editor may save their comments in Shift JIS, with or without a cookie."""
    code = "# 順伝播と逆伝播\nclass Relu:\n    pass\n"
    (tmp_path / "plain.py").write_bytes(code.encode("cp932"))
    (tmp_path / "cookie.py").write_bytes(("# -*- coding: shift_jis -*-\n" + code).encode("cp932"))
    for name in ("plain.py", "cookie.py"):
        assert read_python(tmp_path / name).definitions == {"Relu": "class"}


def test_a_class_with_its_own_getattr_keeps_it():
    from backprop_grader.names import Aliases, wrap

    class Relu:
        def __getattr__(self, name):
            if name == "mask":
                return "computed"
            raise AttributeError(name)

        def foward(self, x):
            return x

    wrapped = wrap(Relu, "Relu", "relu.py", Aliases())
    assert wrapped().mask == "computed"
    with pytest.raises(AttributeError) as raised:
        _ = wrapped().forward
    assert raised.value.key == "misspelt_member" and raised.value.params["found"] == "foward"


def test_only_regular_files_within_their_limit_are_read(tmp_path):
    """A FIFO named like a source is not waited on, a link to /dev/zero not read without end, a file past its
    limit not read at all: each is an OSError, which the loader reports as a file that could not be read."""
    fifo, zero, big, fine = tmp_path / "fifo.py", tmp_path / "zero.py", tmp_path / "big.py", tmp_path / "ok.py"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    big.write_bytes(b"# x\n" * 1000)
    fine.write_text("x = 1\n")
    start = time.monotonic()
    for path, limit in ((fifo, None), (zero, None), (big, 100)):
        with pytest.raises(OSError):
            read_bounded(path, limit)
    assert time.monotonic() - start < 5
    assert read_bounded(fine) == b"x = 1\n"
    assert read_python(fifo).syntax_errors and read_python(zero).syntax_errors
