"""The table of the reference's mutants (table.json), and each mutant loaded as modules of this process.

table.json is generated (scripts/mutant_table.py --write) and checked in: per mutant its id, file, function,
layer, family, where it is (position, variant) and the statement it changes, before and after. It records the
hash of each reference file it was made from; tests/test_mutant_table.py fails when the reference changed and
the table was not made again.

A mutant is loaded as the reference's modules with the one file it changes compiled from the changed tree:
trusted code, run in the grader's process when a check fails (replay.py), never a submission's.
"""
import ast
import functools
import hashlib
import itertools
import json
import types
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..book import LAYER_OF
from ..shipped import REFERENCE_DIR
from .operators import Site, apply, describe, functions, sites

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


@lru_cache(maxsize=4096)
def statement_structure(text):
    """A statement's syntax tree as text, or None for text that does not parse alone (one line of a longer
    statement): the same for a mutant's statement in the table, which 3.11's ast.unparse wrote, and for the line a
    submission raised at, on any Python (3.10 writes `(a, b) = f()` where 3.11 writes `a, b = f()`)."""
    try:
        return ast.dump(ast.parse(text))
    except (SyntaxError, ValueError):
        return None


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
            original, mutated = describe(ast.parse(source), site)
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


def _filename(name):
    # Code is compiled under the reference's file name and lines, so that a traceback reads the reference's lines.
    return str(REFERENCE_DIR / name)


def _module(name, siblings=None):
    """The reference's module name (layers.py), run afresh, its relative imports (from .layers import ...) served
    from siblings {name: module}. It is not put in sys.modules: Hypothesis reads the source of every module it
    finds there that has a file."""
    tree = ast.parse(_source(name))
    module = types.ModuleType(f"_reference_mutant_{next(_counter)}_{Path(name).stem}")
    for node in list(tree.body):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and siblings and node.module in siblings:
            for alias in node.names:
                setattr(module, alias.asname or alias.name, getattr(siblings[node.module], alias.name))
            tree.body.remove(node)
    exec(compile(tree, _filename(name), "exec"), module.__dict__)  # the reference's own code
    return module


@lru_cache(maxsize=None)
def _function_source(name, qualname):
    """The source of one function of the reference, standing alone: inside its class statement for a method, so
    that it walks as in the whole file and a Site applies to it."""
    source = _source(name)
    node = dict(functions(ast.parse(source)))[qualname]
    text = ast.get_source_segment(source, node, padded=True)
    owner = qualname.rpartition(".")[0]
    # Blank lines first, so that each line of it keeps its number in the file.
    return "\n" * (node.lineno - 2) + f"class {owner}:\n{text}" if owner else "\n" * (node.lineno - 1) + text


def _rebound(value, namespace, wrap):
    function = types.FunctionType(value.__code__, namespace, value.__name__, value.__defaults__, value.__closure__)
    # Python 3.11 names it from its code (Sigmoid.forward); 3.10 by its name alone, which no mutant's function is.
    function.__qualname__ = value.__qualname__
    return wrap(function)


def _copy(base, wrap=lambda function: function):
    """A copy of module base whose functions and classes see one another in a namespace of their own (which
    base's do not see), each function passed through wrap."""
    namespace = dict(vars(base))
    for key, value in vars(base).items():
        if isinstance(value, types.FunctionType) and value.__globals__ is vars(base):
            namespace[key] = _rebound(value, namespace, wrap)
        elif isinstance(value, type) and value.__module__ == base.__name__:
            members = {
                k: _rebound(v, namespace, wrap) if isinstance(v, types.FunctionType) else v
                for k, v in vars(value).items() if k not in ("__dict__", "__weakref__")
            }
            namespace[key] = type(value.__name__, value.__bases__, members)
    module = types.ModuleType(base.__name__)
    module.__dict__.update(namespace)
    return module, namespace


def _with_mutant(base, name, mutant):
    """base with mutant's function compiled alone and put in place: one small compile per mutant, not a module's."""
    module, namespace = _copy(base)
    tree = ast.parse(_function_source(name, mutant.function))
    apply(tree, mutant.site)
    made = {}
    exec(compile(tree, _filename(name), "exec"), namespace, made)  # the reference's function, changed in one place
    owner, _, function = mutant.function.rpartition(".")
    if owner:
        setattr(namespace[owner], function, vars(made[owner])[function])
    else:
        namespace[function] = module.__dict__[function] = made[function]
    return module


def traced(base, called):
    """A copy of module base that adds the qualname of each of its functions to the set called as it runs."""

    def wrap(function):
        @functools.wraps(function)
        def traced_function(*args, **kwargs):
            called.add(function.__qualname__)
            return function(*args, **kwargs)

        return traced_function

    return _copy(base, wrap)[0]


@lru_cache(maxsize=None)
def _base_layers():
    return _module("layers.py")


@lru_cache(maxsize=None)
def layers_module(mutant):
    """The reference's layers.py with mutant applied (None: unchanged; a mutant of another file: unchanged)."""
    if mutant is None or mutant.file != "layers.py":
        return _base_layers()
    return _with_mutant(_base_layers(), "layers.py", mutant)


@lru_cache(maxsize=8)
def _base_net(net_layers):
    return _module("two_layer_net.py", {short: net_layers._module(short) for short in ("layers", "gradient")})


@lru_cache(maxsize=None)
def net_module(mutant, net_layers):
    """two_layer_net.py with mutant applied (None: unchanged), built on net_layers (a CountingLayers of the
    reference), as the `net_class` fixture builds a submission's."""
    base = _base_net(net_layers)
    if mutant is None or mutant.file != "two_layer_net.py":
        return base
    return _with_mutant(base, "two_layer_net.py", mutant)


class Layers:
    """The `impl` of a check run on a mutant: impl.Relu, impl.softmax, ... from a (changed) layers.py module."""

    def __init__(self, module):
        self.module = module

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.module, name)


def mutated_source(mutant):
    """The text of mutant's file with mutant applied: a submission made of the reference changed in one place."""
    tree = ast.parse(_source(mutant.file))
    apply(tree, mutant.site)
    return ast.unparse(tree) + "\n"
