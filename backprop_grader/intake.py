"""Grade the work where learners have it: a loose file, a study repository, a folder of files, a notebook.

`load(path)` gives the same interface as loader.Implementation: impl.Relu, impl.softmax, ... and
impl.two_layer_net_on(ref). The book's names are found wherever they are defined under path (sources.py reads
each .py file and notebook for its definitions without running its training loop); where one is defined twice,
the likeliest file is graded and a note says how to pick another (--use Relu=path). A name that is missing but
has a close variant (ReLU, soft_max, ReluLayer) fails with a message naming what was found.

Imports between the learner's files work as in their own scripts, where sys.path.append(os.pardir) makes the
folder and the ones above it importable: a finder on sys.meta_path serves the submission's modules, loaded for
their definitions too, while the submission is being loaded, and nowhere else. The submission's modules are
kept out of sys.modules in between, so two submissions (or a submission and the suite's own helpers) with a
`layers.py` each never see each other's.
"""

import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import itertools
import json
import keyword
import os
import re
import sys
import sysconfig
import types
from contextlib import contextmanager
from pathlib import Path

from . import sources
from .book import ALL_CLASSES, ALL_NAMES, BY_NAME, GRADED_ELSEWHERE, LAYER_OF, graded_elsewhere, names_of
from .names import as_aliases, closest, kind_of, likeness, wrap
from .results import Note, SubmissionError

SKIP_DIRS = {"__pycache__", "site-packages", "node_modules", "venv", "env", "build", "dist", "__MACOSX"}
MAX_FILES = 1000
MAX_BYTES = sources.MAX_BYTES
# The notes the loader makes (self._note below): the only ones a worker's reply may bring to a report.
NOTE_KEYS = frozenset(
    {"note_alias", "note_folders_cut", "note_graded_choice", "note_graded_choices", "note_skipped_statements",
     "note_skipped_cells", "note_skipped_magics", "note_syntax_error", "note_import_failed", "note_import_beside"}
)
CHAPTER_5 = re.compile(r"(?i)(^|[^0-9])0*5([^0-9]|$)|backprop")

_counter = itertools.count()
_PROTECTED = tuple(
    {str(Path(sysconfig.get_paths()[k]).resolve()) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
) + (str(Path(__file__).resolve().parent),)


def _skipped_dir(name):
    return name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info")


def discover(path, cut=None):
    """The .py files and notebooks at path (a file, or a folder searched below, sources.walk's bounds apply), in a
    stable order; cut (a set) gets what a bound left out."""
    path = Path(path)
    if path.is_file():
        return [path]
    found = []
    for directory, subdirs, files in sources.walk(path, cut):
        subdirs[:] = sorted(d for d in subdirs if not _skipped_dir(d))
        for name in sorted(files):
            file = Path(directory) / name
            limit = MAX_BYTES.get(file.suffix)
            # is_file: no broken link, no FIFO (and sources.read_bounded reads a regular file only, within limit)
            if limit and file.is_file() and file.stat().st_size <= limit:
                found.append(file)
        if len(found) >= MAX_FILES:
            break
    return found[:MAX_FILES]


def _shadowable(module):
    """A module the submission's own of the same name hides while it loads: not the stdlib's, an installed
    package's or the grader's, but the suite's helpers (checks, strategies) or another submission's."""
    file = getattr(module, "__file__", None)
    return bool(file) and not str(Path(file).resolve()).startswith(_PROTECTED)


def _ranges(lines):
    """[3, 4, 5, 9] -> "3-5, 9"."""
    groups = []
    for line in sorted(set(lines)):
        if groups and line <= groups[-1][1] + 1:
            groups[-1][1] = max(groups[-1][1], line)
        else:
            groups.append([line, line])
    return ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in groups)


def _function_of(value):
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    return value


def _rebound(value, old, new):
    """value (a method, static/class method or property) with new globals where it had old ones."""
    if isinstance(value, types.FunctionType):
        if value.__globals__ is not old:
            return value
        copy = types.FunctionType(value.__code__, new, value.__name__, value.__defaults__, value.__closure__)
        copy.__kwdefaults__ = value.__kwdefaults__
        copy.__qualname__ = value.__qualname__
        copy.__doc__ = value.__doc__
        copy.__dict__.update(value.__dict__)
        copy.__module__ = value.__module__
        return copy
    if isinstance(value, (staticmethod, classmethod)):
        return type(value)(_rebound(value.__func__, old, new))
    if isinstance(value, property):
        parts = (None if f is None else _rebound(f, old, new) for f in (value.fget, value.fset, value.fdel))
        return property(*parts, value.__doc__)
    return value


