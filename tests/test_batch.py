"""Batch grading: every subfolder a submission, each in a process of its own under a time limit, one CSV row and
one results.json each, whatever a submission does.

How the batch treats its grading processes (a hang, a crash, an exit, output) is tested with stand-ins for
run.grade, forked from this process; the command line then grades a small class for real."""
import csv
import faulthandler
import json
import os
import pty
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from mutants import entries, materialise
from submissions import GRADER, PROJECT_ROOT, TEMPLATE, copy_of, grader, installed_copy, reference_with

from backprop_grader import batch
from backprop_grader.book import LAYERS
from backprop_grader.cli import main
from backprop_grader.options import GradeOptions
from backprop_grader.progress import Progress
from backprop_grader.report.csv import COLUMNS
from backprop_grader.results import FAILED, IN_PROCESS, NOT_RUN, PASSED, Check, CheckResult, Failure, GradeResult
from backprop_grader.rubric import NO_RUBRIC, Rubric, resolve
from backprop_grader.run import declared_checks

CHECK = Check("t::a", "Relu", "forward_values", 3.0, False, "")
# grader.py with no shortest time limit for a batch, for the tests of a limit that stops every grade.
WITHOUT_MINIMUM = [
    sys.executable, "-c",
    "import sys; from backprop_grader import batch, cli; batch.MIN_TIMEOUT = 0; sys.exit(cli.main(sys.argv[1:]))",
]
# Shorter than a worker takes to start (Python and NumPy): no check can finish. 0.3 s was not: on an idle machine a
# grade of the reference finishes MulLayer's and AddLayer's checks in it (this test passed while its four batches
# ran at once kept the machine busy).
TOO_SHORT = "0.05"


def _stand_in(submission, layers=None, seed=0, extra_args=(), on_check=None):
    """run.grade's stand-in: what it does is the submission folder's name."""
    behaviour = Path(submission).name.split("_")[0]
    if behaviour in ("hang", "segfault"):
        tempfile.mkdtemp(prefix="backprop-grader-")  # as a real grade's workers' runtime folder
    if behaviour == "hang":
        sleeper = subprocess.Popen(["sleep", "600"])
        (Path(submission) / "sleeper.pid").write_text(str(sleeper.pid))
        time.sleep(600)
    if behaviour == "segfault":
        faulthandler.disable()  # this test process's own, which would print the crash on its terminal
        os.kill(os.getpid(), signal.SIGSEGV)
    if behaviour == "exits":
        os._exit(3)
    if behaviour == "noisy":
        os.write(1, b"printed to the terminal?\n")
        os.write(2, b"and to stderr?\n")
    failure = Failure("import_failed", {"file": "layers.py", "where": "", "error": "SyntaxError"})
    outcome = CheckResult(CHECK, FAILED, failure) if behaviour == "broken" else CheckResult(CHECK, PASSED)
    return GradeResult(str(submission), "grading", seed, [outcome])


@pytest.fixture
def class_of(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "grade", _stand_in)

    def make(*names):
        for name in names:
            (tmp_path / name).mkdir()
        return [tmp_path / name for name in names]

    return make


