"""How long grading takes when the work is a 20-cell notebook or a 30-file study repository, against the template.

    python benchmarks/intake_timing.py [--runs N]

Each submission is graded the way an instructor's run grades it: in a fresh Python process
(run.grade_in_subprocess), so imports and loading are counted. Four submissions, all built in a tmp folder by
tests/learners.py: the learners' code laid out like student_template/ (the baseline: the same code, so the same
checks run and pass), that code as a 30-file study repository in the book's layout (with the other chapters'
scripts, which train and plot), as a 20-cell notebook (with magics and training cells), and the empty
student_template/ itself. The target: a notebook or a repository within 1.5x the baseline. Prints the median
of N runs of each and the ratios.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import learners  # noqa: E402

from backprop_grader.book import BOOK_NAMES  # noqa: E402
from backprop_grader.loader import load  # noqa: E402
from backprop_grader.results import SubmissionError  # noqa: E402
from backprop_grader.run import grade_in_subprocess  # noqa: E402
from backprop_grader.shipped import REFERENCE_DIR, TEMPLATE_DIR  # noqa: E402

TARGET = 1.5
BOOK_MIRROR = Path("/work/.mirror/oreilly-japan+deep-learning-from-scratch/repo")

OTHER_CHAPTER = """import sys, os
sys.path.append(os.pardir)
import numpy as np
from common.functions import sigmoid, softmax


def step_function(x):
    return np.array(x > 0, dtype=int)


def exercise_{n}(x):
    return sigmoid(x) * softmax(x)


x = np.arange(-5.0, 5.0, 0.1)
for epoch in range(3):
    y = exercise_{n}(x)
print(y.shape)
"""


def study_repository(root, files=30):
    """The book-layout repository of the tests, topped up to `files` .py files with other chapters' scripts."""
    learners.book_layout_repo(root)
    have = len(list(root.rglob("*.py")))
    for n in range(files - have):
        chapter = root / f"ch0{1 + n % 8}"
        chapter.mkdir(exist_ok=True)
        (chapter / f"exercise_{n}.py").write_text(OTHER_CHAPTER.format(n=n), encoding="utf-8")
    assert len(list(root.rglob("*.py"))) == files
    return root


def twenty_cell_notebook(path, cells=20):
    """The notebook of the tests (magics, a cell per layer, training), topped up to `cells` code cells."""
    extra = [
        "x = np.random.randn(3, 4)\nprint(softmax(x).sum(axis=1))",
        "%timeit softmax(np.random.randn(100, 10))",
        "net = TwoLayerNet(784, 50, 10)\nprint(net.params['W1'].shape)",
        "import matplotlib.pyplot as plt\nplt.plot(train_loss_list)",
        "grad = net.numerical_gradient(x_train[:3], t_train[:3])",
        "for key in grad:\n    print(key, np.abs(grad[key]).mean())",
        "print('done')",
    ]
    path = learners.notebook_with_magics(path, extra_cells=extra)
    assert len(learners_cells(path)) == cells
    return path


def learners_cells(path):
    from backprop_grader.sources import notebook_cells

    return notebook_cells(path)


def loading_time(path, runs):
    """Median seconds to load a submission and reach every book name in it (this process, warm imports): what
    finding and loading costs, apart from running the checks and starting Python."""
    ref = load(REFERENCE_DIR)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        impl = load(path)
        for name in BOOK_NAMES:
            try:
                getattr(impl, name)
            except SubmissionError:
                pass
        impl.two_layer_net_on(ref)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(submissions, runs):
    """Median wall and CPU seconds and the result of each submission, graded in turns (each round in another
    order) so that drift and a busy machine hit all alike. CPU time is the grading process's own: on a machine
    shared with other work it moves much less than wall time."""
    wall = {label: [] for label in submissions}
    cpu = {label: [] for label in submissions}
    results = {}
    labels = list(submissions)
    for round_number in range(runs):
        shift = round_number % len(labels)
        for label in labels[shift:] + labels[:shift]:
            start, start_cpu = time.perf_counter(), _children_cpu()
            results[label] = grade_in_subprocess(submissions[label])
            wall[label].append(time.perf_counter() - start)
            cpu[label].append(_children_cpu() - start_cpu)
    median = statistics.median
    return {label: median(t) for label, t in wall.items()}, {label: median(t) for label, t in cpu.items()}, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        submissions = {
            "template layout (baseline)": learners.template_layout(scratch / "template"),
            "30-file study repository": study_repository(scratch / "repo"),
            "20-cell notebook": twenty_cell_notebook(scratch / "chapter5.ipynb"),
            "student_template/ (empty)": TEMPLATE_DIR,
        }
        if BOOK_MIRROR.exists():  # the book's own repository, as a reader clones it: 80 files, notebooks too
            archive = subprocess.run(["git", "-C", str(BOOK_MIRROR), "archive", "HEAD"], capture_output=True, check=True)
            (scratch / "book").mkdir()
            subprocess.run(["tar", "-x", "-C", str(scratch / "book")], input=archive.stdout, check=True)
            submissions["the book's own repository"] = scratch / "book"
        medians, cpu, results = timed(submissions, options.runs)
        print(f"{'':28s} {'wall':>7s} {'cpu':>7s}  (medians of {options.runs})")
        for label, result in results.items():
            loading = loading_time(submissions[label], options.runs) * 1000
            print(
                f"{label:28s} {medians[label]:6.2f}s {cpu[label]:6.2f}s  score {result.score:g}/{result.max_score:g}; "
                f"loading alone {loading:.0f} ms"
            )
        baseline = "template layout (baseline)"
        worst = 0.0
        for label in ("30-file study repository", "20-cell notebook", "the book's own repository"):
            if label not in medians:
                continue
            ratio, cpu_ratio = medians[label] / medians[baseline], cpu[label] / cpu[baseline]
            worst = max(worst, ratio)
            print(f"{label:28s} {ratio:6.2f}x {cpu_ratio:6.2f}x  the baseline's time (target <= {TARGET}x)")
        return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
