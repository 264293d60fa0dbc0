"""What a bug does to training (--plot, check(plot=True)): the learner's TwoLayerNet on their own layers trained
beside the reference's from the same weights, the wrong layer named, and a failed gradient check's backward
against the slopes of the learner's own forward."""
import os

import numpy as np
import pytest
from mutants import entries, materialise
from submissions import grader, reference_with

from backprop_grader import training
from backprop_grader.loader import load
from backprop_grader.options import GradeOptions
from backprop_grader.report import plots
from backprop_grader.results import FAILED, PASSED, Check, CheckResult, GradeResult
from backprop_grader.run import declared_checks
from backprop_grader.shipped import REFERENCE_DIR

needs_matplotlib = pytest.mark.skipif(not plots.available(), reason="matplotlib (the [plots] extra) is not installed")
DB_MEAN = next(e for e in entries("bugs") if e.name == "affine_db_mean")


def _graded(failed_titles=()):
    """A GradeResult over the suite's checks in which the checks titled failed_titles failed."""
    return GradeResult("s", "grading", 0, [CheckResult(c, FAILED if c.title in failed_titles else PASSED)
                                           for c in declared_checks()])


def test_the_reference_trained_as_a_submission_draws_the_reference_curve_and_names_nothing():
    """Two curves from the same weights and code that differed would blame a learner for the plot's own noise."""
    found = training.run_on(load(REFERENCE_DIR), _graded())
    assert len(found.reference.losses) == training.STEPS + 1 and found.yours.stopped is None
    assert np.allclose(found.yours.losses, found.reference.losses, rtol=1e-9)
    assert found.reference.losses[-1] < 0.5 * found.reference.losses[0], "the data set is learnable"
    assert found.wrong_layers == [] and found.scatter is None


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in_process"])
def test_a_db_not_summed_trains_visibly_worse_and_its_layer_and_gradient_are_shown(tmp_path, isolate):
    """db averaged over the batch instead of summed: the curve must show it, the plot name Affine, and the
    scatter put db's entries off the diagonal."""
    submission = materialise(DB_MEAN, tmp_path)
    result = _graded(["Affine: backward_db", "Affine: numerical_gradient_db"])
    found = training.run(submission, GradeOptions(isolate=isolate), result)
    assert found.yours.stopped is None
    assert found.yours.losses[-1] > found.reference.losses[-1] + 0.1
    assert found.wrong_layers == ["Affine"]
    assert found.scatter.layer == "Affine" and found.scatter.what == "db"
    assert found.scatter.off.all()
    assert "Affine" in plots.training_texts(found)["wrong"]


def test_the_learners_network_runs_in_the_isolated_worker(tmp_path):
    """--plot must run the learner's code where a grade runs it, not in the grader's process."""
    submission = reference_with(tmp_path / "s", file="two_layer_net.py", append=(
        "import os\n"
        "class TwoLayerNet(TwoLayerNet):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n"
        "        self.pid = os.getpid()\n"))
    with training.learner(submission, GradeOptions()) as impl:
        assert impl.TwoLayerNet(*training.SIZES).pid != os.getpid()


def test_a_network_that_raises_ends_its_curve_with_the_reason_and_nothing_else(tmp_path):
    submission = reference_with(tmp_path / "s", file="two_layer_net.py", append=(
        "class TwoLayerNet(TwoLayerNet):\n"
        "    def gradient(self, x, t):\n"
        "        raise RuntimeError('not today')\n"))
    found = training.run(submission, GradeOptions(), _graded(["TwoLayerNet: gradient_matches_reference"]))
    assert len(found.yours.losses) == 1 and "not today" in found.yours.stopped
    assert len(found.reference.losses) == training.STEPS + 1
    assert found.wrong_layers == ["TwoLayerNet"]


