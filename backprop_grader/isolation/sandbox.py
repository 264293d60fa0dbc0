"""What a worker locks itself into before it runs any submission code. Linux only; stdlib only (the worker loads
this file by path).

Resource limits (setrlimit): address space (eating memory ends in MemoryError), CPU seconds (a backstop should
the grader be gone: the grader's own wall-clock limit is what normally stops a hang), file size 0 and no core
files, and no further processes for an unprivileged user. The worker also dies with the grader (PDEATHSIG).

A seccomp filter then makes these rules hold for root too, who ignores RLIMIT_NPROC and may raise limits:
- no new processes or programs: fork, clone without CLONE_THREAD, execve (a fork bomb gets EAGAIN);
- no signals, tracing or limits for any process but itself: kill(getppid(), ...) and kill(-1, ...) get EPERM,
  as do ptrace, process_vm_*, pidfd_*, setrlimit and prlimit64 with a new limit;
- no writes to the file system: open for writing, creat, mkdir, unlink, rename, chmod, truncate, ... get EROFS,
  so a submission cannot forge a results file or change the grader's code. Inside the sandbox's read-only
  mounts (namespaces.py) the kernel itself refuses writes everywhere but the worker's scratch folder: there the
  filter lets file calls through, and a file may grow to SCRATCH_FILE_MB, so that code saving a file in its
  working directory runs as it would outside;
- none of the calls that change the machine (mount, reboot, modules, clocks, namespaces, io_uring, bpf, ...);
- no System V IPC (shared memory, message queues, semaphores) and no POSIX message queues: objects that would
  outlive the worker, owned by nobody, and through which one submission could pass data to another's grade.
  Neither Python nor numpy uses them; POSIX shared memory and semaphores are files in /dev/shm, which the
  sandbox's root does not have and which the filter's write rules refuse without it. (The worker's own IPC
  namespace, where the kernel allows it, is a second wall: namespaces.py.)
Reading files and the network stay open: see the README's threat model.

The filter is a deny list over the few syscall families above; everything else is allowed, so that Python and
numpy behave exactly as outside. Syscall numbers are for x86_64 and aarch64; on another architecture the
filter is not installed and lock_down() says so.
"""
import ctypes
import errno
import os
import platform
import resource
import signal

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CLONE_THREAD = 0x00010000
# O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND: the same values on x86_64 and aarch64.
WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000
SCRATCH_FILE_MB = 16

_DENIED_FAMILIES = {
    # Creating namespaces, changing the machine, or ways around this filter's view of system calls.
    "machine": """mount umount2 pivot_root chroot swapon swapoff reboot sethostname setdomainname iopl ioperm
        init_module delete_module finit_module kexec_load kexec_file_load settimeofday clock_settime clock_adjtime
        adjtimex acct quotactl unshare setns bpf perf_event_open userfaultfd io_uring_setup io_uring_enter
        io_uring_register name_to_handle_at open_by_handle_at fanotify_init keyctl add_key request_key syslog
        vhangup mount_setattr move_mount open_tree fsopen fsconfig fsmount fspick""",
    "processes": """fork vfork execve execveat ptrace process_vm_readv process_vm_writev pidfd_open pidfd_getfd
        pidfd_send_signal process_madvise move_pages migrate_pages setrlimit setpriority sched_setaffinity
        sched_setscheduler sched_setparam sched_setattr ioprio_set""",
    # Objects shared between processes that outlive them: System V IPC and POSIX message queues.
    "ipc": """shmget shmat shmctl shmdt msgget msgsnd msgrcv msgctl semget semop semtimedop semctl mq_open mq_unlink
        mq_timedsend mq_timedreceive mq_notify mq_getsetattr""",
    "files": """creat mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat symlink symlinkat
        chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat truncate ftruncate mknod mknodat utime utimes
        utimensat futimesat setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr""",
}
_ERRNO = {"machine": errno.EPERM, "processes": errno.EPERM, "ipc": errno.EPERM, "files": errno.EROFS}

