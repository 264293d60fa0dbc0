"""A class on many machines: --batch DIR --shard K/N grades the K-th of N shards, and `merge` joins the shards'
outputs into what one batch of the whole class writes, byte for byte but for the timings."""
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from mutants import entries, materialise
from submissions import TEMPLATE, copy_of, grader, reference_with

from backprop_grader.shards import RECORD, Shard, ShardError, pick

SHARDS = 3


def test_every_submission_is_in_exactly_one_shard_and_its_shard_depends_on_its_name_alone():
    """A submission graded twice or never, or moved by a late one, would make shards that do not add up."""
    names = [f"student{i:03d}" for i in range(300)]
    shards = [Shard(k, SHARDS) for k in range(1, SHARDS + 1)]
    picked = [pick([Path(n) for n in names], shard) for shard in shards]
    assert sorted(p.name for part in picked for p in part) == names
    assert all(60 < len(part) < 140 for part in picked), "a hash spreads a class roughly evenly"
    late = [Path(n) for n in ["aaron", *names]]
    assert [p for p in pick(late, shards[0]) if p.name != "aaron"] == picked[0]


@pytest.mark.parametrize("text", ["2/3", "1/1", "3/3"])
def test_a_shard_is_k_of_n(text):
    assert str(Shard.parse(text)) == text


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "3", "a/b", "1/3/5", "-1/3", ""])
def test_a_shard_that_is_not_k_of_n_is_refused(text):
    with pytest.raises(ShardError):
        Shard.parse(text)


def _timings_aside(path):
    """The file's text with what each machine measures (wall times, durations) blanked."""
    text = path.read_text(encoding="utf-8")
    if path.name == "grades.csv":
        return re.sub(r",\d+\.\d\d,", ",T,", text)
    return re.sub(r'"(execution_time|wall_time|duration)": [0-9.e-]+', r'"\1": T', text)


def _files(folder):
    return {p.relative_to(folder): p for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """A class (a correct submission, the template, two catalogued bugs, one that does not load) graded whole and
    in three shards; the shards merged. The whole batch and the merge write the class page too."""
    root = tmp_path_factory.mktemp("sharded")
    klass = root / "class"
    copy_of("reference", klass / "alice")
    copy_of(TEMPLATE, klass / "bob")
    bugs = [e for e in entries("bugs") if e.mistake][:2]
    for name, bug in zip(("carol", "dave"), bugs):
        materialise(bug, root / "made" / name).rename(klass / name)
    reference_with(klass / "erin", append="def broken(:\n    pass\n")
    common = ["--no-isolate", "--jobs", "1"]
    runs = [["--batch", klass, "--out", root / "whole", "--html", root / "whole" / "class.html", *common]]
    runs += [["--batch", klass, "--out", root / f"shard{k}", "--shard", f"{k}/{SHARDS}", *common]
             for k in range(1, SHARDS + 1)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda args: grader(*args), runs))
    for run in done:
        assert run.returncode == 0, run.stderr
    shard_outs = [root / f"shard{k}" for k in range(1, SHARDS + 1)]
    merged = grader("merge", "--out", root / "merged", "--html", root / "merged" / "class.html", *shard_outs)
    assert merged.returncode == 0, merged.stderr
    return root, shard_outs, merged


def test_a_class_graded_in_shards_merges_to_what_one_batch_writes(sharded):
    """Merged files that differ from a whole batch's would give a class graded on many machines other grades, CSV
    rows or summary than on one."""
    root, shard_outs, merged = sharded
    whole, joined = _files(root / "whole"), _files(root / "merged")
    assert set(joined) == set(whole)
    assert len([p for p in whole if p.name == "results.json"]) == 5
    assert len([p for p in whole if p.name == "report.html"]) == 5 and Path("class.html") in whole
    for relative, path in whole.items():
        assert _timings_aside(joined[relative]) == _timings_aside(path), relative
    assert "Merged 3 shards: 5 submissions" in merged.stdout


