"""Start a worker process and exchange frames with it under a deadline; stop it from outside, however it behaves.

The worker gets its own session and process group, an empty environment, a scratch working directory, stdin
from /dev/null, and two pipes of its own for frames (their numbers passed on its command line). Its stdout and
stderr go to one pipe that a thread of the grader drains, keeping only the last OUTPUT_TAIL bytes, so printing
cannot block it or fill the grader's memory. A worker that misses a deadline is sent SIGKILL (with its group),
which no signal handler can ignore.
"""
import ctypes
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from ..blas import ONE_THREAD
from ..files import standard_streams
from . import wire

WORKER_SCRIPT = Path(__file__).resolve().parent / "worker.py"
PR_SET_CHILD_SUBREAPER = 36
OUTPUT_TAIL = 2048
# One thread each for BLAS and OpenMP, and nothing else of the grader's environment: a worker runs one call at a
# time, and thread pools would be new processes' worth of tasks for the limits to count.
ENVIRONMENT = dict(ONE_THREAD)


class Timeout(Exception):
    """The worker did not answer before the deadline; it has been killed."""


class Died(Exception):
    """The worker ended (or closed its pipes) without answering."""

    def __init__(self, returncode, output):
        super().__init__(f"worker ended with {returncode}")
        self.returncode = returncode
        self.output = output


class Garbled(Exception):
    """The worker sent bytes that are not a frame; it has been killed."""


class Runtime:
    """Per grading session: a directory holding only numpy (the worker's one third-party import path), an
    empty working directory for the workers, and an empty one where a sandboxed worker builds its new root."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="backprop-grader-"))
        self.numpy_dir = self.root / "numpy-only"
        self.scratch = self.root / "scratch"
        self.sandbox_root = self.root / "sandbox-root"
        for folder in (self.numpy_dir, self.scratch, self.sandbox_root):
            folder.mkdir()
        package = Path(np.__file__).resolve().parent
        for name in (package.name, package.name + ".libs"):  # numpy.libs: the wheels' bundled BLAS
            if (package.parent / name).exists():
                (self.numpy_dir / name).symlink_to(package.parent / name)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def adopt_orphans():
    """Make this process the one that adopts its descendants' orphans (Linux): a worker forked by another
    worker then becomes this process's child, to wait for and to outlive. False where it cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def spawn(runtime, submission, memory_mb, cpu_seconds, net=False, fork_net=False, options=()):
    """Start a worker: [its WorkerProcess], a net worker with net (the submission's TwoLayerNet on stand-ins for the
    reference's layers, isolation/standins.py), or with fork_net, also the net worker it forks before it runs any
    submission code: [the worker's, the net worker's], which saves starting Python and numpy twice. The net worker
    is then adopted by this process (see adopt_orphans, which must have worked).
    options: more of the worker's command line (--alias, --use: where the submission's names are)."""
    standard_streams()  # none of the pipes below may take a standard descriptor's number
    own = [os.pipe() for _ in range(3)]  # requests, replies, output: (read end, write end) each
    inherited = [own[0][0], own[1][1]]
    command = [
        sys.executable, "-I", "-S", "-B", str(WORKER_SCRIPT),
        f"--requests={own[0][0]}", f"--replies={own[1][1]}", f"--submission={submission}",
        f"--numpy-dir={runtime.numpy_dir}", f"--grader-pid={os.getpid()}",
        f"--memory-mb={memory_mb}", f"--cpu-seconds={cpu_seconds}", *options,
    ]
    if net:
        command.append("--net")
    forked = []
    if fork_net:
        forked = [os.pipe() for _ in range(3)]
        inherited += [forked[0][0], forked[1][1], forked[2][1]]
        command.append(f"--fork-net={forked[0][0]},{forked[1][1]},{forked[2][1]}")
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=own[2][1], stderr=own[2][1], pass_fds=inherited,
            cwd=runtime.scratch, env=ENVIRONMENT, start_new_session=True,
        )
    finally:
        for fd in inherited + [own[2][1]]:
            os.close(fd)
    workers = [WorkerProcess(own[0][1], own[1][0], own[2][0], process)]
    if forked:
        workers.append(WorkerProcess(forked[0][1], forked[1][0], forked[2][0]))
    return workers


