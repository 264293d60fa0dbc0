"""The grader's own memory is capped on the command line (limits.grader_memory): a grade that would make the
grader itself allocate past its allowance stops with a clear message, exit status 3 and no score, instead of a
traceback, a score lowered for the grader's failure, or a machine run out of memory."""
import shutil

import pytest
from submissions import INTERNALS, grader

from backprop_grader.limits import GRADER_MEMORY_ENV, GRADER_OUT_OF_MEMORY, grader_memory, grader_memory_mb
from backprop_grader.shipped import REFERENCE_DIR

# A Relu whose first forward returns 56 MB: a reply within the workers' bounds (64 MB), that the grader must take
# in; its later calls are the reference's, so that a grade that takes it in goes on as usual (and quickly: 56 MB
# on every call made that grade take 23 s).
LARGE_REPLY = """

class Relu(Relu):
    replied = False

    def forward(self, x):
        if not Relu.replied:
            Relu.replied = True
            return np.zeros(7_000_000)
        return super().forward(x)
"""


@pytest.fixture
def large_reply(tmp_path):
    submission = tmp_path / "submission"
    shutil.copytree(REFERENCE_DIR, submission, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    with open(submission / "layers.py", "a") as layers:
        layers.write(LARGE_REPLY)
    return submission


def test_within_the_block_the_grader_cannot_grow_past_its_allowance_and_after_it_can():
    with grader_memory(64) as allowance:
        assert allowance == 64
        with pytest.raises(MemoryError):
            bytearray(256 * 2**20)
    assert len(bytearray(256 * 2**20)) == 256 * 2**20, "the cap was not lifted after the block"


def test_the_allowance_comes_from_the_environment_when_it_is_a_positive_number():
    assert grader_memory_mb({}) == grader_memory_mb({GRADER_MEMORY_ENV: "0"}) == grader_memory_mb({GRADER_MEMORY_ENV: "x"})
    assert grader_memory_mb({GRADER_MEMORY_ENV: "300"}) == 300


def test_a_grader_out_of_its_memory_says_so_and_gives_no_score(large_reply):
    """With 40 MB of allowance, taking in the 56 MB reply fails in the grader: exit status 3, the message on
    stderr, no report, no traceback. With the default allowance the same submission is graded as usual."""
    run = grader(large_reply, "--layer", "Relu", env_update={GRADER_MEMORY_ENV: "40"})
    assert run.returncode == GRADER_OUT_OF_MEMORY, run.stderr[-2000:]
    assert "The grader itself ran out of memory while grading (it may use 40 MB more" in run.stderr
    assert "Total" not in run.stdout
    assert not [word for word in INTERNALS if word in run.stderr + run.stdout]
    graded = grader(large_reply, "--layer", "Relu")
    assert graded.returncode == 0, graded.stderr[-2000:]
    assert "Relu: forward_values" in graded.stdout and "Total" in graded.stdout


def test_honest_grading_fits_in_a_small_part_of_the_default_allowance():
    run = grader("reference", env_update={GRADER_MEMORY_ENV: str(grader_memory_mb() // 16)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Every check passed: full marks." in run.stdout
