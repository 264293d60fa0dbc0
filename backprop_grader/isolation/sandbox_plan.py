"""The grader's side of the workers' sandbox (namespaces.py): what a worker may see, whether it must, and what
held, said in words.

--sandbox auto (the default) puts up every wall the kernel allows and says which held; require fails before
grading when one cannot be had (grading that must be tamper-proof); off puts up none, leaving the lock-down
every worker has anyway (sandbox.py: limits and the seccomp filter, which also denies every file write).

A worker sees, read-only: the system's directories, Python's standard library, numpy, and its own submission
(a folder, or a lone file's folder, from which the file may import or %run its neighbours), each at its own path; the grader's package, reference, tests
and git history are covered where they lie inside one of those (a submission folder holding the project). Run
as root, the worker drops to nobody, who must be able to read the submission: when some of it is readable by
its owner only, the worker gets a readable copy, bound at the same path. Where the kernel refuses the new root,
root drops to nobody all the same (permissions.py): the plan says in which group, what that user must be able to
read, and what it must not (the grader's files, and what the grader's command line names).
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

from ..results import PROTECTIONS, sandbox_summary
from ..shipped import CHECKS_DIR, REFERENCE_DIR
from ..sources import walk

DEFAULT_MODE = "auto"
# Simulates a kernel that refuses what it lists (comma-separated: network, ipc, hidden, read_only, user; privileged:
# namespaces made as root, as in a container without CAP_SYS_ADMIN; user_namespace): for tests of the partial
# path on a machine that allows everything.
REFUSE_ENV = "BACKPROP_SANDBOX_REFUSE"
NAMESPACES_SCRIPT = Path(__file__).resolve().parent / "namespaces.py"
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc")
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
# The grader's package, and what it ships wherever it lies (in a clone: reference/ and tests/checks/, and the
# repository's history beside them).
GRADER_DIR = Path(__file__).resolve().parent.parent
HIDDEN = (GRADER_DIR, REFERENCE_DIR, CHECKS_DIR, GRADER_DIR.parent / ".git")
SCRATCH_MB = 64
NOBODY = 65534
# A worker that drops to nobody without a new root (permissions.py) takes a group of its grading session's own,
# the only one that may read the session's copy of a submission: in a batch, no other submission's worker can.
# Groups from here up are no one's on any usual system (they start above 2**30); the grader's pid makes them
# differ between the gradings that run at once.
PRIVATE_GROUPS = 0x7F000000


class SandboxUnavailable(Exception):
    """--sandbox require, and the kernel refuses some of the sandbox: status says what held."""

    def __init__(self, status):
        super().__init__(sandbox_summary(status))
        self.status = status


def refused_by_environment(environ=None):
    environ = os.environ if environ is None else environ
    return sorted(filter(None, (part.strip() for part in environ.get(REFUSE_ENV, "").split(","))))


def _within(path, folder):
    return path == folder or folder in path.parents


def _readable_by_anyone(folder, below):
    """Whether nobody could read folder and its files, and with below, everything under it (symbolic links as
    they are) as far as the loader looks (sources.walk's bounds), and pass through every folder above it (to
    read it in place: permissions.py)."""
    if not all(os.stat(above).st_mode & stat.S_IXOTH for above in Path(folder).parents):
        return False
    def readable(p, is_folder):
        mode = os.lstat(p).st_mode
        if stat.S_ISLNK(mode):
            return True
        need = stat.S_IROTH | (stat.S_IXOTH if is_folder else 0)
        return mode & need == need

    for directory, _folders, files in walk(folder):
        if not readable(directory, True) or not all(readable(os.path.join(directory, f), False) for f in files):
            return False
        if not below:
            break
    return True


def _readable_copy(folder, runtime_root, below, group):
    """A copy of folder (with below, all under it as far as the loader looks; else its files only) anyone can
    read, its links copied as links, so that none leads the copy outside; only folders, files and links. It
    lies in a folder only group may enter: bound into a worker's new root, the copy itself is what it sees; and
    a worker without one reads it through that folder, as a member of group."""
    target = Path(runtime_root) / "submission-copy" / folder.name
    for directory, folders, files in walk(folder):
        into = target / os.path.relpath(directory, folder)
        into.mkdir(parents=True, exist_ok=True)
        os.chmod(into, 0o755)
        if below:
            # Its subfolders too, empty where the walk stops: the loader's own walk of the copy then finds where
            # it was cut, and the report says so as it would of the original.
            for name in folders:
                (into / name).mkdir(mode=0o755, exist_ok=True)
        for name in files:
            source = os.path.join(directory, name)
            if os.path.islink(source):
                os.symlink(os.readlink(source), into / name)
            elif os.path.isfile(source):
                shutil.copyfile(source, into / name)
                os.chmod(into / name, 0o644)
        if not below:
            break
    os.chown(target.parent, 0, group)
    os.chmod(target.parent, 0o750)
    return target


def _named_by_command_line(argv=None):
    """The files and folders the grader's command line names (a rubric, extra tests, a batch's folder, where
    results go), as a worker could read them from /proc: what it must not read, besides the grader's own."""
    found = []
    for arg in (sys.argv if argv is None else argv)[1:]:
        value = arg.partition("=")[2] if arg.startswith("--") else arg
        path = Path(value) if value else None
        if path is not None and path.exists():
            found.append(str(path.resolve()))
    return found


