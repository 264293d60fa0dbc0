"""A learner's .py file or notebook, read for its definitions only.

Study scripts and notebooks load MNIST, train and plot when run. Grading needs only what they define, so each
top-level statement is sorted: imports, classes, functions and constant assignments are kept; everything else
(a training loop, a call, `x_train, t_train = load_mnist()`, IPython magics) is skipped and remembered, so the
report can say what did not run. Kept statements run one by one, so one that fails costs only the names it
would have bound.

Notebooks are read with json from the standard library: a notebook is a JSON object whose code cells hold
their source, which is all we need (nbformat would add validation we do not use).
"""

import __future__

import ast
import errno
import functools
import io
import json
import os
import re
import stat
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from .messages import msg

# Calls allowed in a constant: building a value, not doing work. np.float64(1e-7), OrderedDict(), range(10);
# not np.load("mnist.npy") or np.random.randn(60000, 784).
CONSTANT_CALLS = set(
    "int float complex str bytes bool tuple list dict set frozenset range slice len abs min max round "
    "OrderedDict defaultdict namedtuple collections.OrderedDict collections.defaultdict collections.namedtuple".split()
)
NUMPY_CONSTRUCTORS = set(
    "float16 float32 float64 int8 int16 int32 int64 uint8 bool_ dtype finfo iinfo array asarray zeros ones full "
    "empty eye identity arange linspace sqrt exp log".split()
)
CONSTANT_MODULES = {"math"}
_CONSTANT_NODES = tuple(
    getattr(ast, name)
    for name in "Constant Name Attribute Tuple List Set Dict BinOp UnaryOp BoolOp Compare IfExp Subscript Slice "
    "Starred keyword JoinedStr FormattedValue expr_context operator unaryop boolop cmpop Call Lambda".split()
)
# The largest file of each kind that is read at all: a learner's layers.py is a few kilobytes.
MAX_BYTES = {".py": 2_000_000, ".ipynb": 50_000_000}
_TOP_LEVEL_DEF = re.compile(r"^(?:class|def|async\s+def)\s+([A-Za-z_]\w*)", re.MULTILINE)
_RUN_MAGIC = re.compile(r"^%run\s+(?:-\w+\s+)*([\w./]+\.py)\s*$")
_MAGIC_LINE = re.compile(r"^\s*(?:[%!]|\?|[\w.]+\s*=\s*[%!]|[\w.]+\?{1,2}\s*$)")


@dataclass
class Statement:
    """One kept top-level statement: its AST, the filename to compile it under, and where a reader finds it."""

    node: ast.stmt
    filename: str
    cell: int = None  # for a notebook, the cell's place among all its cells (markdown too), from 1

    @property
    def line(self):
        return self.node.lineno


@dataclass
class Source:
    """What one file or notebook defines and what loading it for its definitions would skip."""

    path: Path
    notebook: bool
    kept: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (cell or None, first line, last line)
    magics: list = field(default_factory=list)  # (cell, line, the magic's first word)
    syntax_errors: list = field(default_factory=list)  # (cell or None, line, message, names it seemed to define)
    definitions: dict = field(default_factory=dict)  # name -> "class" or "function"
    classes: dict = field(default_factory=dict)  # class name -> its ClassDef node
    future_flags: int = 0
    runs: dict = field(default_factory=dict)  # a notebook's cell -> the execution count it was saved with (In [n])

    def where(self, cell, line):
        """Where a line of this file is, as a message: "line 12", "cell 5, line 2", or, for a cell saved after it
        ran, "cell 5 (In [3]), line 2": Jupyter shows no cell numbers, but a learner counts cells from the top
        and sees each one's In [n]."""
        if not cell:
            return msg("at_line", line=line)
        if cell in self.runs:
            return msg("at_cell_run_line", cell=cell, run=self.runs[cell], line=line)
        return msg("at_cell_line", cell=cell, line=line)

    def defines(self, name):
        return name in self.definitions

    def class_features(self, name):
        """Names class `name`'s body mentions (methods, attributes, globals), or an empty set for no class.
        Worked out only for a class that needs ranking against another definition of it."""
        node = self.classes.get(name)
        return _class_features(node) if node is not None else set()

    def names_in_syntax_errors(self):
        return {name for *_, names in self.syntax_errors for name in names}


_CELL = re.compile(r"#cell(\d+)(?:-in(\d+))?$")


def cell_filename(path, cell, run=None):
    """The filename code from a notebook cell is compiled under: tracebacks then name the notebook, the cell (its
    place among all the notebook's cells) and, for a cell saved after it ran, its execution count."""
    return f"{path}#cell{cell}" + (f"-in{run}" if run is not None else "")


