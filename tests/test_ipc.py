"""IPC objects a worker could leave on the machine (System V shared memory, message queues and semaphores, POSIX
message queues and shared memory in /dev/shm): each worker has an IPC namespace of its own, and the seccomp
filter refuses the calls anyway, so nothing a submission makes outlives its worker or reaches another grade."""
import ctypes
import os
import platform
import textwrap
from pathlib import Path

import numpy as np
import pytest
from mutants import entries, materialise
from submissions import copy_of

from backprop_grader.isolation import sandbox_plan
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Session
from backprop_grader.run import grade_in_subprocess
from backprop_grader.shipped import REFERENCE_DIR

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "aarch64"),
    reason="IPC namespaces and the seccomp filter are Linux's, on x86_64 and aarch64",
)
ATTACK = next(e for e in entries("attacks") if e.name == "share_ipc_objects")
SHM_KEY, MSG_KEY = 0x42505247, 0x42505248  # as in the attack

# softmax() tries each kind of IPC object from inside the worker and says what came of it.
TRY_IPC = """
import ctypes, errno, os


def softmax():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
    seen = {}

    def attempt(name, call):
        ctypes.set_errno(0)
        result = call()
        seen[name] = "made" if result >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")
        return result

    # Whatever is made is removed at once (IPC_RMID, mq_unlink), should this run where the calls pass.
    made = attempt("shmget", lambda: libc.shmget(0, 4096, 0o1000 | 0o600))
    made >= 0 and libc.shmctl(made, 0, None)
    made = attempt("msgget", lambda: libc.msgget(0, 0o1000 | 0o600))
    made >= 0 and libc.msgctl(made, 0, None)
    made = attempt("semget", lambda: libc.semget(0, 1, 0o1000 | 0o600))
    made >= 0 and libc.semctl(made, 0, 0)
    if hasattr(libc, "mq_open"):
        libc.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
        made = attempt("mq_open", lambda: libc.mq_open(b"/backprop_probe", os.O_CREAT | os.O_RDWR, 0o600, None))
        made >= 0 and libc.mq_unlink(b"/backprop_probe")
    try:
        with open("/dev/shm/probe", "wb") as out:
            out.write(b"x")
        seen["/dev/shm"] = "made"
    except OSError as exc:
        seen["/dev/shm"] = errno.errorcode[exc.errno]
    return seen
"""


def _host_keys(kind):
    """The keys of the System V IPC objects of kind (shm, msg, sem) on the host (this IPC namespace)."""
    lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
    return {int(line.split()[0]) for line in lines}


def _posix_queue_exists(name):
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "mq_open"):
        return False
    libc.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int]
    queue = libc.mq_open(name, os.O_RDONLY)
    if queue >= 0:
        os.close(queue)
        libc.mq_unlink(name)
        return True
    return False


def _clean_host():
    """Remove what an unprotected grade of the attack left (so one failing run does not fail the next)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for i in range(4):
        segment = libc.shmget(SHM_KEY + i, 0, 0)
        if segment >= 0:
            libc.shmctl(segment, 0, None)  # IPC_RMID
    queue = libc.msgget(MSG_KEY, 0)
    if queue >= 0:
        libc.msgctl(queue, 0, None)
    Path("/dev/shm/backprop_attack_shm").unlink(missing_ok=True)


@pytest.mark.parametrize("sandbox", ["auto", "off"])
def test_ipc_calls_are_refused_in_a_worker(tmp_path, sandbox):
    """Every kind of IPC object fails to be made: the filter says EPERM, with the sandbox or without it; inside
    the sandbox /dev/shm is not there at all."""
    submission = copy_of(REFERENCE_DIR, tmp_path / "submission")
    layers = submission / "layers.py"
    layers.write_text(layers.read_text() + "\n" + textwrap.dedent(TRY_IPC))
    session = Session(submission, sandbox=sandbox)
    try:
        session.begin_check()
        seen = IsolatedImplementation(session).softmax()
        assert IsolatedImplementation(session).Relu().forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
        held = session.sandbox()
    finally:
        session.close()
    for call in ("shmget", "msgget", "semget", "mq_open"):
        assert seen.get(call, "EPERM") == "EPERM", (call, seen)
    if sandbox == "auto":
        assert held["ipc"] is True
        assert seen["/dev/shm"] in ("ENOENT", "EROFS"), seen
    else:
        assert held["mode"] == "off" and not held.get("ipc")
        assert seen["/dev/shm"] == "EROFS", seen  # without the read-only mounts the filter refuses every write


def test_ipc_namespace_refused_is_said_and_the_filter_still_holds(tmp_path):
    """A kernel that refuses the IPC namespace (simulated): the summary says IPC is shared, nothing can be made."""
    submission = copy_of(REFERENCE_DIR, tmp_path / "submission")
    layers = submission / "layers.py"
    layers.write_text(layers.read_text() + "\n" + textwrap.dedent(TRY_IPC))
    session = Session(submission, refuse=["ipc"])
    try:
        session.begin_check()
        seen = IsolatedImplementation(session).softmax()
        held = session.sandbox()
    finally:
        session.close()
    assert held["ipc"] is False and held["network"] is True
    assert "IPC shared" in sandbox_plan.summary(held)
    assert not sandbox_plan.complete(held)
    assert {seen[c] for c in ("shmget", "msgget", "semget")} == {"EPERM"}


def test_summary_says_ipc_is_private():
    held = {"network": True, "ipc": True, "hidden": True, "read_only": True, "user": "dropped"}
    assert sandbox_plan.summary(held) == (
        "sandbox: network off, IPC private, grader files hidden, read-only; user: dropped to nobody"
    )
    assert sandbox_plan.complete(held) and not sandbox_plan.complete({**held, "ipc": False})
    assert sandbox_plan.merged([held, {**held, "ipc": False}])["ipc"] is False


def test_ipc_objects_made_at_import_do_not_outlive_the_grader(tmp_path):
    """The attack's segments, queue and /dev/shm file: none is on the host after grading, and Relu, which
    scores only if one was made, scores 0 while every other layer keeps its points."""
    _clean_host()
    before = {kind: _host_keys(kind) for kind in ("shm", "msg", "sem")}
    try:
        result = grade_in_subprocess(materialise(ATTACK, tmp_path), timeout=240)
        left_shm = {SHM_KEY + i for i in range(4)} & _host_keys("shm")
        left_msg = {MSG_KEY} & _host_keys("msg")
        left_file = Path("/dev/shm/backprop_attack_shm").exists()
        left_queue = _posix_queue_exists(b"/backprop_attack_queue")
    finally:
        _clean_host()
    assert (left_shm, left_msg, left_file, left_queue) == (set(), set(), False, False)
    # Nothing new of anyone's: other processes of the machine may come and go, but not 64 MB segments of ours.
    new = _host_keys("shm") - before["shm"]
    assert not new or all(k not in range(SHM_KEY, SHM_KEY + 4) for k in new)
    scores = {s.layer: (s.score, s.max_score) for s in result.layer_scores()}
    assert scores.pop("Relu")[0] == 0
    assert all(score == full for score, full in scores.values()), scores
