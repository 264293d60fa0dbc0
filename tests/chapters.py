"""What the tests of chapters 6 and 7 share: float64 central differences, the book's own code taken from a copy
of its repository, and a copy of the reference, changed by one catalogue entry, imported as a package."""
import importlib
import importlib.util
import itertools
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np

from backprop_grader.shipped import REFERENCE_DIR

BOOK_MIRROR = Path("/work/.mirror/oreilly-japan+deep-learning-from-scratch/repo")
BOOK_FILES = ("common/__init__.py", "common/functions.py", "common/util.py", "common/gradient.py",
              "common/layers.py", "common/optimizer.py", "ch07/simple_convnet.py")
_counter = itertools.count()


def numerical_grad(f, x, h=1e-5):
    """d f / d x by central differences, x a float64 array perturbed in place and restored."""
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        plus = f()
        x[idx] = saved - h
        minus = f()
        x[idx] = saved
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def book_code(directory):
    """The book's common/ and ch07/simple_convnet.py, extracted from the mirror into directory and imported;
    a namespace of its modules, or None when this machine has no copy of the book's repository."""
    if not BOOK_MIRROR.exists():
        return None
    directory = Path(directory)
    for name in BOOK_FILES:
        shown = subprocess.run(["git", "-C", str(BOOK_MIRROR), "show", f"HEAD:{name}"], capture_output=True,
                               check=True)
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(shown.stdout)
    # The book imports `common.layers` from its repository's root; only while importing is that root on the path
    # (simple_convnet.py also appends os.pardir to it), and its modules leave sys.modules afterwards, so that
    # nothing else can import a `common` by accident.
    saved_path = list(sys.path)
    sys.path.insert(0, str(directory))
    try:
        common = {name: importlib.import_module(f"common.{name}") for name in ("util", "layers", "optimizer")}
        spec = importlib.util.spec_from_file_location("book_simple_convnet", directory / "ch07" / "simple_convnet.py")
        convnet = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(convnet)
    finally:
        sys.path[:] = saved_path
        for name in [n for n in sys.modules if n == "common" or n.startswith("common.")]:
            del sys.modules[name]
    return types.SimpleNamespace(**common, simple_convnet=convnet)


def reference_copy(target, file=None, code=None):
    """A copy of the reference at target, with code appended to its file (a path such as chapter7/layers.py),
    imported as a fresh package: returns a function giving its modules by dotted name ("chapter7.layers")."""
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    if file is not None:
        patched = Path(target) / file
        patched.write_text(patched.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")
    name = f"_chapters_copy_{next(_counter)}"
    package = types.ModuleType(name)
    package.__path__ = [str(target)]
    sys.modules[name] = package
    return lambda module: importlib.import_module(f"{name}.{module}")
