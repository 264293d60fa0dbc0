"""Grading work where learners keep it: a study repository, a folder of files, a script that trains, a notebook.

The property: the same code scores the same wherever it lives. Each shape is graded and compared, check by
check, with the same code laid out like student_template/ (tests/learners.py writes both). Names that are
almost right (ReLU, foward, dw, __int__) cost their own layer only, with a message naming what was found, and
earn full marks under --alias.
"""

import json
import subprocess
import sys
from pathlib import Path

import learners
import numpy as np
import pytest

from backprop_grader.loader import load
from backprop_grader.results import PASSED
from backprop_grader.run import grade, grade_in_subprocess
from backprop_grader.shipped import REFERENCE_DIR


def statuses(result):
    return {r.check.title: r.status for r in result.results}


def failed(result):
    """The checks that cost points (an informational check worth none, such as TwoLayerNet on the learner's own
    layers, rightly fails wherever a layer does)."""
    return {r.check.title: r.failure for r in result.results if r.status != PASSED and r.check.points}


def notes(result):
    return [n.render() for n in result.notes]


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """The checks' outcomes for the learners' code laid out like the template: full marks."""
    result = grade(learners.template_layout(tmp_path_factory.mktemp("template")))
    assert result.score == result.max_score, failed(result)
    return statuses(result)


def test_book_layout_study_repository(tmp_path, expected):
    assert statuses(grade(learners.book_layout_repo(tmp_path))) == expected
    impl = load(tmp_path)
    assert impl.TwoLayerNet.__module__ == "ch05.two_layer_net"
    assert [n.render() for n in impl.notes] == [
        "TwoLayerNet is defined in 2 files; graded the one in ch05/two_layer_net.py (also in: ch04/two_layer_net.py). "
        "To grade another: --use TwoLayerNet=ch04/two_layer_net.py"
    ]


def test_the_common_folder_of_a_study_repository(tmp_path, expected):
    """Pointed at common/ alone, whose files import it by name (from common.functions import *), the grader
    grades its layers and says which book names are elsewhere."""
    result = grade(learners.book_layout_repo(tmp_path) / "common")
    lost = failed(result)
    assert {title.partition(":")[0] for title in lost} == {"MulLayer", "AddLayer", "TwoLayerNet"}
    graded = {t: s for t, s in statuses(result).items() if t.partition(":")[0] in {"Relu", "Affine", "Sigmoid"}}
    assert graded == {t: s for t, s in expected.items() if t in graded}
    assert lost["MulLayer: forward_values"].render() == (
        "no class MulLayer is defined in any .py file or notebook under common/: keep the book's name and spelling."
    )


def test_a_chapter_folder_that_imports_from_beside_it_says_which_folder_to_grade(tmp_path):
    """ch05/ of a study repository imports common/ from the folder above: the report names that folder."""
    repo = learners.book_layout_repo(tmp_path)
    result = grade(repo / "ch05", layers=["TwoLayerNet"])
    assert f"common is not in ch05/ but beside it, in {repo}: grade the folder that holds both, python grader.py {repo}" in notes(result)


def test_one_file_per_layer(tmp_path, expected):
    assert statuses(grade(learners.one_file_per_layer(tmp_path))) == expected


def test_script_that_trains_when_imported(tmp_path, expected):
    result = grade(learners.training_script(tmp_path / "train_net.py"))
    assert statuses(result) == expected
    said = "\n".join(notes(result))
    assert "train_net.py: skipped 6 top-level statement(s) that do work when loaded" in said
    assert "No module named 'matplotlib_that_is_not_installed'" in said


def test_notebook_with_magics_and_a_training_cell(tmp_path, expected):
    result = grade(learners.notebook_with_magics(tmp_path / "chapter5.ipynb"))
    assert statuses(result) == expected
    said = "\n".join(notes(result))
    assert (
        "chapter5.ipynb: skipped IPython magics and shell commands (%matplotlib, !pip, %%time, !ls) in cell(s) 2, 22, 24."
        in said
    )
    assert "chapter5.ipynb: skipped 8 top-level statement(s) that do work when run (in cell(s) 10, 24, 26)" in said


