"""The suite's strength as a figure: every mutant of backprop_grader/mutation/table.json (a single change of
reference/layers.py or two_layer_net.py) graded as a submission, on its own layer, in one process each
(--no-isolate), several at a time.

    nice python scripts/mutation_score.py --out mutants.json          # all of them: about 20 minutes on 2 cores
    python scripts/mutation_score.py --layer Relu --limit 5              # a few, to try
    python scripts/mutation_score.py --only layers.py:Relu.forward:compare:1
    nice python scripts/mutation_score.py --mutants-only                 # hand-written hints set aside

A mutant is killed when its layer loses points. The mutation score is killed / (mutants - equivalent ones): an
equivalent mutant (EQUIVALENT below, each with the reason no check can tell it from the reference) behaves as the
reference does on every input the book's layers are given. A killed mutant's report names the change when one of
its layer's failures has a hint that is the mutants' diagnosis of this very change (hint_mutant_*, the same
statement before and after) or a hand-written hint (other than the gradient check's, which says where to look,
not what is wrong). Survivors that are not in EQUIVALENT are listed: each is a hole in the suite; so are the killed
mutants whose report names another change (the mutants' hint naming some other statement): each is a wrong hint.
"""
import argparse
import json
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from backprop_grader.mutation.table import mutants, mutated_source
from backprop_grader.results import PASSED, Failure, SubmissionError
from backprop_grader.run import grade, grade_many
from backprop_grader.shipped import REFERENCE_DIR

# Hints that say where to look rather than what the mistake is.
GENERIC_HINTS = {"hint_grad_vs_numeric"}

# Mutants no check can tell from the reference, and why: each behaves as the reference on every input the book's
# layers are given (arrays of float64, or of ints where the book allows them, in the shapes chapter 5 uses).
EQUIVALENT = {
    "layers.py:softmax:drop_statement:1":
        "np.asarray(x, dtype=np.float64) of a float array is x; of an int array, x - x.max() is exact and np.exp makes floats",
    "layers.py:cross_entropy_error:drop_statement:1":
        "y is a float array of probabilities: np.asarray(y, dtype=np.float64) returns it as it is",
    "layers.py:_as_labels_or_one_hot:drop_statement:1":
        "t is an array (labels or one-hot): np.asarray(t) returns it as it is",
    "layers.py:Relu.forward:drop_statement:1":
        "x is an array or a float: x <= 0 and np.maximum(x, 0.0) take either as np.asarray(x) would give it",
    "layers.py:Sigmoid.forward:compare:1":
        "at x = 0 both branches give 0.5: 1 / (1 + e) and e / (1 + e) with e = exp(-0) = 1",
    "layers.py:Affine.forward:drop_statement:1":
        "x is an array: np.asarray(x) returns it as it is, and x.reshape, x.shape need nothing more",
    "layers.py:SoftmaxWithLoss.forward:drop_statement:1":
        "logits are float arrays: np.asarray(x, dtype=np.float64) returns them as they are (ints: exp makes floats)",
    "layers.py:AddLayer.backward:arithmetic:1": "dout / 1 and dout * 1 are the same new float array (or the same float)",
    "layers.py:AddLayer.backward:arithmetic:2": "dout / 1 and dout * 1 are the same new float array (or the same float)",
    "two_layer_net.py:TwoLayerNet.accuracy:drop_statement:2":
        "t is an array: np.asarray(t) returns it as it is, and t.ndim, np.argmax need nothing more",
}