def _gone(pid, seconds=5.0):
    """Whether process pid is gone (or a zombie) within seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_every_outcome_gets_its_status_in_the_order_given(class_of):
    paths = class_of("ok_1", "broken_1", "segfault_1", "exits_1", "hang_1", "ok_2")
    finished = []
    outcomes = batch.grade_all(paths, [CHECK], NO_RUBRIC, jobs=3, timeout=3, on_done=finished.append)
    assert [(o.id, o.status) for o in outcomes] == [
        ("ok_1", "ok"),
        ("broken_1", "import_error"),
        ("segfault_1", "crashed"),
        ("exits_1", "crashed"),
        ("hang_1", "timeout"),
        ("ok_2", "ok"),
    ]
    assert sorted(o.id for o in finished) == sorted(o.id for o in outcomes)
    by_id = {o.id: o for o in outcomes}
    assert by_id["ok_1"].result.score == 3 and by_id["broken_1"].result.score == 0
    assert "SIGSEGV" in by_id["segfault_1"].detail and "exit status 3" in by_id["exits_1"].detail
    for unfinished in ("segfault_1", "exits_1", "hang_1"):
        [check] = by_id[unfinished].result.results
        assert check.check == CHECK and check.score == 0


def test_a_batch_leaves_no_temporary_folder_behind_even_of_a_killed_grade(class_of, tmp_path, monkeypatch):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    paths = class_of("ok_1", "segfault_1", "hang_1")
    outcomes = batch.grade_all(paths, [CHECK], NO_RUBRIC, jobs=3, timeout=3, on_done=None)
    assert [o.status for o in outcomes] == ["ok", "crashed", "timeout"]
    assert list(temporary.iterdir()) == []


def test_a_hang_costs_its_own_time_limit_and_nothing_more(class_of):
    paths = class_of("hang_1", "ok_1", "ok_2", "ok_3", "ok_4")
    started = time.perf_counter()
    outcomes = batch.grade_all(paths, [CHECK], NO_RUBRIC, jobs=2, timeout=2, on_done=None)
    elapsed = time.perf_counter() - started
    assert [o.status for o in outcomes] == ["timeout", "ok", "ok", "ok", "ok"]
    assert 2 <= outcomes[0].wall_time < 4
    assert elapsed < 4  # the other slot graded the rest meanwhile
    # Killed with its whole process group: nothing it started survives it.
    sleeper = int((paths[0] / "sleeper.pid").read_text())
    assert _gone(sleeper)


def test_a_batch_stopped_by_sigterm_leaves_no_grading_process_behind(tmp_path):
    (tmp_path / "hang_1").mkdir()
    script = (
        f"import sys; sys.path[:0] = [{str(PROJECT_ROOT)!r}, {str(PROJECT_ROOT / 'tests')!r}]\n"
        "from pathlib import Path\n"
        "import test_batch\n"
        "from backprop_grader import batch\n"
        "from backprop_grader.rubric import NO_RUBRIC\n"
        "batch.grade = test_batch._stand_in\n"
        f"batch.grade_all([Path({str(tmp_path / 'hang_1')!r})], [test_batch.CHECK], NO_RUBRIC, jobs=1, timeout=600)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    pid_file = tmp_path / "hang_1" / "sleeper.pid"
    deadline = time.monotonic() + 60
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    assert _gone(int(pid_file.read_text()))


def test_what_a_grading_process_writes_to_its_own_stdout_and_stderr_goes_nowhere_near_the_terminal(class_of, capfd):
    [outcome] = batch.grade_all(class_of("noisy_1"), [CHECK], NO_RUBRIC, jobs=1, timeout=10)
    assert outcome.status == "ok"
    out, err = capfd.readouterr()
    assert "printed" not in out + err and "stderr?" not in out + err


def test_the_rubric_applies_to_finished_and_unfinished_grades_alike(class_of):
    marking = resolve(Rubric("r.toml", checks={CHECK.title: 5}), [CHECK])
    outcomes = batch.grade_all(class_of("ok_1", "exits_1"), [CHECK], marking, jobs=2, timeout=10)
    assert [(o.result.score, o.result.max_score) for o in outcomes] == [(5, 5), (0, 5)]


def test_the_progress_bar_counts_statuses_and_blanks_its_line_when_done():
    class Stream(list):
        def write(self, text):
            self.append(text)

        def flush(self):
            pass

    stream = Stream()
    progress = Progress(4, stream, "en")
    progress.update(1, {"ok": 1, "timeout": 0})
    progress.update(2, {"ok": 1, "timeout": 1})
    progress.close()
    assert stream[0].startswith("\r[######..................] 1/4  ok 1  0 s")
    assert "2/4  ok 1  timed out 1" in stream[1]
    assert stream[-1].strip() == "" and stream[-1].endswith("\r")


def test_the_progress_bar_is_drawn_on_a_terminals_stderr(tmp_path):
    (tmp_path / "class" / "empty").mkdir(parents=True)
    controller, terminal = pty.openpty()
    try:
        run = subprocess.run(
            [*GRADER, "--batch", str(tmp_path / "class")], stdout=subprocess.PIPE, stderr=terminal, cwd=PROJECT_ROOT,
            timeout=120,
        )
        os.set_blocking(controller, False)
        drawn = os.read(controller, 65536).decode()
    finally:
        os.close(controller)
        os.close(terminal)
    assert run.returncode == 0
    assert "\r[########################] 1/1  import error 1" in drawn
    assert "\r" not in run.stdout.decode()


def test_submissions_are_the_subfolders_but_hidden_ones_and_the_output_folder(tmp_path):
    for name in ("bob", "alice", ".git", "__MACOSX", "results"):
        (tmp_path / name).mkdir()
    (tmp_path / "notes.txt").write_text("")
    assert [p.name for p in batch.submissions(tmp_path, out=tmp_path / "results")] == ["alice", "bob"]
    assert batch.default_out(tmp_path / "class") == tmp_path / "class-results"


# The command line, grading a small class for real.

RUBRIC = "[layers]\nAffine = 30\n[visibility]\nRelu = \"hidden\"\n"
BUG = next(e for e in entries("bugs") if e.name == "relu_mask_lt_zero")
EXTRA_CHECK = """from checks import check


