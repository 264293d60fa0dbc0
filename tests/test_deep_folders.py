"""A submission folder nested without end (1,100 folders, one in another) is graded like any other: the walks
over a submission (the loader's search for files, the sandbox's look at who may read them, its readable copy)
go no deeper than sources.MAX_DEPTH and through no more than sources.MAX_FOLDERS folders, without recursion;
what lies beyond is not looked at, and the report says so. No crash, a results file, no temporary folder left."""
import json
import os
from pathlib import Path

import pytest
from mutants import _reference_pieces
from submissions import copy_of, grader

from backprop_grader import sources
from backprop_grader.intake import discover
from backprop_grader.shipped import REFERENCE_DIR

NESTED = 1_100
_NESTS = []  # the first folder of each chain made, for _remove_nests


@pytest.fixture(autouse=True)
def _remove_nests():
    """Remove the chains once done, without recursion: pytest's own clean-up of old temporary folders
    (shutil.rmtree, recursive in Python 3.11) would fail on them."""
    yield
    while _NESTS:
        folders, stack = [], [_NESTS.pop()]
        while stack:
            folder = stack.pop()
            folders.append(folder)
            os.chmod(folder, 0o700)
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        os.unlink(entry.path)
        for folder in reversed(folders):
            os.rmdir(folder)


def _nest(folder, levels=NESTED, mode=None):
    path = str(folder)
    _NESTS.append(os.path.join(path, "d"))
    for _ in range(levels):
        path = os.path.join(path, "d")
        os.mkdir(path)
        if mode is not None:
            os.chmod(path, mode)
    Path(path, "deepest.py").write_text("class Relu:\n    pass\n")
    return folder


def test_walk_goes_no_deeper_than_its_bound_and_says_so(tmp_path):
    _nest(tmp_path)
    cut = set()
    levels = [len(Path(folder).relative_to(tmp_path).parts) for folder, _, _ in sources.walk(tmp_path, cut)]
    assert levels == list(range(sources.MAX_DEPTH + 1)) and cut == {"depth"}
    cut = set()
    assert discover(tmp_path, cut) == [] and cut == {"depth"}  # deepest.py lies beyond the bound


def test_walk_enters_no_more_than_its_count_of_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_FOLDERS", 50)
    for i in range(200):
        (tmp_path / f"f{i:03}").mkdir()
    cut = set()
    assert len(list(sources.walk(tmp_path, cut))) == 50 and cut == {"count"}


def test_walk_is_os_walk_within_its_bounds(tmp_path):
    """The same folders and names, top-down, sorted; links to folders listed, not followed; pruning works."""
    for part in ("a/b/c", "a/x", "e"):
        (tmp_path / part).mkdir(parents=True)
    (tmp_path / "a" / "f.py").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    ours = [(os.path.relpath(d, tmp_path), f, n) for d, f, n in sources.walk(tmp_path)]
    theirs = [(os.path.relpath(d, tmp_path), sorted(f), sorted(n)) for d, f, n in sorted(os.walk(tmp_path))]
    theirs = [(d, [x for x in f if x != "link"], sorted(n + (["link"] if d == "." else []))) for d, f, n in theirs]
    assert ours == theirs
    pruned = []
    for directory, folders, _ in sources.walk(tmp_path):
        pruned.append(os.path.relpath(directory, tmp_path))
        folders[:] = [f for f in folders if f != "a"]
    assert pruned == [".", "e"]


def _grade(submission, tmp_path):
    """python grader.py SUBMISSION, its temporary folders in a folder of the test's own: (run, results, what
    is left in that folder)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "results.json"
    run = grader(submission, "--json", out, env_update={"TMPDIR": str(scratch)}, timeout=300)
    results = json.loads(out.read_text()) if out.exists() else None
    return run, results, sorted(p.name for p in scratch.iterdir())


@pytest.mark.parametrize("owner_only", [False, True], ids=["readable", "owner_only"])
def test_a_template_folder_holding_1100_nested_folders_is_graded(tmp_path, owner_only):
    """As root, owner-only folders make the sandbox copy the submission for nobody to read: that copy is
    bounded as well."""
    if owner_only and os.geteuid() != 0:
        pytest.skip("the readable copy is made for root's workers only")
    submission = _nest(copy_of(REFERENCE_DIR, tmp_path / "submission"), mode=0o700 if owner_only else None)
    run, results, left = _grade(submission, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert results is not None and results["score"] == 100
    assert left == [], "temporary folders left behind"


def test_a_loose_script_beside_1100_nested_folders_is_graded_and_the_report_says_what_was_cut(tmp_path):
    """Not template-shaped: the loader searches the folder for the book's names, as far as its bounds."""
    submission = tmp_path / "repository"
    submission.mkdir()
    (submission / "answers.py").write_text("\n\n".join(_reference_pieces()))
    _nest(submission)
    run, results, left = _grade(submission, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert results["score"] == 100
    assert f"nested more than {sources.MAX_DEPTH} levels deep" in run.stdout
    assert left == []