def materialise(mutant, root):
    target = Path(root) / mutant.id.replace(":", "_").replace(".", "_")
    target.mkdir(parents=True)
    for path in REFERENCE_DIR.glob("*.py"):
        if path.name != "__init__.py":
            (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (target / mutant.file).write_text(mutated_source(mutant), encoding="utf-8")
    return target


def outcome(mutant, result):
    """What grading mutant's submission found: killed, and how the report named the change."""
    failed = [r for r in result.results if r.check.layer == mutant.layer and r.status != PASSED]
    killed = any(r.check.points > 0 for r in failed)
    exact = [
        r.check.name for r in failed
        if r.failure.hint == f"hint_mutant_{mutant.family}" and r.failure.params.get("reference") == mutant.original
        and r.failure.params.get("yours") == mutant.mutated
    ]
    hand = [r.check.name for r in failed if r.failure.hint and not r.failure.hint.startswith("hint_mutant_") and r.failure.hint not in GENERIC_HINTS]
    other = sorted({
        f"{r.failure.params.get('reference')} -> {r.failure.params.get('yours')}" for r in failed
        if r.failure.hint and r.failure.hint.startswith("hint_mutant_") and r.check.name not in exact
    })
    return {
        "killed": killed, "failed": [r.check.name for r in failed], "named_by_mutant": exact, "named_by_hint": hand,
        "named_otherwise": other,
    }


def score(found):
    """The figures, and the lists behind them."""
    equivalent = [k for k in found if k in EQUIVALENT]
    killed = [k for k, v in found.items() if v["killed"]]
    survived = [k for k, v in found.items() if not v["killed"] and k not in EQUIVALENT]
    named = [k for k in killed if found[k]["named_by_mutant"] or found[k]["named_by_hint"]]
    by_mutant = [k for k in killed if found[k]["named_by_mutant"]]
    return {
        "mutants": len(found), "equivalent": equivalent, "killed": len(killed), "survived": survived,
        "score": len(killed) / max(len(found) - len(equivalent), 1),
        "named": len(named), "named_by_mutant": len(by_mutant), "named_share": len(named) / max(len(killed), 1),
        "unnamed": [k for k in killed if k not in named],
        "named_otherwise": [k for k in killed if found[k]["named_otherwise"]],
        "equivalent_killed": [k for k in equivalent if found[k]["killed"]],
    }


def report(figures, found, chosen):
    print(f"{figures['mutants']} mutants, {len(figures['equivalent'])} equivalent, {figures['killed']} killed, "
          f"{len(figures['survived'])} survived")
    print(f"mutation score: {figures['killed']} / {figures['mutants'] - len(figures['equivalent'])} = {figures['score']:.1%}")
    print(f"killed mutants whose report names the change: {figures['named']} / {figures['killed']} = "
          f"{figures['named_share']:.1%} ({figures['named_by_mutant']} by the mutants' diagnosis)")
    print(f"killed mutants whose report names another change: {len(figures['named_otherwise'])}")
    for title, keys in (("survived, not equivalent", figures["survived"]), ("killed, change not named", figures["unnamed"]),
                        ("killed, another change named", figures["named_otherwise"]),
                        ("listed as equivalent but killed", figures["equivalent_killed"])):
        if keys:
            print(f"\n{title}:")
            for key in keys:
                print(f"  {key}: `{chosen[key].original}` -> `{chosen[key].mutated}`  {found[key]['named_otherwise'] or ''}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", action="append", help="only this layer's mutants (repeatable)")
    parser.add_argument("--limit", type=int, help="only the first N mutants (of each layer chosen)")
    parser.add_argument("--only", action="append", metavar="ID", help="only this mutant (repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", help="write every mutant's outcome and the figures here, as JSON")
    parser.add_argument(
        "--mutants-only", action="store_true",
        help="set the hand-written hints aside: every failure is diagnosed by the mutants, whose hint is kept "
        "(what the mutants alone name)",
    )
    options = parser.parse_args(argv)
    chosen = {}
    for mutant in mutants():
        mine = [m for m in chosen.values() if m.layer == mutant.layer]
        wanted = (not options.layer or mutant.layer in options.layer) and (not options.only or mutant.id in options.only)
        if wanted and (options.limit is None or len(mine) < options.limit):
            chosen[mutant.id] = mutant
    with tempfile.TemporaryDirectory() as root:
        paths = [materialise(m, root) for m in chosen.values()]
        layers = [m.layer for m in chosen.values()]
        if options.mutants_only:
            with ProcessPoolExecutor(options.jobs, mp_context=multiprocessing.get_context("fork"), initializer=_hints_aside) as pool:
                results = list(pool.map(_graded_in_process, paths, layers))
        else:
            results = grade_many_on_layers(paths, layers, options.jobs)
    found = {key: outcome(chosen[key], result) for key, result in zip(chosen, results)}
    figures = score(found)
    report(figures, found, chosen)
    if options.out:
        Path(options.out).write_text(json.dumps({"figures": figures, "mutants": found}, indent=1), encoding="utf-8")
    return 0


def _hints_aside():
    """In this (worker) process, diagnose every failure by the mutants and let their hint replace the check's own."""
    from backprop_grader import plugin
    from backprop_grader.mutation import replay

    replay._worth_diagnosing = lambda exc: isinstance(exc, Exception) and not isinstance(exc, (NotImplementedError, SubmissionError))
    plugin._with_diagnosis = lambda failure, found: failure if found is None else Failure(
        failure.key, {**failure.params, **found.params}, found.hint, failure.example
    )


def _graded_in_process(path, layer):
    return grade(path, layers=(layer,), isolate=False)


def grade_many_on_layers(paths, layers, jobs):
    """Each submission graded on its own layer, in a process of its own, in-process there (--no-isolate)."""
    results = []
    for layer in dict.fromkeys(layers):
        mine = [path for path, its_layer in zip(paths, layers) if its_layer == layer]
        results.append(dict(zip(mine, grade_many(mine, jobs=jobs, layers=(layer,), isolate=False))))
    merged = {k: v for part in results for k, v in part.items()}
    return [merged[p] for p in paths]


if __name__ == "__main__":
    sys.exit(main())
