"""What a submission's code prints during a grade: kept (its last PRINTED_TAIL characters) for the report, never
let through to the terminal, but for a debugger the learner started (breakpoint(), pdb.set_trace()).

Three routes lead here. In this process, pytest's own capture (--capture=fd, the grader's default) holds what
each check printed, and GradingPlugin adds it check by check; what comes outside a check, or with pytest's capture
off (check() in a notebook), reaches the Capture's streams, installed as sys.stdout and sys.stderr for the grade.
Isolated, a worker's stdout and stderr go to a pipe the grader drains (isolation/process.py), and the session
adds each worker's tail when it stops.

While a debugger runs, pytest's capture lets go of the terminal (_pytest.debugging suspends it, stdin included);
the Capture's streams then write through to the real ones (pytest_enter_pdb to pytest_leave_pdb), so the prompt
and everything the learner asks of pdb reach them, as under plain pytest.
"""
import io

PRINTED_TAIL = 2048  # characters of printed text a grade keeps: the last ones


class Tail:
    """The last `limit` characters of a text written piece by piece, and how many were written in all."""

    def __init__(self, limit=PRINTED_TAIL):
        self.limit = limit
        self.text = ""
        self.chars = 0

    def add(self, text, chars=None):
        """Add text: all that was written, or (chars given) the last of chars written."""
        if text:
            self.chars += len(text) if chars is None else chars
            self.text = (self.text + text)[-self.limit :]


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr during a grade: into the tail, or through to the real stream while a debugger
    runs."""

    def __init__(self, capture, real):
        super().__init__()
        self._capture = capture
        self._real = real

    @property
    def encoding(self):
        return getattr(self._real, "encoding", "utf-8")

    def writable(self):
        return True

    def isatty(self):
        return self._capture.debugging and self._real.isatty()

    def fileno(self):
        if self._capture.debugging:
            return self._real.fileno()
        raise io.UnsupportedOperation("fileno")

    def write(self, text):
        if self._capture.debugging:
            return self._real.write(text)
        self._capture.tail.add(str(text))
        return len(text)

    def flush(self):
        if self._capture.debugging:
            self._real.flush()


class Capture:
    """A pytest plugin and a context manager: sys.stdout and sys.stderr into `tail` for the length of a grade,
    through to the real ones while pytest's debugger runs."""

    def __init__(self, tail):
        self.tail = tail
        self.debugging = False
        self._saved = None

    def __enter__(self):
        import sys

        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(self, sys.stdout), _Stream(self, sys.stderr)
        return self

    def __exit__(self, *exc):
        import sys

        sys.stdout, sys.stderr = self._saved
        self.debugging = False

    def pytest_enter_pdb(self, pdb):
        self.debugging = True

    def pytest_leave_pdb(self, pdb):
        self.debugging = False