def _layers_of(titles):
    return {title.split(":")[0] for title in titles}


def test_renamed_classes_cost_their_layers_and_say_what_was_found(tmp_path, expected):
    result = grade(learners.renamed_classes(tmp_path / "net.py"))
    lost = failed(result)
    assert _layers_of(lost) <= {"Relu", "MulLayer", "SoftmaxWithLoss"}
    assert {t for t in expected if t.startswith(("Relu:", "MulLayer:"))} <= set(lost)
    assert {f.key for f in lost.values()} == {"renamed"}
    relu = next(f for t, f in lost.items() if t.startswith("Relu:"))
    assert (
        relu.render()
        == "no class Relu; found ReLU in net.py: the book calls it Relu. Rename it, or grade with --alias Relu=ReLU"
    )


def test_renamed_classes_earn_full_marks_under_alias(tmp_path, expected):
    path = learners.renamed_classes(tmp_path / "net.py")
    result = grade(path, aliases=["Relu=ReLU", "MulLayer=MultiplyLayer", "softmax=soft_max"])
    assert statuses(result) == expected
    assert "graded your ReLU as the book's Relu (alias)." in notes(result)


def test_misspelt_method_and_gradient_names(tmp_path, expected):
    result = grade(learners.misspelt_members(tmp_path / "net.py"))
    lost = failed(result)
    assert _layers_of(lost) <= {"Relu", "Affine"}
    assert {t for t in expected if t.startswith("Relu:")} <= set(lost)
    assert {f.key for f in lost.values()} == {"misspelt_member"}
    relu = next(f for t, f in lost.items() if t.startswith("Relu:"))
    assert relu.render() == (
        "Relu has no forward; found foward in net.py: the book calls it forward. "
        "Rename it, or grade with --alias Relu.forward=foward"
    )
    result = grade(tmp_path / "net.py", aliases=["Relu.forward=foward", "Affine.dW=dw", "Affine.db=d_b"])
    assert statuses(result) == expected


def test_stored_gradient_under_another_name_is_named(tmp_path):
    impl = load(learners.misspelt_members(tmp_path / "net.py"))
    layer = impl.Affine(np.ones((2, 3)), np.zeros(3))
    layer.forward(np.ones((4, 2)))
    layer.backward(np.ones((4, 3)))
    with pytest.raises(Exception) as raised:
        _ = layer.dW
    assert (raised.value.key, raised.value.params["found"]) == ("misspelt_member", "dw")
    with pytest.raises(Exception) as raised:
        _ = layer.db
    assert raised.value.params["found"] == "d_b"
    assert not hasattr(layer, "dW"), "a missing member is still missing to hasattr"


def test_constructor_spelt_int(tmp_path, expected):
    result = grade(learners.misspelt_init(tmp_path / "net.py"))
    lost = failed(result)
    assert _layers_of(lost) <= {"Affine"}
    assert {f.key for f in lost.values()} <= {"misspelt_init"}
    with pytest.raises(Exception) as raised:
        load(tmp_path / "net.py").Affine(np.ones((2, 3)), np.zeros(3))
    assert raised.value.render().startswith("Affine has no __init__: its constructor in net.py is spelt __int__")
    assert statuses(grade(tmp_path / "net.py", aliases=["Affine.__init__=__int__"])) == expected


def test_a_definition_that_fails_costs_its_own_layer_only(tmp_path, expected):
    broken = learners.RELU.format(relu="Relu", forward="forward").replace("class Relu:", "class Relu(LayerBase):")
    cells = [learners.HEADER, learners.functions_code(), learners.GRADIENT, learners.layers_code(), broken]
    result = grade(learners.notebook(tmp_path / "nb.ipynb", cells + [learners.TWO_LAYER_NET.format(relu="Relu")]))
    lost = failed(result)
    assert set(lost) == {t for t in expected if t.startswith("Relu:")}
    assert {f.render() for f in lost.values()} == {
        "Relu in nb.ipynb failed to load (cell 10, line 1): NameError: name 'LayerBase' is not defined"
    }


