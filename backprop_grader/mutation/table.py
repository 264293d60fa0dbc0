"""The table of the reference's mutants (table.json), and each mutant loaded as modules of this process.

table.json is generated (scripts/mutant_table.py --write) and checked in: per mutant its id, file, function,
layer, family, where it is (position, variant) and the statement it changes, before and after. It records the
hash of each reference file it was made from; tests/test_mutant_table.py fails when the reference changed and
the table was not made again.

A mutant is loaded as the reference's modules with the one file it changes compiled from the changed tree:
trusted code, run in the grader's process when a check fails (replay.py), never a submission's.
"""
import ast
import hashlib
import itertools
import json
import sys
import types
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..book import LAYER_OF
from ..shipped import REFERENCE_DIR
from .operators import Site, apply, functions, sites

TABLE = Path(__file__).resolve().parent / "table.json"
# The reference's files a learner writes: gradient.py is given in the template and graded nowhere.
FILES = ("layers.py", "two_layer_net.py")
_counter = itertools.count()


@dataclass(frozen=True)
class Mutant:
    id: str  # "layers.py:Relu.forward:compare:1": file, function, family, and which of them
    file: str
    function: str
    layer: str
    family: str
    position: int
    variant: int
    original: str  # the statement the mutant changes, as the reference has it
    mutated: str  # the same statement changed ("" where the mutant leaves it out)

    @property
    def site(self):
        return Site(self.function, self.position, self.variant, self.family)

    @property
    def method(self):
        """How a learner names the changed function: Relu.backward, softmax."""
        return self.function


def source_hashes(directory=REFERENCE_DIR):
    return {name: hashlib.sha256((Path(directory) / name).read_bytes()).hexdigest() for name in FILES}


def _layers_of_functions(tree):
    """The graded layer of each function: its class's or its own name's (book.LAYER_OF), and for a private
    helper the one layer of the functions that call it."""
    found = {q: LAYER_OF.get(q.split(".")[0]) for q, _ in functions(tree)}
    for qualname, layer in list(found.items()):
        if layer is None:
            callers = {
                found[q] for q, node in functions(tree)
                if q != qualname and any(isinstance(n, ast.Name) and n.id == qualname for n in ast.walk(node))
            }
            found[qualname] = callers.pop() if len(callers) == 1 else None
    return found


def generate(directory=REFERENCE_DIR):
    """The table as a dict: every single change of the reference's FILES."""
    mutants = []
    for name in FILES:
        source = (Path(directory) / name).read_text(encoding="utf-8")
        layers = _layers_of_functions(ast.parse(source))
        numbers = {}
        for site in sites(ast.parse(source)):
            original, mutated = apply(ast.parse(source), site)
            key = (site.function, site.family)
            numbers[key] = numbers.get(key, 0) + 1
            mutants.append(asdict(
                Mutant(
                    f"{name}:{site.function}:{site.family}:{numbers[key]}", name, site.function,
                    layers[site.function] or "TwoLayerNet", site.family, site.position, site.variant, original, mutated,
                )
            ))
    return {"reference": source_hashes(directory), "mutants": mutants}


@lru_cache(maxsize=None)
def mutants():
    """Every Mutant of the checked-in table."""
    return tuple(Mutant(**m) for m in json.loads(TABLE.read_text(encoding="utf-8"))["mutants"])


def of_layer(layer):
    return [m for m in mutants() if m.layer == layer]


@lru_cache(maxsize=None)
def _source(name):
    return (REFERENCE_DIR / name).read_text(encoding="utf-8")


def _package():
    name = f"_reference_mutant_{next(_counter)}"
    package = types.ModuleType(name)
    package.__path__ = []
    package.__package__ = name
    sys.modules[name] = package
    return package


def _module(package, short, tree):
    module = types.ModuleType(f"{package.__name__}.{short}")
    module.__package__ = package.__name__
    module.__file__ = str(REFERENCE_DIR / f"{short}.py")
    sys.modules[module.__name__] = module
    setattr(package, short, module)
    exec(compile(tree, module.__file__, "exec"), module.__dict__)  # the reference's own code, changed in one place
    return module


def _tree(name, mutant):
    tree = ast.parse(_source(name))
    if mutant is not None and mutant.file == name:
        apply(tree, mutant.site)
    return tree


@lru_cache(maxsize=None)
def layers_module(mutant):
    """The reference's layers.py with mutant applied (as it is for a mutant of another file; None: unchanged)."""
    return _module(_package(), "layers", _tree("layers.py", mutant))


def net_class(mutant, net_layers):
    """The TwoLayerNet of two_layer_net.py with mutant applied, built on net_layers (a CountingLayers of the
    reference), as the `net_class` fixture builds a submission's."""
    return _net_module(mutant, net_layers).TwoLayerNet


@lru_cache(maxsize=64)
def _net_module(mutant, net_layers):
    package = _package()
    for short in ("layers", "gradient"):
        module = net_layers._module(short)
        sys.modules[f"{package.__name__}.{short}"] = module
        setattr(package, short, module)
    return _module(package, "two_layer_net", _tree("two_layer_net.py", mutant))


class MutantLayers:
    """The `impl` of a check run on a mutant: impl.Relu, impl.softmax, ... from the changed layers.py."""

    def __init__(self, mutant):
        self.mutant = mutant

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(layers_module(self.mutant), name)


def mutated_source(mutant):
    """The text of mutant's file with mutant applied: a submission made of the reference changed in one place."""
    return ast.unparse(_tree(mutant.file, mutant)) + "\n"
