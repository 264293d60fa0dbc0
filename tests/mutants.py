"""The catalogue of wrong and right implementations in tests/catalogue/, turned into submission directories.

An entry is one .py file. Its code is appended to a copy of the reference's file named by FILE (layers.py by
default), so it redefines just what it changes: `class Relu(Relu):` overriding one method is a whole bug.
Module constants, read without running the entry:
- LAYER: the layer a bug must fail on, and on no other (bugs/ and attacks/); for an attack, a list of layers
  when it costs several (an attack at the import of layers.py costs all six of its layers);
- FILE: which reference file it is appended to;
- MUST_FAIL: checks (titles, "Layer: name") that must be among the failures;
- MISTAKE: for bugs/, the mistake the grader must diagnose on LAYER (a hint's message key, as results.json's
  tests, checks.csv and a batch's summary name it), where the bug's failures carry one: tests/test_class_summary.py
  plants the bugs that declare it in a class and counts them;
- HINTS: for bugs/, every hint key ("Likely mistake") its report may carry, on any check: each names the very
  mistake made (a hint naming another is a wrong hint, which tests/test_catalogue.py fails). Without HINTS, only
  MISTAKE, if declared; else none at all;
- EXPECTED_FAILURES: for variants/, the exact set of checks it fails (empty for a correct variant; the
  book-style variant fails the two strict checks); for bugs/, where given, the exact set of checks it fails (a
  bug that costs one quantity must lose only the checks that read it);
- SHAPE: how the submission is laid out. "template" (the default) as above; "script": the reference's three
  files joined into one loose .py file, the entry appended; "notebook": the reference's files as the first code
  cells of an .ipynb, then the entry's code split into cells at its "# %%" lines. IPython's magics and shell
  lines, which are not Python, are written in the entry behind "#!ipython " and become cell lines as they are;
- ALSO: for attacks/, other files of the submission, {file name: contents}, written as they are;
- ODD_FILES: for attacks/, files no text editor makes, {file name: what}: "fifo" (a named pipe), "link:PATH" (a
  symbolic link to PATH, /dev/zero say), "large:N" (N bytes of Python, a comment line repeated);
- BUDGET: for attacks/, the seconds grading it may take at most;
- FEEDBACK: for attacks/, the message key every check it costs must report.
The entry's docstring says the mistake (or the attack) in a student's words.

The catalogue of the later chapters (tests/catalogue_chapters/, described in tests/test_catalogue_chapters.py)
has entries of the same form with a FILE such as chapter6/layers.py: chapter_entries(6) reads them and
materialise writes each as a folder of that chapter, the reference's chapter6/ with the entry appended.
"""
import ast
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from backprop_grader.results import PASSED
from backprop_grader.shipped import REFERENCE_DIR, reference_of

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
CHAPTERS_CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue_chapters"


@dataclass(frozen=True)
class Entry:
    kind: str  # bugs, variants or attacks
    name: str
    path: Path
    doc: str
    layer: str = None
    file: str = "layers.py"
    must_fail: frozenset = field(default_factory=frozenset)
    mistake: str = None
    hints: frozenset = None  # HINTS, None when not declared
    expected_failures: frozenset = field(default_factory=frozenset)
    also: tuple = ()  # (file name, contents) pairs
    odd_files: tuple = ()  # (file name, what) pairs
    budget: float = None
    feedback: str = None
    shape: str = "template"

    @property
    def id(self):
        return f"{self.kind}/{self.name}"

    @property
    def defines(self):
        """What the entry's code defines: "Class.method" for each method of its classes, and its functions."""
        tree = ast.parse(self.path.read_text(encoding="utf-8"))
        found = set()
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found |= {f"{node.name}.{f.name}" for f in node.body if isinstance(f, ast.FunctionDef)}
            elif isinstance(node, ast.FunctionDef):
                found.add(node.name)
        return frozenset(found)

    @property
    def allowed_hints(self):
        """The hint keys the entry's report may carry: HINTS, with MISTAKE."""
        return frozenset(self.hints or ()) | ({self.mistake} if self.mistake else frozenset())

    @property
    def chapter(self):
        """The book's chapter the entry is graded as: 6 for FILE chapter6/layers.py, else 5."""
        folder = Path(self.file).parent.name
        return int(folder.removeprefix("chapter")) if folder.startswith("chapter") else 5

    @property
    def layers(self):
        """The layers the entry must cost points on."""
        return frozenset([self.layer] if isinstance(self.layer, str) else self.layer or ())


