"""Writing the grader's own output files, and the standard streams it writes to."""
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