def test_each_shard_grades_its_own_part_of_the_class_only(sharded):
    root, shard_outs, _ = sharded
    graded = [sorted(p.parent.name for p in out.glob("*/results.json")) for out in shard_outs]
    assert sorted(name for part in graded for name in part) == ["alice", "bob", "carol", "dave", "erin"]
    for out, part in zip(shard_outs, graded):
        record = json.loads((out / RECORD).read_text())
        assert [o["id"] for o in record["outcomes"]] == part


def test_a_shard_of_a_small_class_may_hold_nobody_and_still_merges(sharded, tmp_path):
    """A CI matrix wider than the class must not fail the jobs that got no student."""
    root, shard_outs, _ = sharded
    names = ["alice", "bob", "carol", "dave", "erin"]
    count = 50
    empty = next(k for k in range(1, count + 1) if not pick([Path(n) for n in names], Shard(k, count)))
    run = grader("--batch", root / "class", "--out", tmp_path / "empty", "--shard", f"{empty}/{count}",
                 "--no-isolate")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "empty" / RECORD).read_text())["outcomes"] == []
    assert (tmp_path / "empty" / "grades.csv").read_text().count("\n") == 1, "the header alone"


def _record(folder, **changes):
    record = json.loads((folder / RECORD).read_text())
    record.update(changes)
    (folder / RECORD).write_text(json.dumps(record))


@pytest.mark.parametrize("case, message", [
    ("missing", "shard 2/3 is missing"),
    ("twice", "shard 1/3 is given twice"),
    ("not_a_batch", "is not the output folder of a batch"),
    ("whole", "is the output of a whole batch"),
    ("out_not_empty", "is not an empty folder"),
    ("other_settings", "graded with different options"),
    ("other_count", "different numbers of shards (3, 4)"),
])
def test_a_merge_that_would_not_add_up_is_refused_with_a_reason(sharded, tmp_path, case, message):
    """A merge that went ahead would drop students, count them twice or mix grades made differently."""
    root, shard_outs, _ = sharded
    copies = [copy_of(out, tmp_path / out.name) for out in shard_outs]
    out = tmp_path / "merged"
    given = {
        "missing": [copies[0], copies[2]],
        "twice": [copies[0], copies[0], copies[1], copies[2]],
        "not_a_batch": [*copies, tmp_path],
        "whole": [*copies, root / "whole"],
    }.get(case, copies)
    if case == "out_not_empty":
        out = copies[0]
    if case == "other_settings":
        _record(copies[1], settings={"options": ["--seed=1"]})
    if case == "other_count":
        _record(copies[1], shard=[2, 4])
    run = grader("merge", "--out", out, *given)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def _recipe_commands():
    """Every backprop-grader command line of the recipes in docs/instructors.md, its placeholders filled in."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "instructors.md").read_text(encoding="utf-8")
    section = text.split("### A class on many machines")[1].split("\n## ")[0]
    section = re.sub(r"\\\n\s*", "", section)
    filled = {r"\$\{\{ matrix\.shard \}\}": "1", r"\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)": "1",
              r"\$JOB_COMPLETION_INDEX": "0", r"\{\}": "1", r"shard-\*": "shard-1 shard-2"}
    for pattern, value in filled.items():
        section = re.sub(pattern, value, section)
    lines = re.findall(r"backprop-grader ((?:--batch|merge) [^\n#`&:]*)", section)
    return [line.split() for line in lines]


def test_the_docs_recipes_run_commands_the_grader_takes():
    """A recipe an instructor copies into a CI matrix must not fail on an option the grader does not have."""
    from backprop_grader import instructor
    from backprop_grader.cli import _Parser, build_parser

    commands = _recipe_commands()
    assert sum(c[0] == "merge" for c in commands) >= 3 and sum("--shard" in c for c in commands) >= 3
    for command in commands:
        if command[0] == "merge":
            parser = _Parser("en", prog="merge")
            instructor.add_merge_arguments(parser, "en")
            assert parser.parse_args(command[1:]).shards
        else:
            options = build_parser().parse_args(command)
            assert Shard.parse(options.shard).index == 1, command
