"""A class graded on many machines: `--batch DIR --shard K/N` grades the K-th of N shards of the class, and
`backprop-grader merge --out DIR SHARD_OUT...` joins the shards' outputs into what one run over the whole class
would have written (every results.json, grades.csv, checks.csv, summary.json, summary.md and batch.json).

A submission's shard depends on its folder's name alone (a hash of it), not on its place in the class: a late
submission, or a folder on one machine that another lacks, moves no other submission to another shard, so two
runs of one shard grade the same students and no student is graded twice or never.

Each batch, sharded or not, writes batch.json (RECORD): every Outcome as data, the language of the reports and
the settings every grade ran with. Merging reads those, never the reports, and writes every file again with the
batch's own writers from the Outcomes in the whole class's order, so a merged output is a whole run's byte for
byte but for the timings measured on each machine.
"""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import __version__, batch
from .files import write_atomically
from .results import GradeResult

RECORD = "batch.json"
RECORD_FORMAT = "backprop-grader batch 1"


class ShardError(Exception):
    """A --shard value or a merge the grader cannot take: a message key and its params (a usage error, exit 2)."""

    def __init__(self, key, **params):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Shard:
    """The index-th (from 1) of count shards."""

    index: int
    count: int

    def __str__(self):
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text):
        """'K/N' with 1 <= K <= N, or ShardError."""
        index, slash, count = str(text).partition("/")
        try:
            shard = cls(int(index), int(count))
        except ValueError:
            raise ShardError("shard_invalid", value=text) from None
        if not slash or not 1 <= shard.index <= shard.count:
            raise ShardError("shard_invalid", value=text)
        return shard

    def holds(self, name):
        """Whether the submission folder called name is in this shard."""
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count + 1 == self.index


def pick(paths, shard):
    """The submission folders of paths that belong to shard (all of them when shard is None), in their order."""
    return [path for path in paths if shard is None or shard.holds(path.name)]


def outcome_to_dict(outcome):
    return {
        "id": outcome.id, "status": outcome.status, "wall_time": outcome.wall_time, "detail": outcome.detail,
        "result": outcome.result.to_dict(),
    }


def write_record(out, outcomes, lang, settings, shard=None):
    """out/batch.json: what merge needs of this batch."""
    record = {
        "format": RECORD_FORMAT,
        "version": __version__,
        "lang": lang,
        "settings": settings,
        "shard": [shard.index, shard.count] if shard else None,
        "outcomes": [outcome_to_dict(o) for o in outcomes],
    }
    Path(out).mkdir(parents=True, exist_ok=True)
    write_atomically(Path(out) / RECORD, json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def _read_record(folder):
    path = Path(folder) / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ShardError("merge_not_a_batch", path=str(folder)) from None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise ShardError("merge_not_a_batch", path=str(folder))
    return record


def _same(records, field, key):
    values = {json.dumps(r.get(field), sort_keys=True) for r in records}
    if len(values) > 1:
        raise ShardError(key)


def merged_outcomes(folders):
    """The batch.Outcomes of every shard's output folder in folders, in the whole class's order, with their
    language and settings.

    Refused (ShardError): a folder that is no batch's output or no shard's, shards of different versions,
    languages, settings or counts, a shard given twice or missing, a submission in two shards."""
    records = [_read_record(folder) for folder in folders]
    _same(records, "version", "merge_different_versions")
    _same(records, "lang", "merge_different_languages")
    _same(records, "settings", "merge_different_settings")
    shards = [r["shard"] for r in records]
    if None in shards:
        raise ShardError("merge_not_a_shard", path=str(folders[shards.index(None)]))
    counts = {count for _, count in shards}
    if len(counts) > 1:
        raise ShardError("merge_different_counts", counts=", ".join(str(c) for c in sorted(counts)))
    count = counts.pop()
    given = sorted(index for index, _ in shards)
    twice = sorted({index for index in given if given.count(index) > 1})
    if twice:
        raise ShardError("merge_shard_twice", shards=", ".join(f"{i}/{count}" for i in twice))
    missing = sorted(set(range(1, count + 1)) - set(given))
    if missing:
        raise ShardError("merge_shards_missing", shards=", ".join(f"{i}/{count}" for i in missing))
    outcomes = {}
    for record in records:
        for data in record["outcomes"]:
            if data["id"] in outcomes:
                raise ShardError("merge_submission_twice", id=data["id"])
            result = GradeResult.from_dict(data["result"])
            outcomes[data["id"]] = batch.Outcome(data["id"], data["status"], result, data["wall_time"], data["detail"])
    # A whole batch grades the folders in the order of their names (batch.submissions).
    return [outcomes[name] for name in sorted(outcomes)], records[0]["lang"], records[0]["settings"]


def merge(folders, out, html_path=None):
    """Join the shards' output folders into out, which must be new or empty (with html_path, the class page
    there too); the Outcomes and their language."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ShardError("merge_out_not_empty", path=str(out))
    outcomes, lang, settings = merged_outcomes(folders)
    for outcome in outcomes:
        batch.write_results(outcome, out, lang)
    batch.write_class_files(outcomes, out, out / batch.GRADES_CSV, lang, html_path)
    write_record(out, outcomes, lang, settings)
    return outcomes, lang
