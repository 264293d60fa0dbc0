"""The catalogue of chapters 6 and 7 (tests/catalogue_chapters/), ready for grading: each variant, a right form
other than the reference's, does what the reference does on fixed random inputs; each bug, one mistake a learner
makes, does something else on its own name and nothing else on the others of its file.

An entry is a .py file appended to a copy of the reference's FILE (chapter6/layers.py, ...), redefining LAYER, the
book's name it is about; its docstring says the mistake, or the right-but-different form, in a learner's words.
"""
import ast
from pathlib import Path

import pytest
from chapter_probes import OPTIMIZERS, PROBES, disagreements, observe
from chapters import reference_copy

CATALOGUE = Path(__file__).resolve().parent / "catalogue_chapters"
FILES = ("chapter6/optimizer.py", "chapter6/layers.py", "chapter7/layers.py", "chapter7/util.py",
         "chapter7/simple_convnet.py")


def dotted(file):
    """The module of a reference file: chapter7.util for chapter7/util.py."""
    return file.removesuffix(".py").replace("/", ".")


def entry(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                 and node.targets[0].id in ("LAYER", "FILE")}
    return ast.get_docstring(tree), constants.get("LAYER"), constants.get("FILE")


def files(kind):
    return sorted((CATALOGUE / kind).glob("*.py"))


def paths(kind):
    return [pytest.param(p, id=p.stem) for p in files(kind)]


def names_in(file):
    """The probed names that file defines."""
    return {"chapter6/optimizer.py": list(OPTIMIZERS),
            "chapter6/layers.py": ["Dropout", "BatchNormalization"],
            "chapter7/layers.py": ["Convolution", "Pooling"],
            "chapter7/util.py": ["im2col", "col2im"],
            "chapter7/simple_convnet.py": ["SimpleConvNet"]}[file]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference's record of every probed name, from a copy of its own."""
    module = reference_copy(tmp_path_factory.mktemp("reference") / "reference")
    return {name: observe(name, module(dotted(file))) for file in FILES for name in names_in(file)}


def patched(path, tmp_path):
    doc, layer, file = entry(path)
    assert doc and layer in PROBES and file in FILES, f"{path.name}: a docstring, LAYER and FILE"
    module = reference_copy(tmp_path / "submission", file, path.read_text(encoding="utf-8"))(dotted(file))
    return layer, file, module


def test_the_reference_satisfies_every_property():
    """Dropout's properties hold for the reference itself (so that a bug's failing one says something)."""
    from backprop_grader.reference.chapter6 import layers

    assert disagreements("Dropout", None, observe("Dropout", layers)) == []


@pytest.mark.parametrize("path", paths("variants"))
def test_variant_does_what_the_reference_does(reference, path, tmp_path):
    """A right form the graded checks must accept: if it differs, either the variant or the reference is wrong."""
    layer, _, module = patched(path, tmp_path)
    assert disagreements(layer, reference[layer], observe(layer, module)) == [], \
        f"{path.stem}, a right form of {layer}, differs from the reference"


@pytest.mark.parametrize("path", paths("bugs"))
def test_bug_differs_from_the_reference_on_its_own_name_only(reference, path, tmp_path):
    """A bug that does what the reference does cannot fail a check; one that changes a second name would cost
    that name's points too."""
    layer, file, module = patched(path, tmp_path)
    assert disagreements(layer, reference[layer], observe(layer, module)), \
        f"{path.stem} behaves as the reference does: no check could tell it from a right {layer}"
    for other in names_in(file):
        if other != layer:
            assert disagreements(other, reference[other], observe(other, module)) == [], \
                f"{path.stem} changes {other} as well as {layer}"


def test_the_catalogue_covers_every_name():
    """Every probed name has at least one bug, and the catalogue its 20."""
    bugs = [entry(path)[1] for path in files("bugs")]
    assert set(PROBES) <= set(bugs) and len(bugs) >= 20
