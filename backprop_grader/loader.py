"""Load an implementation directory (shaped like student_template/) as a package, one module at a time.

A module that fails to import, or a name it does not define, turns into a SubmissionError raised where a check
asks for that name, so one broken file costs only the checks that need it.
"""
import importlib
import importlib.util
import itertools
import sys
import types
from pathlib import Path

from .feedback import location
from .messages import msg

# Where the book keeps each name: the module a submission must define it in.
MODULE_OF = {
    "MulLayer": "layers",
    "AddLayer": "layers",
    "Relu": "layers",
    "Sigmoid": "layers",
    "Affine": "layers",
    "SoftmaxWithLoss": "layers",
    "softmax": "layers",
    "cross_entropy_error": "layers",
    "TwoLayerNet": "two_layer_net",
    "numerical_gradient": "gradient",
}

_counter = itertools.count()


class SubmissionError(Exception):
    """The submission cannot provide what a check needs. key names the message; params fill it in."""

    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}")


def _describe_import_error(exc, path):
    """The error and where in the submission it was raised, for a message without our internals."""
    where = location(exc, path) or msg("where_unknown")
    if isinstance(exc, SyntaxError) and exc.filename:
        # str(SyntaxError) repeats the file and line that where already gives.
        return {"error": f"{type(exc).__name__}: {exc.msg}", "where": where}
    return {"error": f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, "where": where}


def _new_package(directory, label):
    """A fresh, uniquely named package whose submodules are the .py files of directory."""
    name = f"_impl_{label}_{next(_counter)}"
    package = types.ModuleType(name)
    package.__path__ = [str(directory)]
    package.__package__ = name
    sys.modules[name] = package
    return package


class Implementation:
    """The book's names from one directory: impl.Relu, impl.TwoLayerNet, ... loaded on first use."""

    def __init__(self, directory, label=None):
        self.directory = Path(directory).resolve()
        self.label = label or self.directory.name
        self._package = None
        self._modules = {}

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
            raise SubmissionError(found.key, **found.params)
        return found

    def _import(self, module_name):
        # The directory is importable too, for `from layers import Relu` written as the book's scripts do.
        sys.path.insert(0, str(self.directory))
        try:
            return importlib.import_module(f"{self._package.__name__}.{module_name}")
        except BaseException as exc:  # a submission may raise anything at import, SystemExit included
            return SubmissionError("import_failed", file=f"{module_name}.py", **_describe_import_error(exc, self.directory))
        finally:
            sys.path.remove(str(self.directory))

    def __getattr__(self, name):
        if name.startswith("_") or name not in MODULE_OF:
            raise AttributeError(name)
        module_name = MODULE_OF[name]
        module = self._module(module_name)
        try:
            return getattr(module, name)
        except AttributeError:
            raise SubmissionError("missing_name", name=name, file=f"{module_name}.py") from None

    def two_layer_net_on(self, layers_impl):
        """This submission's TwoLayerNet class, built on the layers (and numerical_gradient) of layers_impl.

        two_layer_net.py is executed afresh in a package whose `layers` and `gradient` modules are those of
        layers_impl, so a bug in this submission's own layers cannot cost points under TwoLayerNet.
        """
        path = self.directory / "two_layer_net.py"
        if not path.is_file():
            raise SubmissionError("missing_file", file=path.name)
        package = _new_package(self.directory, "net_on_" + layers_impl.label)
        borrowed = {"layers": layers_impl._module("layers"), "gradient": layers_impl._module("gradient")}
        for short, module in borrowed.items():
            sys.modules[f"{package.__name__}.{short}"] = module
            setattr(package, short, module)
        spec = importlib.util.spec_from_file_location(f"{package.__name__}.two_layer_net", path)
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
            return module.TwoLayerNet
        except AttributeError:
            raise SubmissionError("missing_name", name="TwoLayerNet", file=path.name) from None


def load(directory, label=None):
    return Implementation(directory, label)
