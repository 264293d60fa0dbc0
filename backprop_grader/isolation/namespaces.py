"""The walls a worker puts up around itself before it runs any submission code, with the kernel's own mechanisms:
Linux namespaces, bind mounts, pivot_root, setuid and capabilities. Stdlib only (the worker loads this file by
path); run before sandbox.py's seccomp filter, which denies every call made here.

enter(plan) does, as far as the kernel lets it:
- network: a new network namespace, which has no interface but a loopback that is down: no connection to
  anywhere, this machine included;
- ipc: a new IPC namespace: System V shared memory, message queues and semaphores, and POSIX message queues,
  are its own, gone with it; none of the machine's (another worker's, in a batch) can be reached, and none made
  here outlives the worker (the seccomp filter also refuses those calls);
- hidden: a new mount namespace whose root is a fresh tmpfs holding only what the plan names (the system's
  directories, Python's standard library, numpy, the submission), each bound at its own path; the grader's
  files inside any of those are covered by empty read-only directories. The old root is detached: nothing
  else of the machine (the grader, its reference and tests, other submissions, /tmp, /home, /proc) is there;
- read_only: every one of those binds, and the new root itself, read-only; a private tmpfs (no exec) at the
  plan's scratch path is the working directory and the only place that can be written;
- user: run as root, the worker becomes nobody (65534:65534, no supplementary groups) inside the new root,
  which clears its capabilities. Not root (or root not allowed to make namespaces, in a container), it needs a
  user namespace for the above, and leaves that namespace's capabilities behind once done. Root without a new
  root (a container that refuses every namespace) becomes nobody all the same, kept from the grader's files by
  their permissions alone (permissions.py): "hidden" then says whether none of them could be read.
It returns what held: {"network": bool, "ipc": bool, "hidden": bool, "read_only": bool, "user": "dropped" | "not_root" |
"refused" | "kept" (root in a user namespace) | "cannot_read" (root, left so: nobody could not read Python, numpy
or the submission)}, with "hidden_by": "permissions" when file permissions hid the grader's files, and
"submission": the path to load it from when that is a copy. plan["refuse"] names protections to skip as if the kernel had refused them (tests of the partial
path use it: see sandbox_plan.py).
"""
import ctypes
import importlib.util
import json
import os
import platform
import sys

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWIPC = 0x00020000, 0x10000000, 0x40000000, 0x08000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_NOATIME, MS_NODIRATIME, MS_REMOUNT, MS_BIND = 0x400, 0x800, 0x20, 0x1000
MS_REC, MS_PRIVATE, MS_RELATIME = 0x4000, 0x40000, 0x200000
MNT_DETACH = 2
NOBODY = 65534
# statvfs flag -> the mount flag it stands for. A remount inside a user namespace must keep these as they are.
_KEPT_FLAGS = {
    os.ST_RDONLY: MS_RDONLY, os.ST_NOSUID: MS_NOSUID, os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC,
    os.ST_NOATIME: MS_NOATIME, os.ST_NODIRATIME: MS_NODIRATIME, os.ST_RELATIME: MS_RELATIME,
}
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}


def _sibling(name):
    """A module of this folder, loaded by path: neither the worker nor the probe has the grader's package."""
    spec = importlib.util.spec_from_file_location(f"_bpg_{name}", os.path.join(os.path.dirname(__file__), f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


permissions = _sibling("permissions")
_CAP_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


class _Kernel:
    """The few libc calls used here, each raising OSError as os's own functions do."""

    def __init__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        self.libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
        self.libc.syscall.argtypes = [ctypes.c_long, ctypes.c_char_p, ctypes.c_char_p]

    def _check(self, result, what):
        if result != 0:
            code = ctypes.get_errno()
            raise OSError(code, f"{what}: {os.strerror(code)}")

    def unshare(self, flags):
        self._check(self.libc.unshare(flags), "unshare")

    def mount(self, source, target, fstype, flags, data=None):
        encode = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
        self._check(self.libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)), "mount")

    def umount(self, target, flags):
        self._check(self.libc.umount2(os.fsencode(target), flags), "umount2")

    def pivot_root(self, new, old):
        number = _PIVOT_ROOT.get(platform.machine().lower())
        if number is None:
            raise OSError(0, "pivot_root: unknown architecture")
        self._check(self.libc.syscall(number, os.fsencode(new), os.fsencode(old)), "pivot_root")

    def capabilities(self):
        """The effective capability sets of this process, as one number."""
        data = (_CapData * 2)()
        self._check(self.libc.capget(ctypes.byref(_CapHeader(_CAP_VERSION_3, 0)), data), "capget")
        return data[0].effective | data[1].effective << 32

    def drop_capabilities(self):
        data = (_CapData * 2)()
        self._check(self.libc.capset(ctypes.byref(_CapHeader(_CAP_VERSION_3, 0)), data), "capset")


def _try(action, *args):
    try:
        action(*args)
        return True
    except OSError:
        return False


def _write(path, text):
    with open(path, "w") as out:
        out.write(text)


