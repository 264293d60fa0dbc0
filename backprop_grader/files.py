"""Writing the grader's own output files."""
import os
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