class WorkerProcess:
    """One running worker: send() writes a request frame, receive() returns the body of the next reply.

    process: its Popen; None for a worker forked by another, whose pid comes with its hello (adopted())."""

    def __init__(self, requests, replies, output, process=None):
        self._requests, self._replies = requests, replies
        self.process = process
        self.pid = process.pid if process is not None else None
        os.set_blocking(self._requests, False)
        self._output = bytearray()
        self.output_bytes = 0  # how many it printed in all
        self._drain = threading.Thread(target=self._drain_output, args=(output,), daemon=True)
        self._drain.start()
        self._inbox = bytearray()  # reply bytes read but not yet taken as frames
        self._poll_in = select.poll()
        self._poll_in.register(self._replies, select.POLLIN)
        self._poll_both = select.poll()
        self._poll_both.register(self._replies, select.POLLIN)
        self._poll_both.register(self._requests, select.POLLOUT)
        self.alive = True

    def adopted(self, pid):
        """The pid a forked worker said it has, once this process is its parent."""
        if self.process is None and self.pid is None:
            self.pid = pid

    def learn_pid(self, deadline):
        """Whether the worker's pid is known, reading it, for a forked worker, from the frame it sends first of
        all (worker._fork_net_worker), before it reads anything of the submission: so that it can be killed with
        its group whether or not it ever booted. Reads nothing else, kills nothing: False if it did not come."""
        inbox = self._inbox
        while self.pid is None and self.alive:
            try:
                if len(inbox) >= 8 and len(inbox) >= 8 + wire.frame_length(inbox[:8]):
                    length = wire.frame_length(inbox[:8])
                    pid = wire.Unpacker(bytes(inbox[8 : 8 + length])).message.get("pid")
                    del inbox[: 8 + length]
                    if type(pid) is not int or pid <= 1:
                        return False
                    self.pid = pid
                    break
            except (wire.WireError, AttributeError, TypeError, ValueError):
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0 or len(inbox) > 4096 or not self._poll_in.poll(max(1, int(remaining * 1000))):
                return False
            chunk = os.read(self._replies, 4096)
            if not chunk:
                return False
            inbox += chunk
        return self.pid is not None

    def _drain_output(self, fd):
        try:
            while chunk := os.read(fd, 65536):
                self.output_bytes += len(chunk)
                self._output += chunk
                del self._output[:-OUTPUT_TAIL]
        finally:
            os.close(fd)

    def output(self):
        """The last bytes the worker printed, as text."""
        return bytes(self._output).decode("utf-8", "replace")

    def printed(self):
        """Once the worker is killed: (the last bytes it printed as text, how many bytes it printed in all), all of
        them read (its end of the pipe closes as it dies)."""
        self._drain.join(timeout=1)
        return self.output(), self.output_bytes

    def receive(self, deadline):
        """The body of the next frame the worker sends."""
        inbox = self._inbox
        while len(inbox) < 8:
            self._wait(self._poll_in, deadline)
            self._fill()
        try:
            length = wire.frame_length(inbox[:8])
        except wire.WireError as exc:
            self.kill()
            raise Garbled(str(exc)) from None
        while len(inbox) < 8 + length:
            self._wait(self._poll_in, deadline)
            self._fill(8 + length - len(inbox))
        body = bytes(inbox[8 : 8 + length])
        del inbox[: 8 + length]
        return body

    def send(self, data, deadline):
        """Write data (one or more frames); replies that arrive meanwhile are kept, so that neither side can
        block the other with a full pipe."""
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self._requests, view) :]
            except BlockingIOError:
                for fd, _ in self._wait(self._poll_both, deadline):
                    if fd == self._replies:
                        self._fill()
            except BrokenPipeError:
                raise self._died() from None

    def _fill(self, missing=0):
        chunk = os.read(self._replies, max(wire.READ_SIZE, missing))
        if not chunk:
            raise self._died()
        if len(self._inbox) + len(chunk) > wire.MAX_FRAME + (1 << 20):
            self.kill()
            raise Garbled("more than a frame's worth of replies")
        self._inbox += chunk

    def _wait(self, poller, deadline):
        remaining = deadline - time.monotonic()
        events = poller.poll(max(1, int(remaining * 1000 + 1))) if remaining > 0 else []
        if not events:
            self.kill()
            raise Timeout()
        return events

    def _died(self):
        returncode = self._exit_status(timeout=1)  # None: it closed its pipes but lives on, of no further use
        self.kill()
        self._drain.join(timeout=1)
        return Died(returncode, self.output())

    def _exit_status(self, timeout):
        """The worker's return code (negative: the signal that ended it), waiting up to timeout; None if unknown."""
        if self.process is not None:
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return None
        deadline = time.monotonic() + timeout
        while self.pid is not None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                # Not (yet) this process's child: its first parent may not have exited, for the grader to adopt it.
                if not os.path.exists(f"/proc/{self.pid}") or time.monotonic() > deadline:
                    return None
                time.sleep(0.005)
                continue
            if pid:
                self.pid = None
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                return None
            time.sleep(0.005)
        return None

    def kill(self):
        """SIGKILL the worker's whole process group and reap it; safe to call more than once."""
        if not self.alive:
            return
        if self.pid is None and self.process is None:
            self.learn_pid(time.monotonic() + 5)  # a forked worker that never booted: its pid comes first
        self.alive = False
        if self.pid is not None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        else:
            self._exit_status(timeout=5)
        for fd in (self._requests, self._replies):
            os.close(fd)
