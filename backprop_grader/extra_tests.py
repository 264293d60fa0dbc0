"""--extra-tests DIR: an instructor's own checks, kept where students cannot see them, graded like the suite's.

An extra test file is written like the suite's (`from backprop_grader.checks import check`, the `impl`, `ref`
and `net_class` fixtures). pytest gives the checks' conftest.py fixtures only to tests below its folder, and the
grader writes nothing there; so the files are copied into a fresh package in a temporary folder, beside a copy
of that conftest.py, and pytest is given that folder as well as the checks. The package's name is new each time,
so two stagings in one process never share module names. Tests written for an older grader import
`from checks import check`: a module of that name in the staged package serves them.
"""
import contextlib
import secrets
import shutil
import tempfile
from pathlib import Path

from .shipped import CHECKS_DIR


class ExtraTestsError(Exception):
    """A folder that cannot serve as extra tests: key names the message, params fill it in."""

    def __init__(self, key, **params):
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


def _python_files(directory):
    return sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)


def check_folder(directory):
    """Raise ExtraTestsError unless directory holds test files that can sit beside the suite's."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ExtraTestsError("extra_tests_no_folder", path=str(directory))
    files = _python_files(directory)
    if not any(p.name.startswith("test_") for p in files):
        raise ExtraTestsError("extra_tests_empty", path=str(directory))
    # A helper module by the name of one of the suite's would shadow it for both (they share sys.path).
    suite_modules = {p.name for p in CHECKS_DIR.glob("*.py")} | {"conftest.py", "checks.py"}
    for path in files:
        if not path.name.startswith("test_") and path.name in suite_modules:
            raise ExtraTestsError("extra_tests_shadows", path=str(path), name=path.name)


@contextlib.contextmanager
def staged(directory):
    """The pytest arguments that add directory's checks to a run, valid inside the with block.

    Yields () when directory is None, so a caller can always write `extra_args=(*staged_args, ...)`.
    """
    if directory is None:
        yield ()
        return
    check_folder(directory)
    with tempfile.TemporaryDirectory(prefix="backprop-extra-") as scratch:
        package = Path(scratch) / f"instructor_checks_{secrets.token_hex(4)}"
        shutil.copytree(directory, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for folder in [package, *(p for p in package.rglob("*") if p.is_dir())]:
            (folder / "__init__.py").touch()
        shutil.copyfile(CHECKS_DIR / "conftest.py", package / "conftest.py")
        (package / "checks.py").write_text("from backprop_grader.checks import check  # noqa: F401\n")
        # The instructor's own helper modules import by their plain names, as they would in the folder itself.
        yield (str(package), "-o", f"pythonpath={package}")
