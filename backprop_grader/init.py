"""backprop-grader init [DIR]: a fresh copy of the template to fill in (DIR: student_template, which the grader
grades when given no folder). An existing folder is never written into."""
import shutil
from pathlib import Path

from .messages import render
from .shipped import TEMPLATE_DIR

DEFAULT_FOLDER = "student_template"


def add_arguments(parser, lang):
    parser.add_argument("folder", nargs="?", default=DEFAULT_FOLDER, help=render("init_help_folder", lang))


def run(parser, folder, lang):
    """Copy the template to folder; print what to do next; the exit status (2: folder exists)."""
    target = Path(folder)
    if target.exists():
        parser.error(render("init_exists", lang, path=folder))
    # The template's __init__.py makes it the package's data; a learner's folder needs only the book's files. The
    # chapters after 5 are not graded yet: their folders would only be more to fill in.
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py", "chapter6", "chapter7")
    shutil.copytree(TEMPLATE_DIR, target, ignore=ignored)
    grade = "backprop-grader" if folder == DEFAULT_FOLDER else f"backprop-grader {folder}"
    print(render("init_written", lang, path=folder, files=", ".join(sorted(p.name for p in target.glob("*.py"))),
                 command=grade))
    return 0
