"""Load a submission: impl.Relu, impl.softmax, ... and impl.two_layer_net_on(ref), whatever its shape.

A directory shaped like student_template/ (layers.py at its top) is loaded as a package, one module at a time.
Anything else (a loose file, a study repository, a folder of files, a notebook) goes through intake.py, which
finds the book's names wherever they are defined and loads them for their definitions only.

A module that fails to import, or a name it does not define, turns into a SubmissionError raised where a check
asks for that name, so one broken file costs only the checks that need it.
"""
import ast
import importlib
import importlib.util
import itertools
import re
import sys
import traceback
import types
from pathlib import Path

from . import intake
from .book import ALL_CLASSES, BUILT_ON, MODULE_OF
from .messages import msg
from .names import as_aliases, closest, kind_of, wrap
from .results import SubmissionError
from .sources import decode, imported_packages, in_submission, location, read_bounded

_counter = itertools.count()


def where_in_submission(exc, root):
    """The deepest frame of exc's traceback inside the submission at root, as a reader's location, or None."""
    if root is None:
        return None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if in_submission(f.filename, root)]
    return location(frames[-1].filename, frames[-1].lineno, root) if frames else None


def _describe_import_error(exc, path):
    """The error and where in the submission it was raised, for a message without our internals."""
    where = where_in_submission(exc, path) or msg("where_unknown")
    if isinstance(exc, SyntaxError) and exc.filename:
        # str(SyntaxError) repeats the file and line that where already gives.
        where = location(exc.filename, exc.lineno, path)
        return {"error": f"{type(exc).__name__}: {exc.msg}", "where": where}
    return {"error": f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, "where": where}


def _new_package(directory, label):
    """A fresh, uniquely named package whose submodules are the .py files of directory. A chapter's folder inside a
    folder of chapter 5's files (the template's chapter7/, the reference's) is a subpackage of that folder's, so
    that `from ..layers import Affine` finds chapter 5's layers as it does in place."""
    name = f"_impl_{label}_{next(_counter)}"
    directory = Path(directory)
    if _CHAPTER_FOLDER.fullmatch(directory.name) and (directory.parent / "layers.py").is_file():
        parent = _package(name, [str(directory.parent)])
        package = _package(f"{name}.{directory.name}", [str(directory)])
        setattr(parent, directory.name, package)
        return package
    return _package(name, [str(directory)])


_CHAPTER_FOLDER = re.compile(r"chapter\d+")


def _package(name, path):
    package = types.ModuleType(name)
    package.__path__ = path
    package.__package__ = name
    sys.modules[name] = package
    return package


