"""One CSV row per graded submission, with the same columns whatever was graded, so a class's grades
(the batch mode grades many submissions) land in one file: row() builds a row, append() adds rows to a file,
write() starts a new one. And one row per check of a submission (check_rows(), CHECK_COLUMNS), for the batch's
checks.csv: which checks a class failed, and with which diagnosed mistake."""
import csv
from pathlib import Path

from ..book import DEFAULT_CHAPTER, layers_of
from ..results import sandbox_summary
from . import escape
from .common import DOES_NOT_LOAD, in_layer_order, mistake_of, points


def columns(chapter=DEFAULT_CHAPTER):
    """The columns of a grades file of chapter: a column per layer of it."""
    return ("submission", *layers_of(chapter), "total", "status", "wall_time_s", "sandbox")


COLUMNS = columns()
# checks.csv: student (the submission's folder), the check's layer and name (English: a rubric's), the points it
# scored and could, its outcome (passed, failed, error, skipped or not_run) and the key of the diagnosed mistake
# (the hint's, e.g. hint_affine_db; empty when it passed or none was diagnosed).
CHECK_COLUMNS = ("student", "layer", "check", "points", "max", "outcome", "mistake")
# The grade finished: ok, or import_error when some of the submission could not be loaded (a file missing or
# failing to import, a name the checks need not found): those checks score 0, the rest is graded. The batch
# mode adds its own statuses for a grade that did not finish (timeout, crashed). A status is a key, the same in every
# language, for spreadsheets and scripts; the batch's summary says it in the reader's words (progress.status_label).
OK, IMPORT_ERROR = "ok", "import_error"


def status_of(result):
    """OK or IMPORT_ERROR: whether all of the submission the checks need was there and loaded."""
    # The failures that say so are the reports' "does not load" ones, and any import_* (an import that failed,
    # or that hung or exited in an isolated worker).
    keys = {r.failure.key for r in result.results if r.failure is not None}
    return IMPORT_ERROR if any(k in DOES_NOT_LOAD or k.startswith("import_") for k in keys) else OK


def row(result, submission_id, wall_time, status=None):
    """The row of one submission as a dict keyed by the columns of its chapter; a layer that was not graded is left empty.
    status: the grade's own (status_of) unless given. Every cell is safe for a spreadsheet (escape.csv_cell):
    a submission's folder may be named =HYPERLINK(...)."""
    per_layer = {s.layer: points(s.score) for s in result.layer_scores()}
    cells = {
        "submission": escape.name(submission_id),
        **{layer: per_layer.get(layer, "") for layer in layers_of(result.chapter)},
        "total": points(result.score),
        "status": status or status_of(result),
        "wall_time_s": f"{wall_time:.2f}",
        "sandbox": sandbox_summary(result.sandbox),  # which protections held: the same words as the report's
    }
    return {column: escape.csv_cell(value) for column, value in cells.items()}


def check_rows(result, submission_id):
    """The rows of checks.csv for one submission, a dict keyed by CHECK_COLUMNS per check, in the book's order of
    layers; every cell safe for a spreadsheet (escape.csv_cell)."""
    rows = []
    for check_result in in_layer_order(result):
        check = check_result.check
        cells = {
            "student": escape.name(submission_id),
            "layer": check.layer,
            "check": check.name,
            "points": points(check_result.score),
            "max": points(check.points),
            "outcome": check_result.status,
            "mistake": mistake_of(check_result) or "",
        }
        rows.append({column: escape.csv_cell(value) for column, value in cells.items()})
    return rows


def append(path, rows):
    """Append rows to the CSV file at path, writing the header first when the file is new or empty."""
    path = Path(path)
    _write(path, rows, "a", header=not path.exists() or path.stat().st_size == 0, columns=_columns_of(rows))


def write(path, rows, columns=None):
    """Write a new CSV file at path (replacing any): the header, then rows (columns: those of rows' chapter)."""
    _write(Path(path), rows, "w", header=True, columns=columns or _columns_of(rows))


def _columns_of(rows):
    """The columns of rows made by row(): those of their chapter."""
    return tuple(rows[0]) if rows else COLUMNS


def _write(path, rows, mode, header, columns=COLUMNS):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open(mode, newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        if header:
            writer.writeheader()
        writer.writerows(rows)