@check("Relu", 1)
def test_relu_of_zero_is_zero(impl):
    \"\"\"Relu passes no signal at 0.\"\"\"
    import numpy as np

    assert impl.Relu().forward(np.zeros((1, 2))).tolist() == [[0.0, 0.0]]
"""
HOSTILE = '''
import pathlib
for target in {targets!r}:
    try:
        pathlib.Path(target).write_text("raise SystemExit('overwritten by another submission')\\n")
    except OSError:
        pass
'''


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    klass = root / "class"
    copy_of("reference", klass / "alice")
    copy_of(TEMPLATE, klass / "bob")
    materialise(BUG, root / "bugs").rename(klass / "carol")
    reference_with(klass / "dave", append="def broken(:\n    pass\n")
    (klass / "erin").mkdir()
    (klass / ".git").mkdir()
    (klass / "README.txt").write_text("not a submission")
    rubric = root / "rubric.toml"
    rubric.write_text(RUBRIC)
    reference_with(root / "renamed" / "ReLU_fan", append="ReLU = Relu\ndel Relu\n")
    (root / "extra").mkdir()
    (root / "extra" / "test_more.py").write_text(EXTRA_CHECK)
    out = root / "out"
    commands = {
        "batch": ["--batch", klass, "--jobs", "2", "--out", out, "--csv", root / "grades.csv", "--rubric", rubric],
        "single": [klass / "carol", "--rubric", rubric, "--json", root / "carol.json"],
        "too_short": ["--batch", klass, "--out", root / "too_short", "--timeout", TOO_SHORT],
        "too_short_ja": ["--batch", klass, "--out", root / "too_short_ja", "--timeout", TOO_SHORT, "--lang", "ja"],
        "refused": ["--batch", klass, "--out", root / "refused", "--timeout", "10"],
        "aliased": ["--batch", root / "renamed", "--alias", "Relu=ReLU", "--extra-tests", root / "extra"],
        "in_process": ["--batch", klass, "--out", root / "in_process", "--no-isolate", "--layer", "Relu"],
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        # A time limit too short for any check to finish (TOO_SHORT): the command line refuses one under
        # batch.MIN_TIMEOUT.
        runs = dict(zip(commands, pool.map(
            lambda item: grader(*item[1], command=WITHOUT_MINIMUM if item[0].startswith("too_short") else GRADER),
            commands.items())))
    return root, runs


def _rows(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_a_class_gets_one_csv_row_and_one_results_json_per_submission(graded_class):
    root, runs = graded_class
    run = runs["batch"]
    assert run.returncode == 0, run.stderr
    rows = _rows(root / "grades.csv")
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["submission"], r["status"], r["total"]) for r in rows] == [
        ("alice", "ok", "108"),
        ("bob", "ok", "0"),
        ("carol", "ok", rows[2]["total"]),
        ("dave", "import_error", "16"),
        ("erin", "import_error", "0"),
    ]
    lost = {layer for layer in LAYERS if rows[2][layer] != rows[0][layer]}
    assert lost == {BUG.layer}, "a bug costs points on its own layer only"
    assert rows[0]["Affine"] == "30"
    for row in rows:
        results = json.loads((root / "out" / row["submission"] / "results.json").read_text())
        assert results["score"] == pytest.approx(float(row["total"]))
        assert results["extra_data"]["status"] == row["status"]
        assert {t["visibility"] for t in results["tests"] if t["name"].startswith("Relu:")} == {"hidden"}
        assert float(row["wall_time_s"]) > 0


def test_no_isolate_grades_a_batch_in_process_too(graded_class):
    root, runs = graded_class
    assert runs["in_process"].returncode == 0, runs["in_process"].stderr
    rows = _rows(root / "in_process" / "grades.csv")
    relu = {r["submission"]: float(r["Relu"]) for r in rows}
    assert relu == {"alice": 14, "bob": 0, "carol": relu["carol"], "dave": 0, "erin": 0} and 0 < relu["carol"] < 14
    for row in rows:
        results = json.loads((root / "in_process" / row["submission"] / "results.json").read_text())
        assert results["extra_data"]["sandbox"] == {"mode": IN_PROCESS}


def test_the_batch_grade_is_the_single_grade(graded_class):
    root, runs = graded_class
    assert runs["single"].returncode == 0, runs["single"].stderr
    single = json.loads((root / "carol.json").read_text())
    batched = json.loads((root / "out" / "carol" / "results.json").read_text())
    del batched["extra_data"]["status"]
    for results in (single, batched):
        del results["execution_time"]
    assert batched == single


def test_the_summary_names_what_did_not_go_well_and_no_progress_bar_leaves_a_terminal(graded_class):
    root, runs = graded_class
    run = runs["batch"]
    assert re.search(r"^Graded 5 submissions in [\d.]+ s \([\d.]+ per second\), 2 at a time: ok 3, import error 2, timed out 0, crashed 0$", run.stdout, re.M)
    assert "  dave: import error, 16 points" in run.stdout and "alice:" not in run.stdout
    assert "Rubric" in run.stderr and "\r" not in run.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("stdout", ["full_disk", "reader_gone"])
def test_a_standard_output_that_fails_ends_the_batch_in_no_traceback(stdout, tmp_path):
    """The summary was printed with print(): on a full disk (or to `| head`, gone) the batch ended in a traceback
    and exit status 1, after its files were written. Now a full disk is said in one line, a reader gone not at
    all, and the files are written as ever."""
    copy_of(TEMPLATE, tmp_path / "class" / "bob")
    if stdout == "full_disk":
        stream = open("/dev/full", "w")
    else:
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader gone, as `| head` leaves it
        stream = open(write_end, "w")
    with stream:
        done = grader("--batch", tmp_path / "class", "--out", tmp_path / "out", "--no-isolate", "--layer", "Relu",
                      stdout=stream, stderr=subprocess.PIPE)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    said = "the report could not be written to the standard output: No space left on device"
    assert (said in done.stderr) == (stdout == "full_disk"), done.stderr
    assert [row["submission"] for row in _rows(tmp_path / "out" / batch.GRADES_CSV)] == ["bob"]


def test_the_batch_prints_and_writes_the_class_summary_and_a_row_per_check(graded_class):
    root, runs = graded_class
    run, out = runs["batch"], root / "out"
    assert "Class summary: 5 submissions" in run.stdout
    assert re.search(r"^  1 of 5  Relu: the mask must be x <= 0", run.stdout, re.M)
    assert "Not graded in the table: 2 did not load" in run.stdout
    assert f"Every check of every submission: {out / 'checks.csv'}" in run.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["statuses"] == {"ok": 3, "import_error": 2, "timeout": 0, "crashed": 0}
    [relu_zero] = [m for m in summary["mistakes"] if m["mistake"] == BUG.mistake]
    assert (relu_zero["layer"], relu_zero["count"], relu_zero["of"], relu_zero["submissions"]) == ("Relu", 1, 5, ["carol"])
    [affine] = [s for s in summary["layers"] if s["layer"] == "Affine"]  # the rubric's 30 points
    assert affine == {"layer": "Affine", "max_score": 30, "graded": 3, "mean": 20, "median": 30, "full_marks": 2,
                      "zero": 1, "did_not_load": 2}  # alice and carol full, bob's template 0; dave and erin do not load
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("## Class summary: 5 submissions")
    rows = _rows(out / "checks.csv")
    checks = len(json.loads((out / "alice" / "results.json").read_text())["tests"])  # the suite's and the extra one
    assert [r["student"] for r in rows[::checks]] == ["alice", "bob", "carol", "dave", "erin"]
    assert len(rows) == 5 * checks
    assert {r["mistake"] for r in rows if r["student"] == "carol" and r["outcome"] != "passed"} == {BUG.mistake}
    assert {r["mistake"] for r in rows if r["student"] in ("alice", "erin")} == {""}
    assert "クラスのまとめ: 提出物 5 個" in runs["too_short_ja"].stdout


def test_a_grade_over_its_time_limit_is_a_timeout_row_that_scores_0_and_says_why(graded_class):
    root, runs = graded_class
    assert runs["too_short"].returncode == 0, runs["too_short"].stderr
    rows = _rows(root / "too_short" / "grades.csv")
    assert {(r["status"], r["total"]) for r in rows if r["submission"] != "erin"} <= {("timeout", "0")}
    results = json.loads((root / "too_short" / "alice" / "results.json").read_text())
    assert results["output"].startswith(f"Grading your submission took longer than {TOO_SHORT} s")
    assert len(results["tests"]) == len(declared_checks()) and results["score"] == 0


def test_a_time_limit_below_what_the_per_call_limits_can_add_up_to_is_refused(graded_class):
    root, runs = graded_class
    run = runs["refused"]
    assert run.returncode == 2 and not (root / "refused").exists()
    assert "--timeout 10: a grade's per-call time limits can add up to 60 s" in run.stderr
    assert f"give --timeout {batch.MIN_TIMEOUT:g} or more" in run.stderr


RELU_FOREVER = """
class Relu(Relu):
    def forward(self, x):
        while True:
            pass
