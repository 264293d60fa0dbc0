"""The routes a learner takes to find their own bug: a debugger under --no-isolate, what their code printed, and
where an error they caused is blamed (issue #16)."""
import os
import subprocess

import pytest
from submissions import GRADER, PROJECT_ROOT, copy_of, line_of, reference_with

from backprop_grader.messages import render
from backprop_grader.report import terminal
from backprop_grader.run import grade
from backprop_grader.shipped import REFERENCE_DIR

# A Relu whose forward stops in the debugger the first time it runs, and prints on every call.
RELU_WITH_BREAKPOINT = '''
_stopped = []


class Relu(Relu):
    def forward(self, x):
        if not _stopped:
            _stopped.append(True)
            breakpoint()
        return super().forward(x)
'''


def run_grader(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONBREAKPOINT", "BACKPROP_IMPL")}
    env["LANG"] = "C.UTF-8"
    return subprocess.run([*GRADER, *map(str, args)], input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT,
                          env=env, timeout=300)


def test_no_isolate_runs_a_breakpoint_as_pytest_would(tmp_path):
    submission = reference_with(tmp_path / "sub", RELU_WITH_BREAKPOINT)
    # A scripted pdb session: look at x, then continue; the grade goes on as if nothing had stopped it.
    done = run_grader(submission, "--no-isolate", "--layer", "Relu", stdin="p type(x).__name__\nc\n")
    assert done.returncode == 0, done.stderr
    before_report = done.stdout.split("Grading ")[0]
    assert "(Pdb)" in before_report and "'ndarray'" in before_report  # pdb spoke to the real stdout, read stdin
    assert "Relu   14 / 14" in done.stdout, done.stdout
    assert "Namespace" not in done.stdout


RELU_THAT_PRINTS = '''
class Relu(Relu):
    def forward(self, x):
        print("forward of shape", np.shape(x), "\\x1b[2J")
        return super().forward(x)
'''


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_what_the_code_printed_is_shown_under_verbose(tmp_path, isolate):
    submission = reference_with(tmp_path / "sub", RELU_THAT_PRINTS)
    result = grade(submission, layers=["Relu"], isolate=isolate)
    assert result.score == result.max_score
    assert result.printed_chars > len(result.printed) > 0  # the checks call forward often: kept, cut
    brief = terminal.render_report(result)
    assert render("printed_captured", chars=result.printed_chars) in brief
    assert "forward of shape" not in brief
    verbose = terminal.render_report(result, verbose=True)
    assert "What your code printed (captured by the grader; the last" in verbose
    shown = verbose.split("What your code printed")[1].splitlines()[1:]
    assert shown[0].startswith("  forward of shape (")  # from a whole line
    assert "\x1b" not in verbose and "\\x1b[2J" in verbose  # escaped for the terminal


def test_a_grade_that_printed_nothing_says_nothing_of_it(tmp_path):
    result = grade(REFERENCE_DIR, layers=["Relu"], isolate=False)
    assert result.printed_chars == 0
    assert "printed" not in terminal.render_report(result, verbose=True)


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_an_error_in_a_reference_layer_the_net_called_is_blamed_on_the_line_that_called_it(tmp_path, isolate):
    # backward in forward order: the reference's Affine.backward gets a dout of the wrong shape.
    submission = copy_of(REFERENCE_DIR, tmp_path / "sub")
    path = submission / "two_layer_net.py"
    path.write_text(path.read_text().replace("in reversed(self.layers.values()):", "in self.layers.values():"))
    line = line_of(path, "dout = self.lastLayer.backward(1)") + 2
    result = grade(submission, layers=["TwoLayerNet"], isolate=isolate)
    [gradient] = [r for r in result.results if r.check.name == "gradient_matches_reference"]
    failure = gradient.failure
    assert failure.key == "raised_in_call" and failure.hint is None
    assert failure.params["function"].endswith("backward") and failure.params["error"].startswith("ValueError")
    text = failure.render()
    assert f"which it called (two_layer_net.py, line {line})" in text