def test_use_picks_which_file_to_grade(tmp_path, expected):
    learners.book_layout_repo(tmp_path)
    buggy = learners.RELU.format(relu="Relu", forward="forward").replace("(x <= 0)", "(x < 0)")
    (tmp_path / "ch05" / "relu_try.py").write_text(buggy.replace("class Relu:", "class Relu:\n    # a first try"))
    chosen = grade(tmp_path, layers=["Relu"])
    assert not failed(chosen)
    assert any("Relu is defined in 2 files; graded the one in common/layers.py" in n for n in notes(chosen))
    other = grade(tmp_path, layers=["Relu"], use=["Relu=ch05/relu_try.py"])
    assert "Relu: zero_is_blocked" in failed(other)


def test_two_layer_net_is_graded_on_the_reference_layers(tmp_path):
    """A bug in the learner's Relu must not reach their TwoLayerNet's checks."""
    buggy = learners.RELU.format(relu="Relu", forward="forward").replace("return dx", "return -dx")
    impl = load(learners.book_layout_repo(tmp_path, relu_layer=buggy))
    ref = load(REFERENCE_DIR)
    x, t = np.random.default_rng(0).normal(size=(3, 4)), np.array([0, 1, 1])
    grads = []
    for net_class in (impl.two_layer_net_on(ref), ref.two_layer_net_on(ref)):
        np.random.seed(0)
        grads.append(net_class(4, 5, 2).gradient(x, t))
    for key in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(grads[0][key], grads[1][key], rtol=1e-12)


def test_renamed_layers_inside_the_net_are_replaced_too(tmp_path):
    impl = load(learners.renamed_classes(tmp_path / "net.py"))
    ref = load(REFERENCE_DIR)
    net = impl.two_layer_net_on(ref)(4, 5, 2)
    assert type(net.layers["Relu1"]).__module__ == ref.Relu.__module__


def test_submission_modules_never_linger_in_sys_modules(tmp_path):
    """Two submissions with a common/ each, and the suite's own helpers, must not see each other's modules."""
    first = load(learners.book_layout_repo(tmp_path / "a"))
    second = load(
        learners.book_layout_repo(
            tmp_path / "b", relu_layer=learners.RELU.format(relu="Relu", forward="forward").replace("<=", "<")
        )
    )
    (tmp_path / "b" / "checks.py").write_text("raise RuntimeError('the learner has a checks.py too')\n")
    assert first.Relu.__module__ == second.Relu.__module__ == "common.layers"
    assert first.Relu is not second.Relu
    assert first.TwoLayerNet and second.TwoLayerNet
    assert not {"common", "common.layers", "layer_naive"} & set(sys.modules)
    import checks  # the suite's helper, untouched

    assert hasattr(checks, "check")


def test_template_shaped_folder_takes_aliases_and_names_close_ones(tmp_path, expected):
    root = learners.template_layout(tmp_path)
    layers = root / "layers.py"
    layers.write_text(layers.read_text().replace("class Relu:", "class ReLu:"))
    lost = failed(grade(root, layers=["Relu"]))
    assert {f.render() for f in lost.values()} == {
        "no class Relu; found ReLu in layers.py: the book calls it Relu. Rename it, or grade with --alias Relu=ReLu"
    }
    assert not failed(grade(root, layers=["Relu"], aliases=["Relu=ReLu"]))