def plan(runtime, submission, use=(), refuse=None):
    """What namespaces.enter needs for a worker of this session: the new root's mount point, the scratch folder,
    [source, path] pairs to bind read-only, the grader's paths to cover, and the protections to refuse."""
    import numpy as np  # imported by the grader's checks anyway; not by the grader's start

    submission = Path(submission).resolve()
    numpy_package = Path(np.__file__).resolve().parent
    sources = [Path(p) for p in SYSTEM_DIRS + DEVICES]
    # The base Python's: in a virtual environment, platstdlib is its own lib folder, which holds nothing but its
    # site-packages (the grader's, in the Gradescope bundle), never imported by a worker (python -I -S).
    paths = sysconfig.get_paths(vars={"platbase": sys.base_exec_prefix})
    sources += [Path(paths[k]).resolve() for k in ("stdlib", "platstdlib")]
    sources += [Path(runtime.numpy_dir), numpy_package, numpy_package.parent / (numpy_package.name + ".libs")]
    for spec in use:  # a file chosen by an absolute path, outside the submission
        file = Path(spec.partition("=")[2].strip())
        if file.is_absolute() and file.is_file():
            sources.append(file.resolve())
    binds, bound = [], []
    for source in sorted(set(sources), key=lambda p: len(p.parts)):
        if source.exists() and not any(_within(source, b) for b in bound if not b.is_symlink()):
            binds.append([str(source), str(source)])
            bound.append(source)
    # A lone file (a script, a notebook) may import or %run the files beside it: its folder is bound.
    folder, below = (submission, True) if submission.is_dir() else (submission.parent, False)
    visible, group = folder, PRIVATE_GROUPS + os.getpid()
    if os.geteuid() == 0:
        os.chmod(runtime.root, 0o711)  # a worker that is nobody passes through to numpy's links and its copy
    if submission.exists():  # else the loader says it is missing, as without the sandbox
        if os.geteuid() == 0 and not _readable_by_anyone(folder, below):
            visible = _readable_copy(folder, runtime.root, below, group)
        binds.append([str(visible), str(folder)])
        bound.append(folder)
    readable = visible if submission.is_dir() or not submission.exists() else visible / submission.name
    # A grader's path holding the submission (grading reference/ itself) stays: it is what is graded.
    hide = [h for h in HIDDEN if h.exists() and not _within(submission, h)
            and any(_within(h, b) for b in bound if not b.is_symlink())]
    # An installed package holds the reference and the checks: covering it covers them (and a folder inside a
    # covered one is no longer there to cover).
    hide = [str(h) for h in hide if not any(h != other and _within(h, other) for other in hide)]
    return {
        "root": str(runtime.sandbox_root),
        "scratch": str(runtime.scratch),
        "scratch_mb": SCRATCH_MB,
        "binds": binds,
        "hide": hide,
        "refuse": refused_by_environment() if refuse is None else sorted(refuse),
        # Without a new root (permissions.py): whom to become, what that user must be able to read (Python,
        # numpy, the submission), and what it must not.
        "drop_to": [NOBODY, group],
        "submission": {"path": str(submission), "readable": str(readable), "folder": str(folder)},
        "needs": sorted({paths["stdlib"], paths["platstdlib"], str(runtime.numpy_dir), str(numpy_package),
                         str(visible)}),
        "secrets": sorted({str(h) for h in HIDDEN if h.exists()} | set(_named_by_command_line())),
        "keep": [str(folder), str(runtime.root)],
    }


def probe(the_plan, timeout=30):
    """What the sandbox of the_plan holds on this machine, found by a throwaway process that puts it up."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-B", str(NAMESPACES_SCRIPT), json.dumps(the_plan)],
        capture_output=True, text=True, timeout=timeout, cwd=the_plan["scratch"], env={},
    )
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"network": False, "ipc": False, "hidden": False, "read_only": False, "user": "refused",
                "error": done.stderr[-500:]}


_PROBED = {}  # (uid, refused) -> the probe's status: one probe per process, and per batch (children inherit it)


def require():
    """For --sandbox require: raise SandboxUnavailable unless this machine allows the whole sandbox (tried on an
    empty stand-in for the submission: what is refused depends on the kernel, not on the files)."""
    from .process import Runtime  # numpy's folder and the scratch, as a session has them

    key = (os.geteuid(), tuple(refused_by_environment()))
    if key not in _PROBED:
        runtime = Runtime()
        try:
            stand_in = runtime.root / "submission"
            stand_in.mkdir(mode=0o755)
            _PROBED[key] = probe(plan(runtime, stand_in))
        finally:
            runtime.close()
    if not complete(_PROBED[key]):
        raise SandboxUnavailable({**_PROBED[key], "mode": "require"})


def complete(status):
    """Whether every protection held: the user counts as held when there was no root to drop."""
    return all(status.get(p) for p in PROTECTIONS) and status.get("user") in ("dropped", "not_root")


def merged(statuses):
    """What held in every one of the workers' statuses (a protection missing in one is missing)."""
    statuses = list(statuses)
    if not statuses:
        return None
    users = [s["user"] for s in statuses]
    user = next(u for u in ("kept", "cannot_read", "refused", "not_root", "dropped") if u in users)
    held = {**{p: all(s.get(p) for s in statuses) for p in PROTECTIONS}, "user": user}
    if held["hidden"] and any(s.get("hidden_by") == "permissions" for s in statuses):
        held["hidden_by"] = "permissions"
    return held
