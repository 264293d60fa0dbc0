"""GradeOptions travel as one object: written as command-line text in one place and read back the same by every
parser that declares them (the grader's, a grading subprocess's, the pytest plugin's, a worker's)."""
import argparse

import pytest

from backprop_grader import cli
from backprop_grader.options import FIELDS, PLUGIN_PREFIX, WHERE_NAMES_ARE, GradeOptions, declare

CHOSEN = GradeOptions(layers=("Relu", "Affine"), seed=7, aliases=("Relu=ReLU", "Affine.dW=dw"),
                      use=("Relu=ch05/relu.py",), isolate=False, sandbox="off")


def _parsed(argv, prefix="", fields=FIELDS):
    parser = argparse.ArgumentParser()
    declare(parser.add_argument, prefix=prefix, fields=fields)
    return GradeOptions.from_namespace(parser.parse_args(argv), prefix, fields)


@pytest.mark.parametrize("prefix", ["", PLUGIN_PREFIX])
def test_options_written_as_text_read_back_the_same(prefix):
    """An option lost or changed on its way to a subprocess or a worker grades something else there."""
    assert _parsed(CHOSEN.argv(prefix), prefix) == CHOSEN


def test_a_worker_gets_where_the_names_are_and_nothing_else():
    found = _parsed(CHOSEN.where_names_are(), fields=WHERE_NAMES_ARE)
    assert (found.aliases, found.use) == (CHOSEN.aliases, CHOSEN.use)
    assert all(arg.startswith(("--alias=", "--use=")) for arg in CHOSEN.where_names_are())


def test_an_option_not_given_keeps_its_default():
    assert _parsed([]) == GradeOptions()


def test_a_bad_alias_is_a_usage_error_in_every_parser():
    with pytest.raises(SystemExit):
        _parsed(["--alias=Rectifier=ReLU"])


def test_the_rubrics_aliases_stand_under_the_alias_flags(tmp_path):
    """--alias on the command line wins over the rubric's [aliases] table, and the rubric's others still count."""
    rubric = tmp_path / "rubric.toml"
    rubric.write_text('[aliases]\nRelu = "Rectifier"\nSigmoid = "Logistic"\n')
    parser = cli.build_parser()
    options = parser.parse_args(["--rubric", str(rubric), "--alias", "Relu=ReLU"])
    assert set(cli.grade_options(parser, options, "en").aliases) == {"Relu=ReLU", "Sigmoid=Logistic"}