# From the kernel's asm/unistd_64.h (x86_64) and asm-generic/unistd.h (aarch64).
_SYSCALLS = {
    "x86_64": (0xC000003E, {
        "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "execve": 59, "execveat": 322, "kill": 62,
        "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "ptrace": 101,
        "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_open": 434, "pidfd_send_signal": 424,
        "pidfd_getfd": 438, "process_madvise": 440, "move_pages": 279, "migrate_pages": 256, "setrlimit": 160,
        "prlimit64": 302, "setpriority": 141, "sched_setaffinity": 203, "sched_setscheduler": 144,
        "sched_setparam": 142, "sched_setattr": 314, "ioprio_set": 251, "open": 2, "openat": 257, "openat2": 437,
        "creat": 85, "mkdir": 83, "mkdirat": 258, "rmdir": 84, "unlink": 87, "unlinkat": 263, "rename": 82,
        "renameat": 264, "renameat2": 316, "link": 86, "linkat": 265, "symlink": 88, "symlinkat": 266, "chmod": 90,
        "fchmod": 91, "fchmodat": 268, "fchmodat2": 452, "chown": 92, "fchown": 93, "lchown": 94, "fchownat": 260,
        "truncate": 76, "ftruncate": 77, "mknod": 133, "mknodat": 259, "utime": 132, "utimes": 235,
        "utimensat": 280, "futimesat": 261, "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190,
        "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199, "mount": 165, "umount2": 166,
        "pivot_root": 155, "chroot": 161, "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170,
        "setdomainname": 171, "iopl": 172, "ioperm": 173, "init_module": 175, "delete_module": 176,
        "finit_module": 313, "kexec_load": 246, "kexec_file_load": 320, "settimeofday": 164, "clock_settime": 227,
        "clock_adjtime": 305, "adjtimex": 159, "acct": 163, "quotactl": 179, "unshare": 272, "setns": 308,
        "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "name_to_handle_at": 303, "open_by_handle_at": 304, "fanotify_init": 300,
        "keyctl": 250, "add_key": 248, "request_key": 249, "syslog": 103, "vhangup": 153, "mount_setattr": 442,
        "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
        "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "semtimedop": 220, "mq_open": 240,
        "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245,
    }),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "execve": 221, "execveat": 281, "kill": 129, "tkill": 130, "tgkill": 131,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438,
        "process_madvise": 440, "move_pages": 239, "migrate_pages": 238, "setrlimit": 164, "prlimit64": 261,
        "setpriority": 140, "sched_setaffinity": 122, "sched_setscheduler": 119, "sched_setparam": 118,
        "sched_setattr": 274, "ioprio_set": 30, "openat": 56, "openat2": 437, "mkdirat": 34, "unlinkat": 35,
        "renameat": 38, "renameat2": 276, "linkat": 37, "symlinkat": 36, "fchmod": 52, "fchmodat": 53,
        "fchmodat2": 452, "fchown": 55, "fchownat": 54, "truncate": 45, "ftruncate": 46, "mknodat": 33,
        "utimensat": 88, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15,
        "fremovexattr": 16, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51, "swapon": 224,
        "swapoff": 225, "reboot": 142, "sethostname": 161, "setdomainname": 162, "init_module": 105,
        "delete_module": 106, "finit_module": 273, "kexec_load": 104, "kexec_file_load": 294, "settimeofday": 170,
        "clock_settime": 112, "clock_adjtime": 266, "adjtimex": 171, "acct": 89, "quotactl": 60, "unshare": 97,
        "setns": 268, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "name_to_handle_at": 264, "open_by_handle_at": 265,
        "fanotify_init": 262, "keyctl": 219, "add_key": 217, "request_key": 218, "syslog": 116, "vhangup": 58,
        "mount_setattr": 442, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182,
        "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185, "msgget": 186, "msgctl": 187,
        "msgrcv": 188, "msgsnd": 189, "semget": 190, "semctl": 191, "semtimedop": 192, "semop": 193,
        "shmget": 194, "shmctl": 195, "shmat": 196, "shmdt": 197,
    }),
}

# Classic BPF, as seccomp runs it on struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6];}.
_LD_ABS, _JEQ, _JSET, _JGE, _JA, _RET = 0x20, 0x15, 0x45, 0x35, 0x05, 0x06
_ALLOW, _KILL = 0x7FFF0000, 0x80000000
_NR, _ARCH = 0, 4


def _errno(code):
    return 0x00050000 | code


def _arg_low(i):
    return 16 + 8 * i


def _arg_high(i):
    return 20 + 8 * i


class _Program:
    """A BPF program written with labels: jumps to a label become relative offsets when assembled."""

    def __init__(self):
        self.code = []
        self.labels = {}

    def label(self, name):
        self.labels[name] = len(self.code)

    def op(self, code, k=0, jt=0, jf=0):
        self.code.append([code, jt, jf, k])

    def jump(self, label):
        self.code.append([_JA, 0, 0, label])

    def assemble(self):
        out = []
        for i, (code, jt, jf, k) in enumerate(self.code):
            if code == _JA:
                k = self.labels[k] - i - 1
            out.append((code, jt, jf, k & 0xFFFFFFFF))
        return out