def test_nothing_there(tmp_path):
    result = grade(tmp_path / "missing.ipynb", layers=["Relu"])
    assert {f.key for f in failed(result).values()} == {"no_such_path"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert {f.render() for f in failed(grade(empty, layers=["Relu"])).values()} == {
        "no class Relu is defined in any .py file or notebook under empty/: keep the book's name and spelling."
    }


def test_run_magic_brings_in_a_sibling_file(tmp_path, expected):
    """A notebook that runs its layers from a file with %run gets them, loaded for their definitions."""
    (tmp_path / "my_layers.py").write_text(
        learners.HEADER + learners.functions_code() + learners.layers_code() + "\nprint('loaded')\n"
    )
    cells = ["%run my_layers.py", learners.GRADIENT, learners.TWO_LAYER_NET.format(relu="Relu")]
    result = grade(learners.notebook(tmp_path / "nb.ipynb", cells))
    assert statuses(result) == expected
    assert "my_layers.py: skipped 1 top-level statement(s) that do work when loaded" in "\n".join(notes(result))


def test_aliases_and_notes_cross_into_a_grading_process(tmp_path, expected):
    path = learners.renamed_classes(tmp_path / "net.py")
    result = grade_in_subprocess(path, aliases=["Relu=ReLU", "MulLayer=MultiplyLayer", "softmax=soft_max"])
    assert statuses(result) == expected
    assert "graded your ReLU as the book's Relu (alias)." in notes(result)


BOOK_MIRROR = Path("/work/.mirror/oreilly-japan+deep-learning-from-scratch/repo")


@pytest.mark.skipif(not BOOK_MIRROR.exists(), reason="no copy of the book's repository on this machine")
def test_the_books_own_repository_graded_as_a_study_repository(tmp_path):
    """The book's repository, as a reader clones it, loses exactly the two strict checks the book loses."""
    archive = subprocess.run(["git", "-C", str(BOOK_MIRROR), "archive", "HEAD"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive.stdout, check=True)
    result = grade(tmp_path)
    assert set(failed(result)) == {"Relu: backward_leaves_dout_unchanged", "SoftmaxWithLoss: backward_scales_by_dout"}
    assert any(n.startswith("Relu, Sigmoid, Affine, SoftmaxWithLoss are each defined in 2 files") for n in notes(result))


def test_pytest_options_reach_the_suite(tmp_path):
    """`python -m pytest --pyargs backprop_grader.checks.test_relu --backprop-impl FILE --backprop-alias BOOK=THEIRS`
    checks a renamed class like any other, from a folder outside the repository."""
    path = learners.renamed_classes(tmp_path / "net.py")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--pyargs",
               "backprop_grader.checks.test_relu", f"--backprop-impl={path}"]
    renamed = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    aliased = subprocess.run(command + ["--backprop-alias=Relu=ReLU"], capture_output=True, text=True, cwd=tmp_path)
    assert renamed.returncode == 1 and "found ReLU in net.py" in renamed.stdout, renamed.stdout[-2000:]
    assert aliased.returncode == 0, aliased.stdout[-2000:]


def test_member_aliases_in_a_template_shaped_folder(tmp_path):
    """Affine.dW=dw grades a template-shaped Affine that stores dw, and the learner's own net built on it."""
    root = learners.template_layout(tmp_path)
    layers = root / "layers.py"
    layers.write_text(layers.read_text().replace("self.dW", "self.dw").replace("self.db", "self.d_b"))
    lost = grade(root, layers=["Affine", "TwoLayerNet"]).results
    assert {r.failure.key for r in lost if r.failure and r.check.layer == "Affine"} == {"misspelt_member"}
    aliased = grade(root, layers=["Affine", "TwoLayerNet"], aliases=["Affine.dW=dw", "Affine.db=d_b"])
    assert all(r.status == PASSED for r in aliased.results)


def test_grader_cli_takes_a_loose_file_and_aliases_and_every_report_says_how_it_was_read(tmp_path, capsys):
    from backprop_grader import cli

    path = learners.renamed_classes(tmp_path / "net.py")
    files = {kind: tmp_path / f"report.{kind}" for kind in ("json", "junit", "markdown")}
    options = [f"--{kind}={file}" for kind, file in files.items()]
    assert cli.main([str(path), "--layer=Relu", "--alias=Relu=ReLU", *options]) == 0
    printed = capsys.readouterr().out
    said = "graded your ReLU as the book's Relu (alias)."
    assert "How your submission was read" in printed and said in printed
    results = json.loads(files["json"].read_text())
    assert results["score"] == 14 and said in results["output"]
    assert said in files["markdown"].read_text() and said.replace("'", "&apos;") in files["junit"].read_text().replace("'", "&apos;")
    rubric = tmp_path / "rubric.toml"
    rubric.write_text('[aliases]\nRelu = "ReLU"\n')
    assert cli.main([str(path), "--layer=Relu", f"--rubric={rubric}", f"--json={files['json']}"]) == 0
    assert json.loads(files["json"].read_text())["score"] == 14
