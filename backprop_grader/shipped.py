"""Where the package keeps what grading needs besides its code: the reference, the template and the graded
checks, each a subpackage (a wheel holds them as backprop_grader/reference, student_template and checks; a clone
installed with `pip install -e .` maps them to reference/, student_template/ and tests/checks/), and the pytest
settings the grader runs the checks with. Found through the import system, never through a repository's root,
so that an installed grader works from any folder.
"""
import importlib.util
from pathlib import Path

from .book import DEFAULT_CHAPTER, checks_module_name


def _folder(package):
    spec = importlib.util.find_spec(package)  # imports the parents only, not the package itself
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"{package} is missing: install backprop-grader (`python -m pip install -e .` in a clone)", name=package
        )
    return Path(spec.submodule_search_locations[0]).resolve()


REFERENCE_DIR = _folder("backprop_grader.reference")
TEMPLATE_DIR = _folder("backprop_grader.student_template")
CHECKS_DIR = _folder("backprop_grader.checks")
# The grader's pytest settings: given to pytest as its configuration file, so that no pytest.ini, tox.ini or
# pyproject.toml around the folder graded (or around the installed package) can change how the checks run.
PYTEST_SETTINGS = Path(__file__).resolve().parent / "pytest_settings.ini"


def reference_of(chapter):
    """The reference's folder of chapter's names: chapter 5's files are at its top, a later chapter's in chapterN/."""
    return REFERENCE_DIR if chapter == DEFAULT_CHAPTER else REFERENCE_DIR / f"chapter{chapter}"


def template_of(chapter):
    """The template's folder of chapter's names, laid out as the reference's."""
    return TEMPLATE_DIR if chapter == DEFAULT_CHAPTER else TEMPLATE_DIR / f"chapter{chapter}"


def checks_module(layer):
    """The file of a layer's graded checks: test_softmax_with_loss.py for SoftmaxWithLoss."""
    return CHECKS_DIR / f"{checks_module_name(layer)}.py"


def resolve(option, chapter=DEFAULT_CHAPTER):
    """A submission's path as given, or, when no such path exists, the package's own folder of that name
    (`reference`, `student_template`) for chapter: `python grader.py reference` works from any folder. A folder
    that holds a folder of the chapter's own (a clone's reference/chapter6) is graded there: `python grader.py
    reference --chapter 6` in a clone grades what it does outside one."""
    path = Path(option)
    own = {"reference": reference_of(chapter), "student_template": template_of(chapter)}
    if not path.exists() and option in own:
        return own[option]
    if chapter != DEFAULT_CHAPTER and (path / f"chapter{chapter}").is_dir():
        path = path / f"chapter{chapter}"
    return path.resolve()
