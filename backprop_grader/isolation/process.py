"""Start a worker process and exchange frames with it under a deadline; stop it from outside, however it behaves.

The worker gets its own session and process group, an empty environment, a scratch working directory, stdin
from /dev/null, and two pipes of its own for frames (their numbers passed on its command line). Its stdout and
stderr go to one pipe that a thread of the grader drains, keeping only the last OUTPUT_TAIL bytes, so printing
cannot block it or fill the grader's memory. A worker that misses a deadline is sent SIGKILL (with its group),
which no signal handler can ignore.
"""
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

from . import wire

WORKER_SCRIPT = Path(__file__).resolve().parent / "worker.py"
OUTPUT_TAIL = 2048
# One thread each for BLAS and OpenMP: a worker runs one call at a time, and thread pools would be new
# processes' worth of tasks for the limits to count.
ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


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
    """Per grading session: a directory holding only numpy (the worker's one third-party import path), and an
    empty working directory for the workers."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="backprop-grader-"))
        self.numpy_dir = self.root / "numpy-only"
        self.scratch = self.root / "scratch"
        self.numpy_dir.mkdir()
        self.scratch.mkdir()
        package = Path(np.__file__).resolve().parent
        for name in (package.name, package.name + ".libs"):  # numpy.libs: the wheels' bundled BLAS
            if (package.parent / name).exists():
                (self.numpy_dir / name).symlink_to(package.parent / name)

    def copy_of(self, directory, files):
        """A fresh directory holding copies of files from directory (under their own names)."""
        target = Path(tempfile.mkdtemp(dir=self.root, prefix="copy-"))
        for name in files:
            shutil.copyfile(Path(directory) / name, target / name)
        return target

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class WorkerProcess:
    """One running worker: send() writes a request frame, receive() returns the body of the next reply."""

    def __init__(self, runtime, submission, memory_mb, cpu_seconds, net_layers=None):
        requests_r, self._requests = os.pipe()
        self._replies, replies_w = os.pipe()
        output_r, output_w = os.pipe()
        command = [
            sys.executable, "-I", "-S", "-B", str(WORKER_SCRIPT),
            f"--requests={requests_r}", f"--replies={replies_w}", f"--submission={submission}",
            f"--numpy-dir={runtime.numpy_dir}", f"--grader-pid={os.getpid()}",
            f"--memory-mb={memory_mb}", f"--cpu-seconds={cpu_seconds}",
        ]
        if net_layers is not None:
            command.append(f"--net-layers={net_layers}")
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output_w, stderr=output_w, pass_fds=(requests_r, replies_w),
                cwd=runtime.scratch, env=ENVIRONMENT, start_new_session=True,
            )
        finally:
            for fd in (requests_r, replies_w, output_w):
                os.close(fd)
        os.set_blocking(self._requests, False)
        self._output = bytearray()
        self._drain = threading.Thread(target=self._drain_output, args=(output_r,), daemon=True)
        self._drain.start()
        self._inbox = bytearray()  # reply bytes read but not yet taken as frames
        self._poll_in = select.poll()
        self._poll_in.register(self._replies, select.POLLIN)
        self._poll_both = select.poll()
        self._poll_both.register(self._replies, select.POLLIN)
        self._poll_both.register(self._requests, select.POLLOUT)
        self.alive = True

    def _drain_output(self, fd):
        try:
            while chunk := os.read(fd, 65536):
                self._output += chunk
                del self._output[:-OUTPUT_TAIL]
        finally:
            os.close(fd)

    def output(self):
        """The last bytes the worker printed, as text."""
        return bytes(self._output).decode("utf-8", "replace")

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
            self._fill()
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

    def _fill(self):
        chunk = os.read(self._replies, 1 << 20)
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
        try:
            returncode = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:  # it closed its pipes but lives on: it is of no further use
            returncode = None
        self.kill()
        self._drain.join(timeout=1)
        return Died(returncode, self.output())

    def kill(self):
        """SIGKILL the worker's whole process group and reap it; safe to call more than once."""
        if not self.alive:
            return
        self.alive = False
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
        self.process.wait()
        for fd in (self._requests, self._replies):
            os.close(fd)