def _constants(tree):
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return found


def chapter_entries(chapter, kind=None):
    """The entries of tests/catalogue_chapters/ of chapter (kind: bugs or variants)."""
    return [e for e in entries(kind, CHAPTERS_CATALOGUE_DIR) if e.chapter == chapter]


def entries(kind=None, directory=CATALOGUE_DIR):
    found = []
    for path in sorted(directory.glob(f"{kind or '*'}/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = _constants(tree)
        found.append(
            Entry(
                kind=path.parent.name,
                name=path.stem,
                path=path,
                doc=(ast.get_docstring(tree) or "").strip(),
                layer=consts.get("LAYER"),
                file=consts.get("FILE", "layers.py"),
                must_fail=frozenset(consts.get("MUST_FAIL", ())),
                mistake=consts.get("MISTAKE"),
                hints=frozenset(consts["HINTS"]) if "HINTS" in consts else None,
                expected_failures=frozenset(consts.get("EXPECTED_FAILURES", ())),
                also=tuple(sorted(consts.get("ALSO", {}).items())),
                odd_files=tuple(sorted(consts.get("ODD_FILES", {}).items())),
                budget=consts.get("BUDGET"),
                feedback=consts.get("FEEDBACK"),
                shape=consts.get("SHAPE", "template"),
            )
        )
    return found


REFERENCE_FILES = ("gradient.py", "layers.py", "two_layer_net.py")
IPYTHON_LINE = "#!ipython "


def _reference_pieces():
    """The reference's files without their relative imports, to stand in one file or notebook together."""
    return [
        re.sub(r"^from \.\w+ import .*$", "", (REFERENCE_DIR / name).read_text(encoding="utf-8"), flags=re.MULTILINE)
        for name in REFERENCE_FILES
    ]


def _notebook(cells):
    code = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c.splitlines(keepends=True)}
        for c in cells
    ]
    return json.dumps({"cells": code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def materialise(entry, root):
    """Write entry's submission under root, shaped as its SHAPE says; return its path (a folder or file)."""
    code = entry.path.read_text(encoding="utf-8")
    if entry.shape == "script":
        target = Path(root) / entry.kind / entry.name / f"{entry.name}.py"
        target.parent.mkdir(parents=True)
        target.write_text("\n\n".join(_reference_pieces() + [code]), encoding="utf-8")
        return target
    if entry.shape == "notebook":
        target = Path(root) / entry.kind / entry.name / f"{entry.name}.ipynb"
        target.parent.mkdir(parents=True)
        cells = [c.replace(IPYTHON_LINE, "").strip() + "\n" for c in re.split(r"^# %%.*$", code, flags=re.MULTILINE)]
        target.write_text(_notebook(_reference_pieces() + cells), encoding="utf-8")
        return target
    target = Path(root) / entry.kind / entry.name
    source = reference_of(entry.chapter)
    # A chapter's folder of the reference is its own submission: the chapters beside chapter 5's files stay out.
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py", "chapter*"))
    patched = target / Path(entry.file).name
    patched.write_text(patched.read_text(encoding="utf-8") + "\n\n" + entry.path.read_text(encoding="utf-8"))
    for name, contents in entry.also:
        (target / name).write_text(contents, encoding="utf-8")
    for name, what in entry.odd_files:
        _odd_file(target / name, what)
    return target


def _odd_file(path, what):
    if what == "fifo":
        os.mkfifo(path)
    elif what.startswith("link:"):
        path.symlink_to(what.removeprefix("link:"))
    elif what.startswith("large:"):
        line = b"# " + b"x" * 97 + b"\n"
        size = int(what.removeprefix("large:"))
        path.write_bytes(line * (size // len(line)))
    else:
        raise ValueError(f"{path.name}: unknown odd file {what!r}")


def failed_checks(result):
    """The titles ("Relu: zero_is_blocked") of the checks a graded entry failed, worth points or not."""
    return {r.check.title for r in result.results if r.status != PASSED}


def hints_shown(result):
    """{hint key: the titles of the checks whose feedback names it} of a graded entry."""
    shown = {}
    for r in result.results:
        if r.status != PASSED and r.failure is not None and r.failure.hint:
            shown.setdefault(r.failure.hint, set()).add(r.check.title)
    return shown


def costly_checks(result):
    """The failed checks that cost points (a 0-point check is for information: see tests/test_catalogue.py)."""
    return {r.check.title for r in result.results if r.status != PASSED and r.check.points > 0}