def rebind(cls, replace):
    """A copy of cls whose methods see replace(their module's globals) instead: same code, other names."""
    functions = [_function_of(v) for v in vars(cls).values()]
    functions = [f for f in functions if isinstance(f, types.FunctionType)]
    if not functions:
        return cls
    old = functions[0].__globals__
    new = replace(old)
    body = {k: _rebound(v, old, new) for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    slots = body.get("__slots__", ())
    for slot in [slots] if isinstance(slots, str) else slots:
        body.pop(slot, None)
    copy = type(cls)(cls.__name__, cls.__bases__, body)
    copy.__qualname__ = cls.__qualname__
    return copy


class BookNames:
    """The book's names from somewhere (a folder, a notebook's namespace): impl.Relu, impl.softmax, ...

    A subclass says where a name comes from (_object); this class wraps classes so that a misspelt member gets
    a hint, caches what it found (or the SubmissionError explaining why not), keeps the notes, and builds the
    submission's TwoLayerNet on another implementation's layers.
    """

    def __init__(self, label, aliases):
        self.label = label
        self.aliases = as_aliases(aliases)
        self.notes = []
        self._note_keys = set()
        self._found = {}
        self._their_book = {theirs: book for book, theirs in self.aliases.names.items()}

    def _object(self, book):
        """(the object the submission has for book, where it is for a message); SubmissionError if none."""
        raise NotImplementedError

    def _note(self, key, layer=None, **params):
        # A param may be a message (a dict, as where= is), so the identity is the params' JSON.
        identity = (key, layer, json.dumps(params, sort_keys=True, default=str))
        if identity not in self._note_keys:
            self._note_keys.add(identity)
            self.notes.append(Note(key, params, layer))

    def _lookup(self, book):
        if book not in self._found:
            try:
                raw, origin = self._object(book)
            except SubmissionError as exc:
                self._found[book] = exc
            else:
                graded = raw
                if book == "TwoLayerNet" and self.aliases.members:
                    graded = rebind(raw, self._with_member_aliases)
                shown = wrap(graded, book, origin, self.aliases) if isinstance(graded, type) else graded
                self._found[book] = (raw, shown, origin)
                theirs = self.aliases.name_for(book)
                if theirs != book:
                    self._note("note_alias", LAYER_OF.get(book), name=book, theirs=theirs)
        found = self._found[book]
        if isinstance(found, SubmissionError):
            raise found.fresh()
        return found

    def __getattr__(self, name):
        if name.startswith("_") or name not in ALL_NAMES:
            raise AttributeError(name)
        return self._lookup(name)[1]

    def _with_member_aliases(self, namespace):
        """namespace with the learner's own layer classes served as graded (Affine.dW=dw applies in their net
        too), so that their net on their own layers runs as their layers are graded."""
        graded = {}
        for book in {c for c, _ in self.aliases.members} & set(GRADED_ELSEWHERE):
            try:
                raw, shown, _ = self._lookup(book)
            except SubmissionError:
                continue
            graded[id(raw)] = shown
        return {key: graded.get(id(value), value) for key, value in namespace.items()}

    def _book_name_of(self, key, value, names):
        """The book name of names a global of the learner's net stands for (Relu, ReLU, an alias, a class named
        Dense)."""
        is_class = isinstance(value, type)
        if not (is_class or isinstance(value, types.FunctionType)):
            return None
        for name in (key, getattr(value, "__name__", None)):
            if not isinstance(name, str):
                continue
            book = name if name in names else self._their_book.get(name)
            if book in names and (book in ALL_CLASSES) == is_class:
                return book
            kin = [(likeness(b, name), b) for b in names if (b in ALL_CLASSES) == is_class]
            kin = [k for k in kin if k[0] is not None]
            if kin:
                return min(kin)[1]
        return None

    def _is_own_module(self, module):
        return _shadowable(module)

    def _on(self, namespace, ref, names, depth=1):
        """namespace with every name that stands for one of names (graded layers or functions) replaced by ref's."""
        new = dict(namespace)
        for key, value in namespace.items():
            if key.startswith("__"):
                continue
            book = self._book_name_of(key, value, names)
            if book is not None:
                new[key] = getattr(ref, book)
            elif depth and isinstance(value, types.ModuleType) and self._is_own_module(value):
                # `import layers as L` then L.Affine(...): the module is copied with the same replacements.
                copy = types.ModuleType(value.__name__)
                copy.__dict__.update(self._on(vars(value), ref, names, depth - 1))
                new[key] = copy
        # A net whose layers never reached its namespace (a failed import, %run in a notebook) is still graded.
        for book in names:
            if book not in new:
                try:
                    new[book] = getattr(ref, book)
                except (AttributeError, SubmissionError):  # a reference without it: nothing to stand in for
                    continue
        return new

    def two_layer_net_on(self, ref):
        """The submission's TwoLayerNet with the layers (and softmax, numerical_gradient) it uses taken from ref,
        so a bug in this submission's own layers costs points under that layer only, not under TwoLayerNet."""
        return self.on_reference("TwoLayerNet", ref)

    def on_reference(self, name, ref):
        """The submission's name (book.BUILT_ON) with what it uses of book.graded_elsewhere(name) taken from ref:
        Convolution on ref's im2col and col2im, SimpleConvNet on ref's layers."""
        raw, _, origin = self._lookup(name)
        return wrap(rebind(raw, lambda g: self._on(g, ref, graded_elsewhere(name))), name, origin, self.aliases)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the submission's modules in the folders its files may import from, for definitions-only loading."""

    def __init__(self, intake):
        self.intake = intake

    def find_spec(self, fullname, path=None, target=None):
        intake = self.intake
        if path is None:
            if sources.is_stdlib(fullname):
                return None
            folders = intake._roots[-1] if intake._roots else [intake.root]
        else:
            folders = [Path(p) for p in path if intake._owns(Path(p))]
        short = fullname.rpartition(".")[2]
        if path is None and fullname == intake.root.name and not intake.single:
            # The graded folder imported by its own name, as the learner's scripts in the folder above do
            # (`python grader.py common` on the book's common/layers.py: from common.functions import *).
            init = intake.root / "__init__.py"
            return self._spec(fullname, init if init.is_file() else None, intake.root)
        for folder in folders:
            if (folder / short / "__init__.py").is_file():
                return self._spec(fullname, folder / short / "__init__.py", folder / short)
            if (folder / f"{short}.py").is_file():
                return self._spec(fullname, folder / f"{short}.py")
        for folder in folders:
            if (folder / short).is_dir() and not _skipped_dir(short):
                return self._spec(fullname, None, folder / short)  # a folder of modules without __init__.py
        return None

    def _spec(self, fullname, file, package=None):
        loader = _DefinitionsLoader(self.intake, file)
        spec = importlib.machinery.ModuleSpec(
            fullname, loader, origin=str(file) if file else None, is_package=bool(package)
        )
        if package is not None:
            spec.submodule_search_locations = [str(package)]
        spec.has_location = file is not None
        return spec


class _DefinitionsLoader(importlib.abc.Loader):
    def __init__(self, intake, file):
        self.intake = intake
        self.file = file

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if self.file is not None:
            self.intake._exec(Path(self.file), module)
        self.intake._modules[module.__name__] = module


class Intake(BookNames):
    """The book's names from a file, a notebook or a folder of them, loaded for their definitions."""

    def __init__(self, path, aliases=None, use=None, label=None, beside=None):
        self.path = Path(path).resolve()
        single = self.path.is_file()
        super().__init__(label or self.path.stem, aliases)
        self.root = self.path.parent if single else self.path
        # As the learner's own sys.path.append(os.pardir) would: a lone file may import from the folder above.
        self.top = self.root.parent if single else self.root
        self.single = single
        cut = set()
        self.sources = {p.resolve(): sources.read(p) for p in discover(self.path, cut)}
        if cut:  # folders nested without end, or by the thousand: what lies beyond is not looked at
            self._note("note_folders_cut", folder=self.root.name, depth=sources.MAX_DEPTH, count=sources.MAX_FOLDERS)
        self.use = self._parse_use(use)
        self._parsed = dict(self.sources)
        self._modules = {}
        self._loaded = {}
        self._roots = []
        self._finder = _Finder(self)
        self._package = self._root_package()
        self._names_here = self._importable_names()
        self._beside_found = self._beside_imports(beside)

    # ---- where the book's names are

    def _parse_use(self, use):
        chosen = {}
        for spec in use or ():
            book, sep, file = (part.strip() for part in spec.partition("="))
            if not sep or book not in ALL_NAMES:
                raise ValueError(
                    f"--use {spec!r}: expected BOOK=FILE, e.g. Relu=ch05/relu.py, BOOK one of {', '.join(ALL_NAMES)}"
                )
            path = Path(file)
            candidates = [path] if path.is_absolute() else [self.root / path, Path.cwd() / path]
            chosen[book] = next((p.resolve() for p in candidates if p.is_file()), (self.root / path).resolve())
        return chosen

    def _shown(self, path):
        """A path as the learner knows it: relative to the folder graded."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _rank(self, source, book):
        """Sort key of the files defining book: the fullest definition, a .py before a notebook, the file with
        most of the book's names (common/layers.py), the file the book keeps it in (gradient.py), one in a
        chapter-5 folder, the shallowest, then by name."""
        features = source.class_features(self.aliases.name_for(book))
        members = sum(m in features for m in BY_NAME[book].members or ())
        if book == "TwoLayerNet":
            members += sum(n in features for n in ("Affine", "Relu", "SoftmaxWithLoss", "OrderedDict"))
        rel = Path(self._shown(source.path))
        chapter5 = any(CHAPTER_5.search(part) for part in rel.parts)
        defined = sum(source.defines(self.aliases.name_for(n)) for n in names_of(BY_NAME[book].chapter))
        book_file = source.path.stem in BY_NAME[book].book_files
        return (-members, source.notebook, -defined, not book_file, not chapter5, len(rel.parts), rel.as_posix())

    def _note_choice(self, book, files):
        """Say which of several files defining book was graded; names chosen between the same files share a note
        (the book's own repository keeps every layer in common/layers.py and again in a notebook)."""
        chosen, others = files[0], ", ".join(files[1:])
        for note in self.notes:
            if note.key in ("note_graded_choice", "note_graded_choices") and (
                note.params["chosen"],
                note.params["others"],
            ) == (chosen, others):
                note.key, note.layer = "note_graded_choices", None
                note.params["names"] = f"{note.params.get('names', note.params['name'])}, {book}"
                return
        self._note(
            "note_graded_choice",
            LAYER_OF.get(book),
            name=book,
            count=len(files),
            chosen=chosen,
            others=others,
            example=files[1],
        )

    def _kind_matches(self, book, what):
        return what == "alias" or (what == "class") == (book in ALL_CLASSES)

    def _find(self, book):
        """(source, the name to take from it) for book, or SubmissionError saying what was found instead."""
        if not self.path.exists():
            raise SubmissionError("no_such_path", path=str(self.path))
        theirs = self.aliases.name_for(book)
        kind = kind_of(book)
        if book in self.use:
            path = self.use[book]
            if not path.is_file():
                raise SubmissionError("use_missing", name=book, file=self._shown(path))
            source = self._parsed.setdefault(path, sources.read(path))
            if not source.defines(theirs) and theirs not in self._load(source)[0]:
                raise SubmissionError("use_not_defined", name=book, theirs=theirs, file=self._shown(path))
            return source, theirs
        candidates = sorted((s for s in self.sources.values() if s.defines(theirs)), key=lambda s: self._rank(s, book))
        if candidates:
            if len(candidates) > 1:
                self._note_choice(book, [self._shown(s.path) for s in candidates])
            return candidates[0], theirs
        if self.single and self.sources:
            source = next(iter(self.sources.values()))
            if theirs in self._load(source)[0]:
                return source, theirs  # imported into the file from another one
        if theirs != book:
            raise SubmissionError("alias_not_found", kind=kind, name=book, theirs=theirs, where=self._shown(self.path))
        self._raise_missing(book, kind)

    def _raise_missing(self, book, kind):
        near = []
        for source in self.sources.values():
            names = [n for n, what in source.definitions.items() if self._kind_matches(book, what)]
            found = closest(book, names)
            if found is not None:
                near.append((likeness(book, found), self._rank(source, book), found, source))
        if near:
            _, _, found, source = min(near, key=lambda n: n[:2])
            raise SubmissionError("renamed", kind=kind, name=book, found=found, file=self._shown(source.path))
        for source in self.sources.values():
            for cell, line, error, names in source.syntax_errors:
                if book in names:
                    where = source.where(cell, line)
                    raise SubmissionError(
                        "definition_syntax_error", name=book, file=self._shown(source.path), where=where, error=error
                    )
        if self.single:
            raise SubmissionError("not_defined_in_file", kind=kind, name=book, file=self.path.name)
        raise SubmissionError("not_defined_in_folder", kind=kind, name=book, where=f"{self.path.name}/")

    def _object(self, book):
        source, theirs = self._find(book)
        namespace, failures = self._load(source)
        failure = failures.get(theirs)
        if failure is not None:
            raise SubmissionError(
                "definition_failed",
                name=theirs,
                file=self._shown(source.path),
                where=source.where(failure.cell, failure.line),
                error=failure.error,
            )
        if theirs not in namespace:
            raise SubmissionError(
                "not_defined_in_file",
                kind=kind_of(book),
                name=theirs,
                file=self._shown(source.path),
            )
        return namespace[theirs], self._shown(source.path)

    # ---- loading, definitions only

    def _owns(self, folder):
        try:
            return folder.resolve().is_relative_to(self.top)
        except OSError:
            return False

    def _import_roots(self, path):
        """The folders path's code may import from: its own, then each one above it up to the top."""
        folders = [path.parent]
        while folders[-1] != self.top and folders[-1].is_relative_to(self.top) and folders[-1] != folders[-1].parent:
            folders.append(folders[-1].parent)
        return folders

    def _importable_names(self):
        """Top-level module names the submission's folders provide, which its modules hide while it loads."""
        folders = {self.top, self.root} | {p.parent for p in self.sources}
        names = set()
        for folder in folders:
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            names |= {e.stem for e in entries if e.suffix == ".py"} | {e.name for e in entries if e.is_dir()}
        return names

    def _root_package(self):
        """A template-shaped folder imports its siblings relatively (from .layers import ...): then the folder
        itself is loaded as a package, under a name of its own."""
        relative = any(
            isinstance(s.node, ast.ImportFrom) and s.node.level > 0
            for source in self.sources.values()
            if source.path.parent == self.root and not source.notebook
            for s in source.kept
        )
        if not relative:
            return None
        name = f"_intake_{next(_counter)}"
        package = types.ModuleType(name)
        package.__path__ = [str(self.root)]
        package.__package__ = name
        self._modules[name] = package
        return name

    def _module_name(self, source):
        """The name a file is imported under: ch05.two_layer_net from the folder graded, as the learner's own
        imports would, or a name of its own where that cannot be (a notebook, a name that is not Python)."""
        if source.notebook or not source.path.is_relative_to(self.root):
            return None
        parts = list(source.path.relative_to(self.root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if not parts or not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
            return None
        if self._package and len(parts) == 1:
            return f"{self._package}.{parts[0]}"
        if sources.is_stdlib(parts[0]):
            return None
        return ".".join(parts)

    @contextmanager
    def _importing(self):
        """While loading: this submission's modules in sys.modules and its finder first on sys.meta_path."""
        stashed = {}
        for name in list(sys.modules):
            if (
                name.partition(".")[0] in self._names_here
                and name not in self._modules
                and _shadowable(sys.modules[name])
            ):
                stashed[name] = sys.modules.pop(name)
        sys.modules.update(self._modules)
        sys.meta_path.insert(0, self._finder)
        try:
            yield
        finally:
            sys.meta_path.remove(self._finder)
            for name, module in self._modules.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
            sys.modules.update(stashed)

    def _load(self, source):
        """(namespace, failures) of source, loaded once for its definitions."""
        if source.path not in self._loaded:
            name = self._module_name(source)
            with self._importing():
                if name is not None:
                    try:
                        importlib.import_module(name)
                    except BaseException:  # a name the finder could not serve: load it under one of its own
                        pass
                if source.path not in self._loaded:
                    stem = source.path.stem if source.path.stem.isidentifier() else "file"
                    module = types.ModuleType(f"_intake_{stem}_{next(_counter)}")
                    module.__file__ = str(source.path)
                    self._exec(source.path, module)
                    self._modules[module.__name__] = module
        return self._loaded[source.path]

    def _exec(self, path, module):
        source = self._parsed.get(path)
        if source is None:
            source = self._parsed[path] = sources.read(path)
        module.__dict__.setdefault("__builtins__", builtins)
        self._roots.append(self._import_roots(path))
        try:
            failures = sources.execute(source, module.__dict__)
        finally:
            self._roots.pop()
        self._loaded[path] = (module.__dict__, failures)
        self._note_loaded(source, failures)

    def _note_loaded(self, source, failures):
        file = self._shown(source.path)
        if source.skipped:
            if source.notebook:
                cells = _ranges(cell for cell, _, _ in source.skipped)
                self._note("note_skipped_cells", file=file, count=len(source.skipped), cells=cells)
            else:
                lines = [n for _, first, last in source.skipped for n in range(first, last + 1)]
                self._note("note_skipped_statements", file=file, count=len(source.skipped), lines=_ranges(lines))
        if source.magics:
            magics = ", ".join(dict.fromkeys(word for _, _, word in source.magics))
            self._note(
                "note_skipped_magics", file=file, magics=magics, cells=_ranges(cell for cell, _, _ in source.magics)
            )
        for cell, line, error, _ in source.syntax_errors:
            self._note("note_syntax_error", file=file, where=source.where(cell, line), error=error)
        for failure in {id(f): f for f in failures.values() if f.is_import}.values():
            self._note(
                "note_import_failed", file=file, where=source.where(failure.cell, failure.line), error=failure.error
            )
            beside = self._beside(failure.missing)
            if beside is not None:
                self._note(
                    "note_import_beside",
                    module=beside.name,
                    folder=self.top.name,
                    parent=str(beside.parent),
                    command=f"python grader.py {beside.parent}",
                )

    def _beside(self, missing):
        """The folder or file outside the graded folder that a failed import wanted: the learner pointed the
        grader at ch05/ of a repository whose ch05 scripts import common/ from the folder above."""
        return self._beside_found.get(missing.partition(".")[0]) if missing else None

    def _beside_imports(self, beside=None):
        """{name: path} of the folders and files beside the graded folder that its files import by name, looked
        for now, before any of its code runs. beside: what beside_entries listed there before a sandbox hid it
        (a sandboxed worker sees only the submission, isolation/namespaces.py, and reads it only in there)."""
        names = set().union(
            *(sources.imported_packages(s.node) for source in self.sources.values() for s in source.kept)
        )
        if beside is not None:
            return {name: Path(beside[name]) for name in sorted(names) if name in beside}
        found = {}
        for name in sorted(names):
            for candidate in (self.top.parent / name, self.top.parent / f"{name}.py"):
                if candidate.exists() and candidate != self.top:
                    found[name] = candidate
                    break
        return found

    def _is_own_module(self, module):
        return any(m is module for m in self._modules.values())


class NamespaceImplementation(BookNames):
    """The book's names from a namespace in memory: a notebook's, for check() in the learner's own kernel."""

    def __init__(self, namespace, aliases=None, label="notebook"):
        super().__init__(label, aliases)
        self.namespace = namespace

    def _object(self, book):
        theirs = self.aliases.name_for(book)
        if theirs in self.namespace:
            return self.namespace[theirs], None
        kind = kind_of(book)
        names = [
            k
            for k, v in self.namespace.items()
            if not k.startswith("_") and callable(v) and isinstance(v, type) == (book in ALL_CLASSES)
        ]
        found = closest(book, names)
        if found is not None:
            raise SubmissionError("renamed_inline", kind=kind, name=book, found=found)
        raise SubmissionError("not_defined_inline", kind=kind, name=book)


def beside_entries(path, limit=10_000):
    """{name: path} of what a submission at path could import from beside its top folder (a folder or a
    name.py, a folder winning as Intake._beside_imports has it), by listing that folder only: nothing is
    read. For a worker to take into its sandbox, where nothing beside the submission is."""
    path = Path(path).resolve()
    single = path.is_file()
    root = path.parent if single else path
    top = root.parent if single else root
    found, files = {}, {}
    try:
        with os.scandir(top.parent) as listing:
            for entry in itertools.islice(listing, limit):
                candidate = Path(entry.path)
                if candidate == top:
                    continue
                if entry.name.endswith(".py") and entry.name[:-3].isidentifier():
                    files[entry.name[:-3]] = str(candidate)
                elif entry.name.isidentifier():
                    found[entry.name] = str(candidate)
    except OSError:
        return {}
    return {**files, **found}


def load(path, aliases=None, use=None, label=None, beside=None):
    return Intake(path, aliases, use, label, beside)
