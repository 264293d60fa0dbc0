"""Rubric points are points: a layer's checks scaled to its total are whole or half points, shared out by
largest remainder, and every total is exact (the instructors' page's rubric once graded 'Affine 13.1579 / 30' and a
maximum of 109.99999999999997)."""
import json
import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from submissions import PROJECT_ROOT

from backprop_grader.instructor import _declared_checks
from backprop_grader.report import csv, gradescope, terminal
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, Failure, GradeResult
from backprop_grader.rubric import GRID, Rubric, RubricError, on_grid, read, resolve


@pytest.fixture(scope="module")
def declared():
    return _declared_checks()


@pytest.fixture(scope="module")
def readme_rubric(tmp_path_factory):
    """The rubric the instructors' page shows, as a file."""
    readme = (PROJECT_ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    text = re.search(r"```toml\n# rubric\.toml\n(.*?)```", readme, re.S).group(1)
    path = tmp_path_factory.mktemp("rubric") / "rubric.toml"
    path.write_text(text, encoding="utf-8")
    return read(path)


def _on_grid(value):
    return Fraction(value) % GRID == 0


def test_the_documented_rubric_gives_whole_or_half_points_that_add_up_exactly(declared, readme_rubric):
    marking = resolve(readme_rubric, declared)
    points = {title: p for title, (p, _) in marking.by_title.items()}
    assert all(_on_grid(p) for p in points.values()), {t: p for t, p in points.items() if not _on_grid(p)}
    assert points["Affine: backward_db"] == 5
    assert sum(p for t, p in points.items() if t.startswith("Affine:")) == 30
    totals = marking.layer_totals()
    assert totals["Affine"] == 30 and sum(totals.values()) == 108  # exactly, not approximately


def test_a_grade_under_the_readmes_rubric_reads_in_plain_points(declared, readme_rubric):
    marking = resolve(readme_rubric, declared)
    results = [
        CheckResult(c, FAILED if c.name.startswith("backward") else PASSED, Failure("not_run") if c.name.startswith("backward") else None)
        for c in declared
    ]
    marked = marking.apply(GradeResult("s", "grading", 0, results))
    assert marked.max_score == 108
    for layer in marked.layer_scores():
        assert _on_grid(layer.score) and _on_grid(layer.max_score)
    document = json.loads(gradescope.render(marked))
    assert all(_on_grid(t["max_score"]) and _on_grid(t["score"]) for t in document["tests"])
    assert document["score"] == sum(t["score"] for t in document["tests"])
    report = terminal.render_report(marked, verbose=True)
    assert not re.search(r"\d\.\d\d", report), "no point count with more than one decimal"
    assert re.fullmatch(r"\d+(\.5)?", csv.row(marked, "s", 0.0)["Affine"])


@given(
    total=st.integers(0, 400).map(lambda n: n / 2),
    weights=st.lists(st.sampled_from([0, 0.5, 1, 2, 3, 4, 7]), min_size=1, max_size=15).filter(lambda w: sum(w) > 0),
)
def test_largest_remainder_adds_up_exactly_and_stays_within_a_step_of_each_share(total, weights):
    shares = on_grid(total, weights)
    assert sum(shares) == total and all(_on_grid(s) for s in shares)
    whole = sum(weights)
    for share, weight in zip(shares, weights):
        quota = Fraction(total) * Fraction(weight) / Fraction(whole)
        assert abs(Fraction(share) - quota) < GRID
        assert weight > 0 or share == 0


def test_equal_checks_get_equal_points_when_the_total_allows_it():
    assert on_grid(12, [1, 1, 1, 1]) == [3.0, 3.0, 3.0, 3.0]
    assert on_grid(25, [4, 3]) == [14.5, 10.5]
    assert on_grid(10, [3, 3, 1]) == [4.5, 4.0, 1.5]  # a tie of remainders: the earlier check


DECLARED = [Check("t::a", "Affine", "forward", 4.0, False, ""), Check("t::b", "Affine", "backward", 3.0, False, "")]


@pytest.mark.parametrize(
    "rubric",
    [Rubric("r.toml", layers={"Affine": 7.25}), Rubric("r.toml", checks={"Affine: forward": 0.3})],
    ids=["layer_total", "check"],
)
def test_points_off_the_half_point_grid_are_refused(rubric):
    with pytest.raises(RubricError) as refused:
        resolve(rubric, DECLARED)
    assert refused.value.key == "rubric_off_grid"


def test_a_rubric_file_off_the_grid_is_refused_when_read(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text("[layers]\nAffine = 13.1579\n", encoding="utf-8")
    with pytest.raises(RubricError) as refused:
        read(path)
    assert refused.value.key == "rubric_off_grid" and refused.value.params["name"] == "Affine"