def test_a_gradient_shaped_like_the_batch_stops_the_curve_saying_so(tmp_path):
    """db = dout (not summed) cannot update b in place, as the book's training loop would find."""
    bug = next(e for e in entries("bugs") if e.name == "affine_db_not_summed")
    found = training.run(materialise(bug, tmp_path), GradeOptions(isolate=False), _graded())
    assert "gradient(x, t)['b1'] has shape (90, 10), b1 has (10,)" in found.yours.stopped


@needs_matplotlib
def test_a_curve_stopped_at_its_first_step_is_still_drawn_and_marked(tmp_path):
    """A one-point curve is an invisible line: the learner whose training cannot take one step would see the
    reference's curve alone, and their own nowhere."""
    bug = next(e for e in entries("bugs") if e.name == "affine_db_not_summed")
    found = training.run(materialise(bug, tmp_path), GradeOptions(isolate=False), _graded(["Affine: backward_db"]))
    figure = plots.training(found, plots.training_texts(found))
    marks = [line for line in figure.axes[0].get_lines() if line.get_marker() not in ("None", None, "")]
    assert [(list(m.get_xdata()), list(m.get_ydata())) for m in marks] == [([0], [found.yours.losses[0]])]
    assert any("stopped after 0 steps" in t.get_text() for t in figure.axes[0].texts)


@needs_matplotlib
def test_the_figure_names_the_wrong_layer_and_counts_the_points_off_the_diagonal(tmp_path):
    result = _graded(["Affine: numerical_gradient_db"])
    found = training.run(materialise(DB_MEAN, tmp_path), GradeOptions(isolate=False), result)
    figure = plots.training(found, plots.training_texts(found, "ko"))
    shown = [t.get_text() for axes in figure.axes for t in axes.texts]
    shown += [t.get_text() for axes in figure.axes for t in axes.get_legend().get_texts()]
    assert any("Affine" in text for text in shown)
    assert any(": 3" in text for text in shown), "db has 3 entries, all off the diagonal"
    assert plots.png(figure).startswith(b"\x89PNG")


@needs_matplotlib
def test_plot_saves_the_picture_the_learner_asked_for(tmp_path):
    submission = materialise(DB_MEAN, tmp_path / "made")
    run = grader(submission, "--layer", "Affine", "--plot", tmp_path / "curves.png", "--no-isolate")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "curves.png").read_bytes().startswith(b"\x89PNG")
    assert f"Training curves: {tmp_path / 'curves.png'}" in run.stdout


def test_without_matplotlib_plot_says_how_to_get_it_and_the_grade_stands(tmp_path, monkeypatch, capsys):
    from backprop_grader import cli

    monkeypatch.setattr(plots, "available", lambda: False)
    status = cli.main([str(REFERENCE_DIR), "--layer", "Relu", "--no-isolate", "--plot", str(tmp_path / "x.png")])
    assert status == 0
    assert plots.INSTALL in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_the_check_helpers_result_names_only_lost_points():
    """An informational check (no points) that fails names no layer: it costs nothing."""
    informational = Check("t::own", "TwoLayerNet", "own_layers_train", 0.0, False, "")
    result = GradeResult("s", "grading", 0, [CheckResult(informational, FAILED)])
    assert training.wrong_layers(result) == []


@needs_matplotlib
def test_check_with_plot_shows_the_curves_below_the_cell(monkeypatch):
    """check(plot=True) in a notebook: the picture goes to the cell's output, the report is returned as ever."""
    display = pytest.importorskip("IPython.display")
    shown = []
    monkeypatch.setattr(display, "display", shown.append)
    reference = load(REFERENCE_DIR)
    namespace = {name: getattr(reference, name) for name in ("Affine", "Relu", "SoftmaxWithLoss", "TwoLayerNet")}
    exec("from backprop_grader import check\nreport = check(Relu, plot=True)", namespace)
    assert namespace["report"].score == namespace["report"].max_score > 0
    assert len(shown) == 1 and shown[0].data.startswith(b"\x89PNG")