class Implementation:
    """The book's names from one directory: impl.Relu, impl.TwoLayerNet, ... loaded on first use."""

    def __init__(self, directory, label=None, aliases=None):
        self.directory = Path(directory).resolve()
        self.root = self.directory
        self.label = label or self.directory.name
        self.aliases = as_aliases(aliases)
        self.notes = []
        self._package = None
        self._modules = {}
        self._wrapped = {}

    def _module(self, module_name):
        if module_name not in self._modules:
            path = self.directory / f"{module_name}.py"
            if not path.is_file():
                self._modules[module_name] = SubmissionError("missing_file", file=path.name)
            else:
                if self._package is None:
                    self._package = _new_package(self.directory, "".join(c for c in self.label if c.isalnum()))
                self._modules[module_name] = self._import(module_name)
        found = self._modules[module_name]
        if isinstance(found, SubmissionError):
            # A fresh exception each time: re-raising one instance grows its traceback with every raise, and
            # pytest's report of a check that hit it thousands of times then took seconds to build.
            raise found.fresh() from found.__cause__
        return found

    def _import(self, module_name):
        # The directory is importable too, for `from layers import Relu` written as the book's scripts do.
        sys.path.insert(0, str(self.directory))
        try:
            return importlib.import_module(f"{self._package.__name__}.{module_name}")
        except BaseException as exc:  # a submission may raise anything at import, SystemExit included
            failure = SubmissionError("import_failed", file=f"{module_name}.py", **_describe_import_error(exc, self.directory))
            failure.__cause__ = exc  # an isolation worker tells the grader which module a failed import wanted
            return failure
        finally:
            sys.path.remove(str(self.directory))

    def __getattr__(self, name):
        if name.startswith("_") or name not in MODULE_OF:
            raise AttributeError(name)
        module_name = MODULE_OF[name]
        module = self._module(module_name)
        theirs = self.aliases.name_for(name)
        try:
            value = getattr(module, theirs)
        except AttributeError:
            raise self._missing(name, module, f"{module_name}.py") from None
        if name == "TwoLayerNet" and self.aliases.members and self._wrapped.get(name, (None,))[0] is not value:
            self._wrapped[name] = (value, wrap(self._on_graded_layers(value), name, f"{module_name}.py", self.aliases))
        return self._wrap(value, name, f"{module_name}.py")

    def _on_graded_layers(self, net):
        """The learner's own net with their layer classes served as graded, so that member aliases
        (Affine.dW=dw) apply to the layers it builds too."""
        graded = {}
        for book in {c for c, _ in self.aliases.members} - {"TwoLayerNet"}:
            try:
                raw = getattr(self._module(MODULE_OF[book]), self.aliases.name_for(book))
            except (SubmissionError, AttributeError):
                continue
            graded[id(raw)] = getattr(self, book)
        return intake.rebind(net, lambda g: {k: graded.get(id(v), v) for k, v in g.items()})

    def _wrap(self, value, name, file):
        """A class with hints for its misspelt members (names.wrap), the same class object on every access."""
        if not isinstance(value, type):
            return value
        if self._wrapped.get(name, (None,))[0] is not value:
            self._wrapped[name] = (value, wrap(value, name, file, self.aliases))
        return self._wrapped[name][1]

    def _missing(self, name, module, file):
        theirs = self.aliases.name_for(name)
        kind = kind_of(name)
        if theirs != name:
            return SubmissionError("alias_not_found", kind=kind, name=name, theirs=theirs, where=file)
        candidates = [k for k, v in vars(module).items() if callable(v) and isinstance(v, type) == (name in ALL_CLASSES)]
        found = closest(name, candidates)
        if found is not None:
            return SubmissionError("renamed", kind=kind, name=name, found=found, file=file)
        return SubmissionError("missing_name", name=name, file=file)

    def two_layer_net_on(self, layers_impl):
        """This submission's TwoLayerNet class, built on the layers (and numerical_gradient) of layers_impl."""
        return self.on_reference("TwoLayerNet", layers_impl)

    def on_reference(self, name, layers_impl):
        """This submission's name (TwoLayerNet, Convolution, SimpleConvNet: book.BUILT_ON) from its file executed
        afresh in a package whose modules it builds on (layers and gradient for TwoLayerNet, util for Convolution)
        are those of layers_impl, so a bug in this submission's own layers or im2col cannot cost points under name.
        The package has a parent holding the same modules, for `from ..layers import Affine` (the template's
        chapter7/simple_convnet.py)."""
        path = self.directory / f"{MODULE_OF[name]}.py"
        if not path.is_file():
            raise SubmissionError("missing_file", file=path.name)
        parent = _package(f"_impl_on_{next(_counter)}", [])
        package = _package(f"{parent.__name__}.chapter", [str(self.directory)])
        parent.chapter = package
        borrowed = {short: layers_impl._module(short) for short in BUILT_ON[name]}
        if "layers" in borrowed:
            borrowed["layers"] = self._aliased(borrowed["layers"])
        for short, module in borrowed.items():
            for holder in (parent, package):
                sys.modules[f"{holder.__name__}.{short}"] = module
                setattr(holder, short, module)
        spec = importlib.util.spec_from_file_location(f"{package.__name__}.{MODULE_OF[name]}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        # Absolute imports (`from layers import ...`) must find the borrowed modules too, not the submission's.
        shadowed = {short: sys.modules.get(short) for short in borrowed}
        sys.modules.update(borrowed)
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:
            raise SubmissionError("import_failed", file=path.name, **_describe_import_error(exc, self.directory)) from None
        finally:
            for short, previous in shadowed.items():
                if previous is None:
                    sys.modules.pop(short, None)
                else:
                    sys.modules[short] = previous
        try:
            graded = getattr(module, self.aliases.name_for(name))
        except AttributeError:
            raise self._missing(name, module, path.name) from None
        return wrap(graded, name, path.name, self.aliases)

    def _aliased(self, layers):
        """layers, also under the names this submission's aliases give them (from .layers import ReLU)."""
        if not self.aliases.names:
            return layers
        copy = types.ModuleType(layers.__name__)
        copy.__dict__.update(vars(layers))
        for book, theirs in self.aliases.names.items():
            if hasattr(layers, book):
                setattr(copy, theirs, getattr(layers, book))
        return copy


class Stacked:
    """A later chapter's implementation on chapter 5's, as a network of that chapter is built on them: a module is
    the two files of its name merged (the later chapter's names first), a name is the later chapter's or else
    chapter 5's. SimpleConvNet takes Convolution from chapter 7's layers.py and Affine from chapter 5's."""

    def __init__(self, base, chapter_impl):
        self._parts = (chapter_impl, base)
        self.directory = base.directory
        self.label = chapter_impl.label
        self._merged = {}

    def _module(self, name):
        if name not in self._merged:
            found, failure = [], None
            for part in self._parts:
                try:
                    found.append(part._module(name))
                except SubmissionError as exc:
                    failure = exc
            if not found:
                raise failure
            merged = types.ModuleType(found[0].__name__, found[0].__doc__)
            for module in reversed(found):
                merged.__dict__.update(vars(module))
            self._merged[name] = merged
        return self._merged[name]

    def __getattr__(self, name):
        if name.startswith("_") or name not in MODULE_OF:
            raise AttributeError(name)
        first, second = self._parts
        try:
            return getattr(first, name)
        except (AttributeError, SubmissionError):
            return getattr(second, name)


def is_template_shaped(path):
    """A folder laid out like student_template/: layers.py at its top, its files importing one another as
    siblings. Files that import the folder by its own name (the book's common/layers.py: from common.functions
    import *) are a study repository's package, which intake loads."""
    path = Path(path)
    return path.is_dir() and (path / "layers.py").is_file() and not _imports_itself(path)


def _imports_itself(folder):
    """Whether a top-level .py file of folder imports folder by its own name. Only regular files within
    sources.MAX_BYTES are read (no FIFO, no link to a device, no file of gigabytes), and only one that names the
    folder at all is parsed: an unused large file costs one read."""
    for file in itertools.islice(sorted(folder.glob("*.py")), intake.MAX_FILES):
        try:
            text = decode(read_bounded(file))
            if folder.name not in text:
                continue
            tree = ast.parse(text)
        except (SyntaxError, ValueError, OSError, MemoryError, RecursionError):
            continue
        if folder.name in imported_packages(tree):
            return True
    return False


def load(path, label=None, aliases=None, use=None, beside=None):
    """The submission at path: a template-shaped folder as a package, anything else through intake.

    aliases: BOOK=THEIRS names to grade under (Relu=ReLU, Affine.dW=dw); use: BOOK=FILE, which of several
    files defining a name to grade (intake only: a template-shaped folder has one place for each name);
    beside: intake.beside_entries(path), listed before a sandbox hid what lies beside the submission.
    """
    if is_template_shaped(path) and not use:
        return Implementation(path, label, aliases)

    return intake.load(path, aliases=aliases, use=use, label=label, beside=beside)