"""


def test_a_grade_cut_by_its_time_limit_keeps_every_check_that_finished(tmp_path):
    layers = ("MulLayer", "Relu", "Affine")
    reference_with(tmp_path / "class" / "loops", RELU_FOREVER)
    declared = declared_checks(layers)
    [outcome] = batch.grade_all([tmp_path / "class" / "loops"], declared, NO_RUBRIC, jobs=1, timeout=7,
                                options=GradeOptions(layers=layers))
    assert outcome.status == "timeout"
    by_layer = {layer: [r for r in outcome.result.results if r.check.layer == layer] for layer in layers}
    assert [r.check for r in outcome.result.results] == declared
    assert {r.status for r in by_layer["MulLayer"]} == {PASSED}  # finished before the limit: scored
    relu = by_layer["Relu"]
    assert relu[0].status == FAILED and relu[0].failure.key == "timeout"  # the per-call limit stopped it
    late = [r for r in outcome.result.results if r.status == NOT_RUN]
    assert by_layer["Affine"][0] in late and {r.failure.key for r in late} == {"batch_not_run_in_time"}
    assert late[0].failure.render() == (
        "not run in time: grading your submission took longer than 7 s and was stopped before this check.")
    batch.write_results(outcome, tmp_path / "out", "en")
    document = json.loads((tmp_path / "out" / "loops" / "results.json").read_text())
    assert document["output"].startswith("Grading your submission took longer than 7 s, so it was stopped: the "
                                         "checks that had finished keep their scores")
    assert document["score"] == sum(r.check.points for r in by_layer["MulLayer"]) > 0


def test_a_batch_speaks_the_language_asked_for_and_its_csv_keeps_the_status_keys(graded_class):
    root, runs = graded_class
    run = runs["too_short_ja"]
    assert run.returncode == 0, run.stderr
    assert re.search(r"^5 個の提出物を [\d.]+ 秒で採点しました.*: 正常 \d, インポートエラー \d, 時間切れ \d, クラッシュ 0$", run.stdout, re.M)
    assert "  alice: 時間切れ、0 点" in run.stdout
    assert {r["status"] for r in _rows(root / "too_short_ja" / "grades.csv") if r["submission"] != "erin"} == {"timeout"}
    results = json.loads((root / "too_short_ja" / "alice" / "results.json").read_text(encoding="utf-8"))
    assert results["output"].startswith(f"あなたの提出物の採点が {TOO_SHORT} 秒を超えたので止めました。")
    assert results["extra_data"]["status"] == "timeout" and results["tests"][0]["name"].startswith("MulLayer: ")


def test_aliases_and_extra_checks_reach_every_grade_of_a_batch(graded_class):
    root, runs = graded_class
    assert runs["aliased"].returncode == 0, runs["aliased"].stderr
    [row] = _rows(root / "renamed-results" / "grades.csv")
    assert (row["submission"], row["Relu"], row["total"]) == ("ReLU_fan", "15", "101")
    results = json.loads((root / "renamed-results" / "ReLU_fan" / "results.json").read_text())
    assert {"name": "Relu: relu_of_zero_is_zero", "status": "passed"}.items() <= next(
        t for t in results["tests"] if t["name"] == "Relu: relu_of_zero_is_zero"
    ).items()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jobs", "2"], "--jobs goes with --batch"),
        (["--batch", "reference", "--json", "x.json"], "--json is for grading one submission"),
        (["--batch", "no/such/folder"], "not found: no/such/folder"),
        (["--batch", "tests/catalogue/bugs"], "no submission folders in tests/catalogue/bugs"),
        (["--batch", "tests", "--jobs", "0"], "expected a number above 0"),
    ],
    ids=["jobs_alone", "json", "missing", "no_subfolders", "zero_jobs"],
)
def test_batch_usage_errors_exit_2(args, message, capsys, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.skipif(
    not (Path(batch.__file__).parent / "isolation").is_dir(),
    reason="student code is kept from writing files by the isolation sandbox (backprop_grader/isolation)",
)
def test_no_submission_can_change_another_grade_or_the_grader(tmp_path):
    project = tmp_path / "project"  # a copy of the grader as installed: this test attacks it
    package = installed_copy(project)
    klass = tmp_path / "class"
    targets = [klass / "b_victim" / "layers.py", package / "reference" / "layers.py", package / "checks" / "marks.py"]
    reference_with(klass / "a_attacker", append=HOSTILE.format(targets=[str(t) for t in targets]))
    copy_of("reference", klass / "b_victim")
    before = {t: t.read_bytes() for t in targets}
    run = subprocess.run(
        [sys.executable, "-m", "backprop_grader", "--batch", str(klass), "--jobs", "1"],
        capture_output=True, text=True, cwd=project, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    rows = {r["submission"]: r for r in _rows(tmp_path / "class-results" / "grades.csv")}
    assert rows["b_victim"]["total"] == "100"
    assert {t: t.read_bytes() for t in targets} == before
