"""Submissions for the grader's own tests: the reference or the template with one change, built in a tmp dir,
and the command line run as a student runs it."""
import ast
import atexit
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from mutants import Entry, entries, materialise

from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent

GRADER = [sys.executable, str(PROJECT_ROOT / "grader.py")]
# Text that must never reach a student: a traceback, or a path into the grader's own code.
INTERNALS = ("Traceback", "backprop_grader", "site-packages", "_pytest", "tests/test_", "conftest")


def committed_template(root=PROJECT_ROOT, into=None):
    """student_template/ as the repository's last commit has it, in a folder of its own: a learner fills in the
    working copy in their clone, and the project's tests must not depend on what they wrote there. Outside a git
    checkout (an unpacked archive, whose template nobody has filled in) it is the folder itself."""
    into = Path(into or tempfile.mkdtemp(prefix="pristine-template-"))
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "HEAD", "student_template"],
                             capture_output=True)
    if archive.returncode != 0:
        return Path(root) / "student_template"
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.10.12 and later
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, **safe)
    return into / "student_template"


# The template every project test grades or copies: made once per test session, removed at its end.
TEMPLATE = committed_template()
if TEMPLATE != PROJECT_ROOT / "student_template":
    atexit.register(shutil.rmtree, TEMPLATE.parent, True)


def processes_naming(path):
    """The command lines of running processes that name path (a worker's and a grading process's name their
    submission): what must be gone once a grade is over."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(path) in command:
                found.append(command)
    return found


def installed_copy(target):
    """A copy of the grader's package laid out as a wheel installs it (the reference, the template and the checks
    inside it), at target/backprop_grader: `python -m backprop_grader` run from target grades with the copy alone."""
    package = Path(target) / "backprop_grader"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(PROJECT_ROOT / "backprop_grader", package, ignore=ignore)
    for folder, inside in ((REFERENCE_DIR, "reference"), (TEMPLATE, "student_template"), (CHECKS_DIR, "checks")):
        shutil.copytree(folder, package / inside, ignore=ignore)
    return package


def copy_of(source, target):
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return Path(target)


def reference_with(target, append=None, file="layers.py", remove=False):
    """A copy of the reference whose file has code appended (redefining what it changes), or is removed."""
    target = copy_of(REFERENCE_DIR, target)
    path = target / file
    if remove:
        path.unlink()
    if append is not None:
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + append, encoding="utf-8")
    return target


def one_bug_per_layer(root):
    """The reference with the first catalogued layers.py bug of every layer at once: failures found and shrunk
    by Hypothesis all over the suite, in one grade. Returns (submission dir, {layer: bug entry})."""
    chosen = {}
    for entry in entries("bugs"):
        if entry.file == "layers.py":
            chosen.setdefault(entry.layer, entry)
    combined = Path(root) / "one_bug_per_layer.py"
    combined.write_text("\n\n".join(e.path.read_text(encoding="utf-8") for e in chosen.values()), encoding="utf-8")
    entry = Entry(kind="combined", name="one_bug_per_layer", path=combined, doc="")
    return materialise(entry, root), chosen


def line_of(path, marker):
    """The line number of the first line of path containing marker."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise ValueError(f"{marker!r} not in {path}")


def template_with_reference(target, *names, change=None):
    """A copy of the template in which the named classes of layers.py are the reference's: a student who has
    written those layers and nothing else. change, an (old, new) pair, then edits the code written in."""
    target = copy_of(TEMPLATE, target)
    path = target / "layers.py"
    text = path.read_text(encoding="utf-8")
    reference = (REFERENCE_DIR / "layers.py").read_text(encoding="utf-8")
    for name in names:
        written = _class_source(reference, name)
        if change:
            assert change[0] in written, change
            written = written.replace(*change)
        text = text.replace(_class_source(text, name), written)
    path.write_text(text, encoding="utf-8")
    return target


# The README's sample report: a student who has written Relu, with its most common slip (x < 0 for x <= 0).
README_SAMPLE_CHANGE = ("self.mask = x <= 0", "self.mask = x < 0")


def _class_source(text, name):
    node = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == name)
    return ast.get_source_segment(text, node)


def grader(*args, timeout=120, locale="C.UTF-8", env_update=None, command=GRADER, **streams):
    """python grader.py ARGS from the project root, as a student runs it, without colour settings inherited, in
    the locale given as LANG (English by default, whatever the machine's); env_update: more environment
    variables; command: what to run in place of grader.py; streams: subprocess.run's stdout, stderr and
    preexec_fn, where its standard streams are not both captured."""
    inherited = ("NO_COLOR", "HYPOTHESIS_PROFILE", "BACKPROP_IMPL", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env["LANG"] = locale
    env.update(env_update or {})
    return subprocess.run([*command, *map(str, args)], **(streams or {"capture_output": True}), text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=timeout)
