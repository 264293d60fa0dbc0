"""The routes a learner takes to find their own bug: a debugger under --no-isolate, what their code printed, and
where an error they caused is blamed (issue #16)."""
import os
import subprocess

from submissions import GRADER, PROJECT_ROOT, reference_with

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
