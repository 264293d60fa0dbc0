"""The package reads as its architecture: submission -> checks -> results -> reports, data flowing one way.

Each test names what a change got wrong when it fails: an import circle (two modules that can only be understood
together), a report that reaches into the isolation package, a second list of the book's names."""
import ast
from pathlib import Path

import pytest

import backprop_grader
from backprop_grader.book import CHAPTERS, layers_of, names_of

PACKAGE = Path(backprop_grader.__file__).resolve().parent


def _modules():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(("backprop_grader.checks", "backprop_grader.reference", "backprop_grader.student")):
            found[name] = path
    return found


def _imports(name, path, modules):
    """The package's modules that module name imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & modules.keys()
            found |= submodules
            if target in modules and len(submodules) < len(node.names):
                found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & modules.keys()
    return found - {name}


@pytest.fixture(scope="module")
def graph():
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_no_module_imports_one_that_imports_it_back(graph):
    """An import circle: two modules that each need the other (intake, loader and names once did)."""
    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    circles = sorted(name for name in graph if name in reach(name))
    assert circles == []


def test_reports_are_functions_of_results(graph):
    """A report that imports the isolation package (to word a sandbox status) depends on how code ran."""
    reports = {name: deps for name, deps in graph.items() if name.startswith("backprop_grader.report")}
    assert {name: sorted(d for d in deps if d.startswith(("backprop_grader.isolation", "backprop_grader.run")))
            for name, deps in reports.items()} == dict.fromkeys(reports, [])


def test_the_books_names_are_listed_once():
    """A second list of the layers beside book.py's table (a loader's, an intake's, a marker list) drifts from it."""
    listed = []
    for path in set(PACKAGE.rglob("*.py")) - {PACKAGE / "book.py"}:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                names = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
                if any(len(names & set(names_of(c))) >= len(layers_of(c)) - 1 for c in CHAPTERS):
                    listed.append(path.relative_to(PACKAGE).as_posix())
    assert listed == []