def _filter(arch, numbers, pid, allow_writes=False):
    """The filter program for this process (pid): who may be signalled and limited is decided by pid; file
    writes pass with allow_writes (the mounts decide where they may go)."""
    p = _Program()
    p.op(_LD_ABS, _ARCH)
    p.op(_JEQ, arch, 1, 0)
    p.op(_RET, _KILL)
    p.op(_LD_ABS, _NR)
    if arch == _SYSCALLS["x86_64"][0]:
        p.op(_JGE, 0x40000000, 0, 1)  # the x32 ABI numbers every call again: refuse it outright
        p.op(_RET, _KILL)
    rules = {"clone": "clone", "clone3": "nosys", "openat2": "nosys"}
    if not allow_writes:
        rules.update({"open": "open", "openat": "openat"})
    rules.update({name: "self" for name in ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")})
    rules["prlimit64"] = "read_limit"
    for family, names in _DENIED_FAMILIES.items():
        if family != "files" or not allow_writes:
            rules.update({name: family for name in names.split()})
    for name, rule in rules.items():
        if name in numbers:
            p.op(_JEQ, numbers[name], 0, 1)
            p.jump(rule)
    p.op(_RET, _ALLOW)
    for family, code in _ERRNO.items():
        p.label(family)
        p.op(_RET, _errno(code))
    p.label("nosys")  # clone3 and openat2 pass their flags in memory the filter cannot read; libc falls back
    p.op(_RET, _errno(errno.ENOSYS))
    p.label("clone")
    p.op(_LD_ABS, _arg_low(0))
    p.op(_JSET, CLONE_THREAD, 0, 1)
    p.op(_RET, _ALLOW)
    p.op(_RET, _errno(errno.EAGAIN))
    for label, arg in (("open", 1), ("openat", 2)):
        p.label(label)
        p.op(_LD_ABS, _arg_low(arg))
        p.op(_JSET, WRITE_FLAGS, 0, 1)
        p.op(_RET, _errno(errno.EROFS))
        p.op(_RET, _ALLOW)
    p.label("self")  # the first argument is a pid, tgid or -pgid: 0, its own pid or its own group only
    p.op(_LD_ABS, _arg_low(0))
    for allowed in (0, pid, -pid):
        p.op(_JEQ, allowed & 0xFFFFFFFF, 0, 1)
        p.op(_RET, _ALLOW)
    p.op(_RET, _errno(errno.EPERM))
    p.label("read_limit")  # prlimit64(pid, resource, new, old): reading a limit is fine, setting one is not
    p.op(_LD_ABS, _arg_low(2))
    p.op(_JEQ, 0, 0, 2)
    p.op(_LD_ABS, _arg_high(2))
    p.op(_JEQ, 0, 1, 0)
    p.op(_RET, _errno(errno.EPERM))
    p.op(_RET, _ALLOW)
    return p.assemble()


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return libc


def install_filter(allow_writes=False):
    """Install the seccomp filter on this process; returns False where it cannot be (other OS or architecture)."""
    machine = platform.machine().lower()
    if platform.system() != "Linux" or machine not in _SYSCALLS:
        return False
    arch, numbers = _SYSCALLS[machine]
    program = _filter(arch, numbers, os.getpid(), allow_writes)
    instructions = (_SockFilter * len(program))(*[_SockFilter(c, jt, jf, k) for c, jt, jf, k in program])
    fprog = _SockFprog(len(program), instructions)
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        return False
    return True


def set_limits(memory_mb, cpu_seconds, file_mb=0):
    """Resource limits for this process, lowered for good (hard = soft)."""
    limits = {
        resource.RLIMIT_AS: memory_mb * 2**20,
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_FSIZE: file_mb * 2**20,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NPROC: 0,
    }
    for which, value in limits.items():
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # a limit this system does not enforce (RLIMIT_AS on macOS)
            pass
    # A write past the size limit then fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def die_with_parent(parent_pid):
    """SIGKILL this process when the grader that started it exits, however it exits."""
    if platform.system() == "Linux":
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the grader was already gone before the request took effect
        os._exit(1)


def lock_down(parent_pid, memory_mb, cpu_seconds, writable_scratch=False):
    """Everything above, in an order that keeps each step possible; returns whether the filter is in place.
    writable_scratch: the sandbox's read-only mounts are up, and the scratch folder may be written."""
    die_with_parent(parent_pid)
    set_limits(memory_mb, cpu_seconds, SCRATCH_FILE_MB if writable_scratch else 0)
    return install_filter(writable_scratch)