def _user_namespace(kernel):
    """A new user namespace, where this process keeps its own uid and gid and has the capabilities to make the
    other namespaces (no root needed where the kernel allows unprivileged user namespaces). Only its own ids
    are mapped (more would take a helper process outside): root there cannot become nobody, but its
    capabilities are those of the namespace, and are dropped once done."""
    uid, gid = os.geteuid(), os.getegid()
    kernel.unshare(CLONE_NEWUSER)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")


def _become_nobody():
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)


def _remount_read_only(kernel, target):
    flags = os.statvfs(target).f_flag
    kept = 0
    for st, ms in _KEPT_FLAGS.items():
        if flags & st:
            kept |= ms
    kernel.mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | kept)


def _make_mount_point(target, like):
    """An empty directory or file at target (a path inside the new root), shaped like the path like."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.isdir(like):
        os.makedirs(target, exist_ok=True)
    elif not os.path.exists(target):
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))


def _build_root(kernel, plan, refuse):
    """The new root at plan["root"], then pivot into it: (hidden, read_only)."""
    root = plan["root"]
    inside = lambda path: root + path  # noqa: E731 (absolute paths, kept as they are under the new root)
    kernel.mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing done here reaches the grader's view
    kernel.mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    read_only = "read_only" not in refuse
    for source, target in plan["binds"]:
        if not os.path.lexists(source):
            continue
        if os.path.islink(source):  # /lib -> usr/lib on a merged-/usr system
            os.makedirs(os.path.dirname(inside(target)), exist_ok=True)
            if not os.path.lexists(inside(target)):
                os.symlink(os.readlink(source), inside(target))
            continue
        _make_mount_point(inside(target), source)
        kernel.mount(source, inside(target), None, MS_BIND)
        if read_only:
            _remount_read_only(kernel, inside(target))
    for path in plan["hide"]:  # a grader's file inside something bound: an empty, read-only stand-in over it
        if os.path.isdir(path):
            kernel.mount("tmpfs", inside(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k")
        elif os.path.exists(path):
            kernel.mount("/dev/null", inside(path), None, MS_BIND)
    scratch = inside(plan["scratch"])
    os.makedirs(scratch, exist_ok=True)
    size = f"mode=1777,size={plan['scratch_mb']}m"
    kernel.mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, size)
    if read_only:
        kernel.mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    # pivot_root(".", ".") stacks the old root over the new one; detaching it leaves the new one alone.
    os.chdir(root)
    kernel.pivot_root(".", ".")
    kernel.umount(".", MNT_DETACH)
    os.chdir(plan["scratch"])
    return True, read_only


def enter(plan):
    """Put up the walls plan describes, as far as the kernel allows; return what held (see the module's doc)."""
    refuse = set(plan.get("refuse", ()))
    root = os.geteuid() == 0
    status = {"network": False, "ipc": False, "hidden": False, "read_only": False, "user": "kept" if root else "not_root"}
    if platform.system() != "Linux":  # namespaces are Linux's
        return status
    kernel = _Kernel()
    unshared = set()
    wanted = {"network": CLONE_NEWNET, "ipc": CLONE_NEWIPC, "hidden": CLONE_NEWNS}
    if root and "privileged" not in refuse:
        unshared = {name for name, flag in wanted.items() if name not in refuse and _try(kernel.unshare, flag)}
    in_user_namespace = not unshared and "user_namespace" not in refuse and _try(_user_namespace, kernel)
    if in_user_namespace:
        unshared = {name for name, flag in wanted.items() if name not in refuse and _try(kernel.unshare, flag)}
    status["network"] = "network" in unshared
    status["ipc"] = "ipc" in unshared
    if "hidden" in unshared:
        try:
            status["hidden"], status["read_only"] = _build_root(kernel, plan, refuse)
        except OSError as exc:  # a refusal half-way: the old root is still this process's, so nothing is hidden
            status["error"] = str(exc)
            _try(os.chdir, plan["scratch"])
    # Inside the new root nobody may read every folder; outside it, Python's own files may be readable by root
    # alone (a Python installed under /root), which permissions.drop looks at before it drops.
    if root and status["hidden"] and not in_user_namespace:
        status["user"] = "refused" if "user" in refuse or not _try(_become_nobody) else "dropped"
    elif root and not in_user_namespace:
        # No new root hides the grader's files: their permissions must, from a user they do not let in.
        status["user"], hidden = permissions.drop(plan, refuse)
        if hidden:
            status["hidden"], status["hidden_by"] = True, "permissions"
        if status["user"] == "dropped" and plan["submission"]["readable"] != plan["submission"]["path"]:
            status["submission"] = plan["submission"]["readable"]  # the copy its group may read
    if status["user"] in ("dropped", "not_root") or in_user_namespace:
        _try(kernel.drop_capabilities)  # those of a user namespace; none are left after setuid
        if status["user"] != "kept" and (not _try(kernel.capabilities) or kernel.capabilities()):
            status["user"] = "refused"
    return status


if __name__ == "__main__":
    # The probe (--sandbox require): `python -I -S namespaces.py PLAN_JSON` prints what held, and exits.
    print(json.dumps(enter(json.loads(sys.argv[1]))), flush=True)
