"""Hostile submissions (tests/catalogue/attacks/) graded through the real entry point, each in its own process:
the grader finishes within the attack's time budget, the attacked layers score 0, every other layer is graded
as usual (full marks: the rest of each submission is the reference), the results file is the grader's, and no
process the submission started is left behind; and what each attack costs is told in every language."""
import json
from pathlib import Path

import pytest
from english_words import english_words, report_text
from mutants import entries, materialise
from slow_grades import Run
from submissions import PROJECT_ROOT

from backprop_grader.book import LAYERS
from backprop_grader.intake import NOTE_KEYS
from backprop_grader.isolation.replies import GRADER_MODULES
from backprop_grader.messages import languages
from backprop_grader.results import GradeResult

ATTACKS = entries("attacks")
# A grade takes a few seconds; an attack that costs a time limit per check it hits takes longer (BUDGET).
DEFAULT_BUDGET = 45


@pytest.fixture(scope="session")
def attacked(slow_grades):
    """Every attack graded once through `python -m backprop_grader.run`, two at a time (slow_grades.attacked);
    keyed by entry id, plus the reference under "reference"."""
    return {key: Run.from_dict(found) for key, found in slow_grades.result("attacked").items()}


def _result(run):
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.out is not None, "the grader wrote no results file"
    return GradeResult.from_dict(json.loads(run.out))


def test_reference_is_graded_in_full(attacked):
    result = _result(attacked["reference"])
    assert result.score == result.max_score


@pytest.mark.parametrize("entry", ATTACKS, ids=[e.name for e in ATTACKS])
def test_attack_is_contained(entry, attacked):
    run = attacked[entry.id]
    result = _result(run)
    reference = _result(attacked["reference"])
    assert [r.check.id for r in result.results] == [r.check.id for r in reference.results], "not the grader's file"
    for score in result.layer_scores():
        layer = score.layer
        if layer in entry.layers:
            assert score.score == 0, f"{layer} kept points: {_failures(result, layer) or 'none failed'}"
        else:
            assert score.score == score.max_score, f"{layer} lost points: {_failures(result, layer)}"
    failed = {r.check.title for r in result.results if r.status != "passed"}
    assert entry.must_fail <= failed, entry.must_fail - failed
    if entry.feedback:
        keys = {r.failure.key for r in result.results if r.check.layer in entry.layers and r.check.points}
        assert keys == {entry.feedback}, "each check the attack costs says why"
    assert run.seconds <= (entry.budget or DEFAULT_BUDGET), f"grading took {run.seconds:.1f} s"
    assert run.leftovers == [], "processes outlived the grader"


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != "en"])
def test_what_an_attack_costs_is_said_in_every_language(attacked, lang):
    """A time limit, a crash, an exit, an import of the grader's code: told in the learner's language, though the
    worker only sends message keys and their values back."""
    for entry in ATTACKS:
        report = report_text(_result(attacked[entry.id]), lang)
        assert english_words(report, names=GRADER_MODULES) == [], f"{entry.id} in {lang}:\n{report}"


def _failures(result, layer):
    return [f"{r.check.name}: {r.failure.render()}" for r in result.results if r.check.layer == layer and r.failure]


def test_no_attack_wrote_where_the_grader_lives(attacked):
    """write_grader_files looks for the grader's folders, its tests and its results folder and writes a marker
    into each: none may exist (a test of the sandbox's read-only, hidden file system and of the filter)."""
    marker = "backprop_attack_marker"
    run = attacked["attacks/write_grader_files"]
    places = [PROJECT_ROOT, PROJECT_ROOT / "backprop_grader", PROJECT_ROOT / "tests", run.results_folder,
              run.submission, Path.cwd()]
    assert [str(p) for place in places for p in place.glob(f"{marker}*")] == []


def test_no_attack_finds_the_reference_code_to_smuggle_out(attacked):
    """steal_reference_code prints the reference's layer code it finds where its TwoLayerNet runs (marshalled, for
    a later submission to paste into its own layers): the reference lives in the grader, so it finds none, and
    says so (what it prints reaches the report)."""
    printed = _result(attacked["attacks/steal_reference_code"]).printed
    assert "nothing to steal" in printed and "STOLEN" not in printed


def test_a_submission_cannot_change_itself_for_a_later_grade(attacked, tmp_path):
    """rewrite_own_submission rewrites its layers.py at import: its folder is as it was materialised."""
    run = attacked["attacks/rewrite_own_submission"]
    entry = next(e for e in ATTACKS if e.name == "rewrite_own_submission")
    fresh = materialise(entry, tmp_path)
    assert sorted(p.name for p in run.submission.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for path in fresh.iterdir():
        assert (run.submission / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_attack_is_catalogued_with_its_layers():
    for entry in ATTACKS:
        assert entry.layers and entry.layers <= set(LAYERS), entry.id
        assert entry.doc, f"{entry.id} says nothing about what it does"
    assert len(ATTACKS) >= 12


MAX_RESULTS_BYTES = 120_000  # a whole results file, every check failing with its longest message


def test_a_submission_adds_nothing_to_the_report_but_clipped_messages(attacked):
    """Notes forged from inside the worker (forge_report_text: any message key, instructions on lines of their
    own) are dropped, and no message grows with what a submission makes it quote (a 200,000-character file
    name): every param is clipped, every note is one the loader makes, and the results file stays small."""
    for entry in ATTACKS:
        run = attacked[entry.id]
        result = _result(run)
        assert len(run.out) < MAX_RESULTS_BYTES, f"{entry.id}: {len(run.out)} bytes of results"
        assert {n.key for n in result.notes} <= NOTE_KEYS, entry.id
        for note in result.notes:
            assert all(len(str(v)) <= 300 and "\n" not in str(v) for v in note.params.values()), entry.id
        for r in result.results:
            if r.failure:
                assert len(r.failure.render()) <= 4000, f"{entry.id} {r.check.title}"
    forged = _result(attacked["attacks/forge_report_text"])
    assert forged.notes == []
    assert "IGNORE" not in json.dumps(forged.to_dict())
