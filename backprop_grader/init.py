"""backprop-grader init [--chapter N] [DIR]: a fresh copy of the template to fill in (DIR: student_template for
chapter 5, which the grader grades when given no folder; chapterN for a later chapter). An existing folder is
never written into."""
import shutil
from pathlib import Path

from .book import CHAPTERS, DEFAULT_CHAPTER
from .messages import render
from .shipped import template_of

DEFAULT_FOLDER = "student_template"


def add_arguments(parser, lang):
    parser.add_argument("folder", nargs="?", default=None, help=render("init_help_folder", lang))
    parser.add_argument("--chapter", type=int, choices=CHAPTERS, default=DEFAULT_CHAPTER,
                        help=render("cli_help_chapter", lang, chapters=", ".join(map(str, CHAPTERS)),
                                    default=DEFAULT_CHAPTER))


def run(parser, folder, lang, chapter=DEFAULT_CHAPTER):
    """Copy chapter's template to folder; print what to do next; the exit status (2: folder exists)."""
    folder = folder or (DEFAULT_FOLDER if chapter == DEFAULT_CHAPTER else f"chapter{chapter}")
    target = Path(folder)
    if target.exists():
        parser.error(render("init_exists", lang, path=folder))
    # The template's __init__.py makes it the package's data; a learner's folder needs only the book's files.
    # Chapter 5's folder holds the later chapters' templates too: each is a folder of its own to fill in.
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py", "chapter*")
    shutil.copytree(template_of(chapter), target, ignore=ignored)
    grade = "backprop-grader" if folder == DEFAULT_FOLDER else f"backprop-grader {folder}"
    if chapter != DEFAULT_CHAPTER:
        grade += f" --chapter {chapter}"
    print(render("init_written", lang, path=folder, files=", ".join(sorted(p.name for p in target.glob("*.py"))),
                 command=grade))
    return 0
