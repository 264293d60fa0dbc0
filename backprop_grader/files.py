"""Writing the grader's own output files, and the standard streams it writes to."""
import contextlib
import os
import sys
import tempfile
from pathlib import Path


def write_atomically(path, text):
    """Write text to path through a new file renamed over it: a reader never sees it half written, and what was
    at path before (a submission may have put something there) is replaced, not written through."""
    path = Path(path)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as part:
        part.write(text)
    os.replace(part.name, path)


def standard_streams():
    """Descriptors 0 to 2 open, on the null device where this process was started without one (`grader.py >&-`),
    and sys.stdin, sys.stdout and sys.stderr (and their originals, sys.__stderr__ ...) on them where Python found
    them closed (None). Else a pipe made later takes a free number, which a worker's standard output, put there
    as it starts, replaces in the worker; and pytest does not run without a sys.__stderr__ (its faulthandler
    plugin falls back to it while the grade captures sys.stderr)."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest number free: this one, those below being open
        original = f"__{name}__"
        if getattr(sys, name) is None or getattr(sys, original) is None:
            stream = open(fd, mode, errors="replace", closefd=False)
            for attribute in (name, original):
                if getattr(sys, attribute) is None:
                    setattr(sys, attribute, stream)


class _Forgiving:
    """A text stream standing in for sys.stdout: a write or flush that fails does not raise. The first failure is
    passed to failed (unless it is a reader gone, `| head`, which has read what it wanted); from then on what is
    written is dropped, and the real stream's descriptor is on the null device, where what is still buffered in
    it goes when Python flushes it at exit."""

    def __init__(self, stream, failed):
        self._stream = stream
        self._failed = failed
        self._dropping = False

    def write(self, text):
        self._guarded(self._stream.write, text)
        return len(text)

    def flush(self):
        self._guarded(self._stream.flush)

    def _guarded(self, action, *args):
        if self._dropping:
            return
        try:
            action(*args)
        except OSError as exc:
            self._dropping = True
            if not isinstance(exc, BrokenPipeError):
                self._failed(exc)
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._stream.fileno())
                os.close(devnull)
            except (OSError, ValueError):  # a stream that is no file (io.UnsupportedOperation): its own business
                pass

    def __getattr__(self, name):  # isatty, encoding, reconfigure, fileno...: the real stream's
        return getattr(self._stream, name)


@contextlib.contextmanager
def forgiving_stdout(failed):
    """sys.stdout, while the block runs, on a stand-in whose writes cannot fail (_Forgiving): a standard output on
    a full disk or a closed pipe ends neither a grade nor a batch in a traceback, the result files being written
    all the same. failed(exc) is called once, with the first failure."""
    standard_streams()  # one started closed (`>&-`), None in sys.stdout, is on the null device first
    stream = sys.stdout
    forgiving = _Forgiving(stream, failed)
    sys.stdout = forgiving
    try:
        yield
    finally:
        forgiving.flush()
        if sys.stdout is forgiving:
            sys.stdout = stream
