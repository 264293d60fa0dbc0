"""The workers' sandbox (isolation/namespaces.py, isolation/sandbox_plan.py), each promise checked on a small
submission that looks around from inside a worker: no grader files, no network, nothing written but its
scratch folder, no root; where the kernel refuses a part, grading goes on and every report says what held;
--sandbox require stops first; honest submissions score the same with the sandbox on and off."""
import csv
import json
import os
import platform
import shutil
import socket
import textwrap
from pathlib import Path

import numpy as np
import pytest
from mutants import entries, materialise
from submissions import PROJECT_ROOT, grader

from backprop_grader.isolation import sandbox_plan
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.sandbox_plan import SandboxUnavailable
from backprop_grader.isolation.session import Session
from backprop_grader.options import GradeOptions
from backprop_grader.results import sandbox_summary as summary
from backprop_grader.run import grade
from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "aarch64"),
    reason="the sandbox is Linux's namespaces, with the seccomp filter of x86_64 and aarch64",
)
ROOT = os.geteuid() == 0


def _others_may_read(folder):
    """Whether others may list folder and pass through it and every folder above it."""
    folder = Path(folder).resolve()
    return all(os.stat(p).st_mode & 0o001 for p in folder.parents) and os.stat(folder).st_mode & 0o005 == 0o005


# Root without a new root drops to nobody only where nobody can read this Python and numpy (permissions.py): not
# where Python is installed under /root, say (tests/test_unprivileged.py grades with one nobody can read).
WITHOUT_NEW_ROOT = "dropped" if all(_others_may_read(Path(m.__file__).parent) for m in (os, np)) else "cannot_read"

# softmax(paths, port) reports what a submission can do from where it runs.
LOOK_AROUND = """
import os, socket, sys
from pathlib import Path


def softmax(paths, port):
    seen = {"uid": os.getuid(), "groups": os.getgroups(), "cwd": os.getcwd()}

    def attempt(name, action):
        try:
            seen[name] = action()
        except OSError as exc:
            seen[name] = type(exc).__name__

    def connect():
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return "connected"

    for name, path in paths.items():
        attempt("read " + name, lambda: len(Path(path).read_bytes()) > 0)
        attempt("write beside " + name, lambda: Path(path).with_name("sandbox_probe.txt").write_text("x") and "wrote")
    attempt("write scratch", lambda: Path("scratch.txt").write_text("kept") and Path("scratch.txt").read_text())
    attempt("loopback", connect)
    attempt("numpy.linalg", lambda: float(__import__("numpy.linalg").linalg.norm([3.0, 4.0])))
    return seen
"""


def _submission(tmp_path):
    target = tmp_path / "submission"
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    layers = target / "layers.py"
    layers.write_text(layers.read_text() + "\n" + textwrap.dedent(LOOK_AROUND))
    return target


