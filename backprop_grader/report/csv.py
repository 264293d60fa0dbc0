"""One CSV row per graded submission, with the same columns whatever was graded, so a class's grades
(the batch mode grades many submissions) land in one file: row() builds a row, append() adds rows to a file."""
import csv
from pathlib import Path

from .. import LAYERS
from .common import points

COLUMNS = ("submission", *LAYERS, "total", "status", "wall_time_s")
GRADED = "graded"  # the grade finished; the batch mode adds its own statuses (a timeout, a crash)


def row(result, submission_id, wall_time, status=GRADED):
    """The row of one submission as a dict keyed by COLUMNS; a layer that was not graded is left empty."""
    per_layer = {s.layer: points(s.score) for s in result.layer_scores()}
    return {
        "submission": submission_id,
        **{layer: per_layer.get(layer, "") for layer in LAYERS},
        "total": points(result.score),
        "status": status,
        "wall_time_s": f"{wall_time:.2f}",
    }


def append(path, rows):
    """Append rows to the CSV file at path, writing the header first when the file is new or empty."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        if new:
            writer.writeheader()
        writer.writerows(rows)