def _kernel_cell(filename):
    """The execution count (In [n]) of the cell of this kernel whose code was compiled under filename, or None:
    check() in Jupyter grades objects whose code IPython compiled under a file name of its own."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    runs = getattr(getattr(shell, "compile", None), "_filename_map", None)  # what IPython's tracebacks read
    run = runs.get(filename) if isinstance(runs, dict) else None
    return run if type(run) is int else None


def location(filename, line, root):
    """A reader's location for a frame, as a message: "ch05/layers.py, line 12", "work.ipynb, cell 5, line 2"
    or "work.ipynb, cell 5 (In [3]), line 2"; for a cell run in this Jupyter kernel, "cell In [3], line 2"."""
    filename = str(filename)
    run = _kernel_cell(filename)
    if run is not None:
        return msg("where_run_line", run=run, line=line)
    cell = None
    match = _CELL.search(filename)
    if match:
        filename, cell = filename[: match.start()], int(match.group(1))
        run = int(match.group(2)) if match.group(2) else None
    path, root = Path(filename), Path(root)
    base = root if root.is_dir() else root.parent
    try:
        shown = path.relative_to(base).as_posix()
    except ValueError:
        shown = path.name
    shown = clipped_name(shown)
    if cell and run is not None:
        return msg("where_cell_run_line", file=shown, cell=cell, run=run, line=line)
    if cell:
        return msg("where_cell_line", file=shown, cell=cell, line=line)
    return msg("where_line", file=shown, line=line)


MAX_NAME_CHARS = 200


def clipped_name(name, limit=MAX_NAME_CHARS):
    """A file name as a message shows it: code may be compiled under any file name (200,000 characters, lines
    of its own), so it is put on one line and cut to limit characters, keeping its end (the file's own name)."""
    name = "".join(c if c.isprintable() else "?" for c in name[-4 * limit :])
    return name if len(name) <= limit else "..." + name[-(limit - 3) :]


def in_submission(filename, root):
    """Whether code compiled under filename belongs to the submission at root (a file, notebook or folder)."""
    return _within(_CELL.sub("", str(filename)), str(root))


@functools.lru_cache(maxsize=4096)
def _within(name, root):
    # Each failure's traceback passes through some 40 frames of pytest, pluggy and Hypothesis, each asked about:
    # resolving their files once, not once a failure, took a third of the CPU of grading the template.
    try:
        return Path(name).resolve().is_relative_to(Path(root).resolve())
    except (OSError, ValueError):
        return False


def _is_main_guard(node):
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _is_constant(expr):
    """An expression that builds a value without doing work: literals, names, arithmetic, np.float64(...)."""
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue  # its body runs only when it is called
        pending.extend(ast.iter_child_nodes(node))
        if not isinstance(node, _CONSTANT_NODES):
            return False
        if isinstance(node, ast.Call):
            callee = (_dotted(node.func) or "").split(".")
            numpy = callee[0] in ("np", "numpy") and len(callee) == 2 and callee[1] in NUMPY_CONSTRUCTORS
            if ".".join(callee) not in CONSTANT_CALLS and callee[0] not in CONSTANT_MODULES and not numpy:
                return False
    return True


def _names_bound_by(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
        return [e.id for e in target.elts]
    return None


def bound_names(node):
    """The top-level names a kept statement binds (for the failures of one that raises)."""
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.Import):
        return [a.asname or a.name.split(".")[0] for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [a.asname or a.name for a in node.names if a.name != "*"]
    if isinstance(node, ast.Assign):
        return [n for t in node.targets for n in (_names_bound_by(t) or [])]
    if isinstance(node, ast.AnnAssign):
        return _names_bound_by(node.target) or []
    names = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            names += bound_names(child)
    return names


def imported_packages(node):
    """The top-level packages code imports by absolute name: {"common", "numpy"} for `from common.layers import *`
    and `import numpy as np` anywhere under node."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in child.names}
        elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
            names.add(child.module.partition(".")[0])
    return names


def _is_sys_path_edit(node):
    """sys.path.append(os.pardir) and the like: the grader already makes those folders importable."""
    target = None
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        target = _dotted(node.value.func) or ""
        return target.startswith("sys.path.")
    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any((_dotted(t) or "") == "sys.path" for t in targets)
    return False


def _kind(node):
    """keep, skip (reported) or quiet (skipped, not worth a word: a main guard, a sys.path edit)."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Pass)):
        return "keep"
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return "keep"  # a docstring or a bare string
    if _is_sys_path_edit(node):
        return "quiet"
    if isinstance(node, ast.Assign):
        bound = [_names_bound_by(t) for t in node.targets]
        return "keep" if all(b is not None for b in bound) and _is_constant(node.value) else "skip"
    if isinstance(node, ast.AnnAssign):
        simple = isinstance(node.target, ast.Name)
        return "keep" if simple and (node.value is None or _is_constant(node.value)) else "skip"
    if isinstance(node, ast.If):
        if _is_main_guard(node):
            return "quiet"
        calls = any(isinstance(n, ast.Call) for n in ast.walk(node.test))
        branches = node.body + node.orelse
        return "keep" if not calls and all(_kind(s) == "keep" for s in branches) else "skip"
    if isinstance(node, ast.Try):
        parts = node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        return "keep" if all(_kind(s) == "keep" for s in parts) else "skip"
    return "skip"


def _class_features(node):
    """Names a class body mentions: its methods, self.<attr> it sets, and names it uses (Affine, lastLayer)."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(child.name)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
        elif isinstance(child, ast.Name):
            found.add(child.id)
    return found


def _definition_kind(node):
    if isinstance(node, ast.ClassDef):
        return "class"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return "function"
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
        return "function"
    if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)):
        return "alias"  # Relu = ReLU: a second name for something defined elsewhere
    return None


def _future_flags(tree):
    flags = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(__future__, alias.name, None)
                flags |= feature.compiler_flag if feature else 0
    return flags


def _add_tree(source, tree, filename, cell=None):
    source.future_flags |= _future_flags(tree)
    for node in tree.body:
        kind = _kind(node)
        if kind == "skip":
            source.skipped.append((cell, node.lineno, node.end_lineno or node.lineno))
            continue
        if kind == "quiet":
            continue
        source.kept.append(Statement(node, filename, cell))
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        what = _definition_kind(node)
        for name in bound_names(node) if what else ():
            source.definitions[name] = what
            if what == "class":
                source.classes[name] = node


def _syntax_error(source, text, exc, cell=None):
    names = tuple(_TOP_LEVEL_DEF.findall(text))
    source.syntax_errors.append((cell, exc.lineno or 0, f"{type(exc).__name__}: {exc.msg}", names))


def read_bounded(path, limit=None):
    """The bytes of the regular file at path, of at most limit bytes (MAX_BYTES for its kind by default); OSError
    for anything else. Whatever a submission holds under a source's name (a FIFO, a link to /dev/zero or to a
    device, a file of gigabytes) costs no wait and no more than limit bytes: it is opened without blocking,
    checked to be a regular file through the descriptor that is read (no race with a rename), and read no
    further than its limit, whatever its size says."""
    path = Path(path)
    limit = MAX_BYTES.get(path.suffix, MAX_BYTES[".py"]) if limit is None else limit
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path.name)
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", path.name)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", path.name)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_python(path):
    """The definitions of a .py file (a file that is not Python is one syntax error)."""
    path = Path(path)
    source = Source(path, notebook=False)
    try:
        text = decode(read_bounded(path))
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        _syntax_error(source, text, exc)
        return source
    except (ValueError, OSError, MemoryError, RecursionError) as exc:
        source.syntax_errors.append((None, 0, f"{type(exc).__name__}: {exc}", ()))
        return source
    _add_tree(source, tree, str(path))
    return source


def decode(data):
    """The text of a source file: in the encoding its coding cookie names, else UTF-8, else Shift JIS (the
    book is Japanese, and so are many learners' editors), else Latin-1, which decodes anything."""
    try:
        declared, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        declared = "utf-8"
    for encoding in (declared, "utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def _run_as_import(line):
    """`%run layers.py` (or sub/layers.py) as the import that brings in the same definitions, or None."""
    match = _RUN_MAGIC.match(line)
    if not match:
        return None
    parts = Path(match.group(1)).with_suffix("").parts
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return f"from {'.'.join(parts)} import *"


def _strip_magics(text, cell, magics):
    """The cell's code with IPython-only lines (%magic, !shell, x = !cmd, obj?) blanked, keeping line numbers.

    `%run file.py` at the top of a cell runs a file into the notebook's namespace: it becomes a star import of
    that file, which loads its definitions (and only those) as any import from the submission does.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _run_as_import(line):
            lines[i] = _run_as_import(line)
        elif _MAGIC_LINE.match(line):
            marker = re.search(r"[%!?]+[^\s%!?]*", line)
            magics.append((cell, i + 1, marker.group(0) if marker else line.strip()))
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + "pass"
    return "\n".join(lines)


def code_cells(path):
    """A notebook's code cells, in order, as (place, execution count or None, source): place counts every cell
    from 1, markdown ones too, as a learner counts them from the top (nbformat 4 keeps a cell's source as a list
    of lines; nbformat 3 its count as prompt_number)."""
    data = json.loads(read_bounded(path).decode("utf-8"))
    if "cells" not in data:  # nbformat 3 keeps its cells in worksheets
        data = {"cells": [c for w in data.get("worksheets", []) for c in w.get("cells", [])]}
    cells = []
    for place, cell in enumerate(data["cells"], 1):
        if cell.get("cell_type") == "code":
            text = cell.get("source", cell.get("input", ""))
            run = cell.get("execution_count", cell.get("prompt_number"))
            cells.append((place, run if type(run) is int else None, "".join(text) if isinstance(text, list) else text))
    return cells


def notebook_cells(path):
    """The code cells of a notebook, in order, as strings."""
    return [text for _, _, text in code_cells(path)]


def read_notebook(path):
    """The definitions of a notebook's code cells, in order; magics and cell magics are skipped and remembered.

    A cell is first parsed as it is: only one that is not Python has its IPython lines blanked, so a string
    that happens to hold a line starting with % or ! is never touched.
    """
    path = Path(path)
    source = Source(path, notebook=True)
    try:
        cells = code_cells(path)
    except (ValueError, OSError, KeyError, TypeError, AttributeError, MemoryError, RecursionError) as exc:
        source.syntax_errors.append((None, 0, f"{type(exc).__name__}: {exc}", ()))
        return source
    for number, run, text in cells:
        if run is not None:
            source.runs[number] = run
        if text.lstrip().startswith("%%"):
            # A cell magic (%%time, %%writefile, %%bash) makes the whole cell IPython's, not Python.
            source.magics.append((number, 1, text.lstrip().split()[0]))
            continue
        filename = cell_filename(path, number, run)
        try:
            tree = ast.parse(text, filename=filename)
        except SyntaxError:
            stripped = _strip_magics(text, number, source.magics)
            try:
                tree = ast.parse(stripped, filename=filename)
            except SyntaxError as exc:
                _syntax_error(source, text, exc, number)
                continue
        _add_tree(source, tree, filename, number)
    return source


def read(path):
    path = Path(path)
    return read_notebook(path) if path.suffix == ".ipynb" else read_python(path)


@dataclass
class LoadFailure:
    """A kept statement that raised: what it would have bound, where, and the error."""

    line: int
    cell: int
    error: str
    is_import: bool
    missing: str = None  # the module a failed import did not find


def execute(source, namespace):
    """Run source's kept statements in namespace one at a time; {name: LoadFailure} for the ones that raised."""
    failures = {}
    for statement in source.kept:
        module = ast.Module(body=[statement.node], type_ignores=[])
        try:
            code = compile(module, statement.filename, "exec", flags=source.future_flags, dont_inherit=True)
            exec(code, namespace)
        except BaseException as exc:  # a submission may raise anything while loading, SystemExit included
            failure = LoadFailure(
                statement.line,
                statement.cell,
                f"{type(exc).__name__}: {exc}",
                isinstance(statement.node, (ast.Import, ast.ImportFrom)),
                exc.name if isinstance(exc, ModuleNotFoundError) else None,
            )
            for name in bound_names(statement.node) or ["*"]:
                failures[name] = failure
        else:
            for name in bound_names(statement.node):
                failures.pop(name, None)  # a later definition that works replaces one that failed
    return failures


def is_stdlib(module_name):
    return module_name.split(".")[0] in sys.stdlib_module_names


# How far a submission's folder is looked into: levels of folders below it, and folders in all. A learner's
# repository is a few levels deep; 1,100 nested folders are not a submission but an attack on the walk.
MAX_DEPTH = 32
MAX_FOLDERS = 10_000


def walk(top, cut=None):
    """(folder, sub-folder names, other names) for top and each folder below it, top-down and sorted, as os.walk
    gives them (the caller may prune the sub-folder names in place) but without recursion, which Python 3.11's
    os.walk uses (1,100 nested folders overflow its stack), and bounded: a folder more than MAX_DEPTH levels
    below top, or past MAX_FOLDERS in all, is not entered. Links to folders are listed with the other names and
    never followed. cut, a set if given, gets "depth" or "count" when a bound left something out."""
    stack = [(os.fspath(top), 0)]
    entered = 0
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        except OSError:
            continue
        entered += 1
        folders = sorted(name for name, is_dir in listed if is_dir)
        others = sorted(name for name, is_dir in listed if not is_dir)
        yield folder, folders, others
        if folders and depth >= MAX_DEPTH:
            if cut is not None:
                cut.add("depth")
            continue
        room = MAX_FOLDERS - entered - len(stack)
        if len(folders) > room and cut is not None:
            cut.add("count")
        stack += [(os.path.join(folder, name), depth + 1) for name in reversed(folders[: max(room, 0)])]