@pytest.fixture
def listening():
    """A port on loopback the grader listens on."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def _look_around(submission, port, **session_options):
    """(what the worker saw, what held) for a session on submission."""
    session = Session(submission, **session_options)
    try:
        session.begin_check()
        paths = {
            "reference": str(REFERENCE_DIR / "layers.py"),
            "tests": str(CHECKS_DIR / "conftest.py"),
            "grader": str(PROJECT_ROOT / "backprop_grader" / "run.py"),
            "submission": str(submission / "layers.py"),
        }
        seen = IsolatedImplementation(session).softmax(paths, port)
        works = IsolatedImplementation(session).Relu().forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
        return seen, session.sandbox(), works
    finally:
        session.close()


def test_inside_the_sandbox_the_grader_is_gone_and_only_the_scratch_folder_takes_writes(tmp_path, listening):
    """The reference, the tests and the grader's code are not there; the submission can be read, not written;
    the network is unreachable, loopback included; numpy still imports; root became nobody."""
    submission = _submission(tmp_path)
    seen, held, works = _look_around(submission, listening)
    assert works
    assert held == {"network": True, "ipc": True, "hidden": True, "read_only": True,
                    "user": "dropped" if ROOT else "not_root", "mode": "auto"}
    for grader_file in ("reference", "tests", "grader"):
        assert seen[f"read {grader_file}"] == "FileNotFoundError", grader_file
        assert seen[f"write beside {grader_file}"] in ("FileNotFoundError", "OSError"), grader_file
    assert seen["read submission"] is True
    assert seen["write beside submission"] == "OSError"  # EROFS
    assert seen["write scratch"] == "kept"
    assert seen["loopback"] == "OSError"  # ENETUNREACH: the namespace's loopback is down
    assert seen["numpy.linalg"] == 5.0
    if ROOT:
        assert seen["uid"] == 65534 and seen["groups"] == []
    assert not (submission / "sandbox_probe.txt").exists() and not (REFERENCE_DIR / "sandbox_probe.txt").exists()


def test_with_the_sandbox_off_the_same_code_reaches_the_grader_and_the_network(tmp_path, listening):
    """What the sandbox stops is there to be had without it: the reference on disk, a socket on loopback."""
    seen, held, works = _look_around(_submission(tmp_path), listening, options=GradeOptions(sandbox="off"))
    assert works
    assert held["mode"] == "off" and not held["network"] and not held["hidden"]
    assert seen["read reference"] is True and seen["loopback"] == "connected"
    assert seen["write scratch"] == "OSError", "without the read-only mounts, the seccomp filter denies every write"
    assert summary(held) == "sandbox: off (--sandbox off)"


@pytest.mark.parametrize(
    "refused, held, text",
    [
        (["network", "user"], {"network": False, "ipc": True, "hidden": True, "read_only": True, "user": "refused"},
         "sandbox: network reachable, IPC private, grader files hidden, read-only; user: not dropped (refused)"),
        # No new root: the grader's files here are anyone's to read, and so they are said to be.
        (["hidden"], {"network": True, "ipc": True, "hidden": False, "read_only": True, "user": WITHOUT_NEW_ROOT},
         "sandbox: network off, IPC private, grader files visible, read-only; user: "
         + ("dropped to nobody" if WITHOUT_NEW_ROOT == "dropped"
            else "not dropped (nobody could not read Python, numpy or the submission)")),
        (["read_only"], {"network": True, "ipc": True, "hidden": True, "read_only": True, "user": "dropped"},
         "sandbox: network off, IPC private, grader files hidden, read-only; user: dropped to nobody"),
        # Root in a container that may not make namespaces: a user namespace instead, where root stays root.
        (["privileged"], {"network": True, "ipc": True, "hidden": True, "read_only": True, "user": "kept"},
         "sandbox: network off, IPC private, grader files hidden, read-only; user: not dropped (still root)"),
    ],
    ids=lambda v: ",".join(v) if isinstance(v, list) else "",
)
def test_a_refused_protection_is_said_and_grading_goes_on(tmp_path, listening, refused, held, text):
    """A kernel that refuses part of the sandbox (simulated) costs that part only: the checks still run, and
    the summary names exactly what held. Refused read-only mounts leave the seccomp filter denying writes."""
    if not ROOT:
        pytest.skip("the expected statuses are root's")
    seen, status, works = _look_around(_submission(tmp_path), listening, refuse=refused)
    assert works
    assert status == {**held, "mode": "auto"}
    assert summary(status) == text
    assert seen["loopback"] == ("connected" if "network" in refused else "OSError")
    assert (seen["read reference"] is True) == ("hidden" in refused)
    assert seen["write beside submission"] == "OSError"


def test_require_stops_before_grading_when_a_protection_is_refused(monkeypatch):
    monkeypatch.setenv(sandbox_plan.REFUSE_ENV, "network")
    with pytest.raises(SandboxUnavailable) as caught:
        grade(REFERENCE_DIR, layers=["Relu"], sandbox="require")
    assert not caught.value.status["network"]
    run = grader("reference", "--sandbox", "require", env_update={sandbox_plan.REFUSE_ENV: "network"})
    assert run.returncode == 2 and run.stdout == ""
    assert "--sandbox require: this machine does not allow the whole sandbox" in run.stderr
    assert "network reachable" in run.stderr


def test_every_report_says_which_protections_held(tmp_path):
    """The report's header under --verbose, results.json (extra_data) and the CSV row, with network and user
    refused."""
    out_json, out_csv = tmp_path / "results.json", tmp_path / "grades.csv"
    run = grader("reference", "--layer", "Relu", "--json", out_json, "--csv", out_csv, "--verbose",
                 env_update={sandbox_plan.REFUSE_ENV: "network,user"})
    assert run.returncode == 0, run.stderr
    user = "not dropped (refused)" if ROOT else "not dropped (not root)"
    line = f"sandbox: network reachable, IPC private, grader files hidden, read-only; user: {user}"
    assert line in run.stdout.splitlines()[:6]
    extra = json.loads(out_json.read_text())["extra_data"]
    assert extra["sandbox_summary"] == line and extra["sandbox"]["network"] is False
    with open(out_csv, newline="") as rows:
        assert [row["sandbox"] for row in csv.DictReader(rows)] == [line]


HONEST = [REFERENCE_DIR] + [e for e in entries("variants") if e.name in ("relu_maximum", "book_style")]


@pytest.mark.parametrize("submission", HONEST, ids=lambda s: getattr(s, "name", "reference"))
def test_honest_submissions_score_the_same_with_the_sandbox_on_and_off(tmp_path, submission):
    path = submission if submission == REFERENCE_DIR else materialise(submission, tmp_path)
    on, off = grade(path, sandbox="auto"), grade(path, sandbox="off")
    assert on.sandbox["hidden"] and off.sandbox["mode"] == "off"
    assert [(r.check.title, r.status, r.failure) for r in on.results] == [
        (r.check.title, r.status, r.failure) for r in off.results
    ]


THIEF = '''

def _classmates_relu():
    """Relu copied from the first classmate's layers.py found beside this submission's folder."""
    from pathlib import Path
    here = Path(__file__).resolve().parent
    for other in sorted(here.parent.iterdir()):
        if other != here and (other / "layers.py").is_file():
            code = (other / "layers.py").read_text()
            try:
                (here / "copied_layers.py").write_text(code)
            except OSError:
                pass
            namespace = {"__name__": "copied"}
            exec(compile(code, str(other / "layers.py"), "exec"), namespace)
            return namespace["Relu"]
    return None


class Relu:
    def __init__(self):
        theirs = _classmates_relu()
        if theirs is None:
            raise NotImplementedError("Relu is not implemented yet")
        self.inner = theirs()

    def forward(self, x):
        return self.inner.forward(x)

    def backward(self, dout):
        return self.inner.backward(dout)
'''


def test_in_a_batch_a_submission_cannot_read_or_copy_a_classmates(tmp_path):
    """The thief's Relu scores nothing (the classmate's folder is not there), the rest of it and the classmate
    are graded as usual, and nothing is copied into the thief's folder."""
    batch = tmp_path / "batch"
    for name in ("a_classmate", "b_thief"):
        shutil.copytree(REFERENCE_DIR, batch / name, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    thief = batch / "b_thief" / "layers.py"
    thief.write_text(thief.read_text() + THIEF)
    out = tmp_path / "out"
    run = grader("--batch", batch, "--out", out, "--jobs", "2", timeout=300)
    assert run.returncode == 0, run.stderr
    with open(out / "grades.csv", newline="") as rows:
        grades = {row["submission"]: row for row in csv.DictReader(rows)}
    assert grades["a_classmate"]["total"] == "100"
    assert grades["b_thief"]["Relu"] == "0" and grades["b_thief"]["total"] == "86"
    assert "grader files hidden" in grades["b_thief"]["sandbox"]
    assert not (batch / "b_thief" / "copied_layers.py").exists()


def test_grader_files_hidden_by_their_permissions_are_said_so_and_count_as_the_weaker_in_a_merge():
    """Without a new root, "hidden" means no file of the grader's could be read by nobody: the report says by what,
    and a grade whose workers hid them, one by mounts and one by permissions, says permissions."""
    mounts = {"network": True, "ipc": True, "hidden": True, "read_only": True, "user": "dropped"}
    permissions = {**mounts, "network": False, "ipc": False, "hidden_by": "permissions"}
    merged = sandbox_plan.merged([mounts, permissions])
    assert merged["hidden"] and merged["hidden_by"] == "permissions"
    assert summary(merged) == ("sandbox: network reachable, IPC shared, grader files hidden by permissions, "
                               "read-only; user: dropped to nobody")
    assert "hidden_by" not in sandbox_plan.merged([mounts, mounts])
    visible = sandbox_plan.merged([permissions, {**permissions, "hidden": False, "user": "cannot_read"}])
    assert not visible["hidden"] and "hidden_by" not in visible and visible["user"] == "cannot_read"
