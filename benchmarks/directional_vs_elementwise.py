"""python benchmarks/directional_vs_elementwise.py: the directional check against the element-wise one, as
Markdown tables.

1. Every catalogued bug (tests/catalogue/bugs/): does each check catch it on the small shapes, where both run on
   the same inputs and the same dout, and does the directional check still catch it at full size? A summary per
   layer, then the bugs one by one.
2. The largest relative error of the directional check on the reference, per layer and size, over 20 seeds,
   for the chosen step h and its neighbours: the measurement behind DIRECTIONAL_H and DIRECTIONAL_RTOL.
Exit status 1 if the two checks disagree on some bug, or the reference's error reaches the tolerance.
"""
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from backprop_grader.checks.gradcheck import DIRECTIONAL_H, DIRECTIONAL_RTOL, directional_derivatives  # noqa: E402
from backprop_grader.checks.gradient_cases import first_failure, full_case, small_cases  # noqa: E402
from mutants import entries, materialise  # noqa: E402

from backprop_grader.book import LAYERS  # noqa: E402
from backprop_grader.loader import load  # noqa: E402
from backprop_grader.shipped import REFERENCE_DIR  # noqa: E402

SEEDS = range(20)
STEPS = (1e-4, DIRECTIONAL_H, 1e-6)


def _cell(found):
    return f"caught ({found})" if found else "missed"


def bug_table(ref):
    """(summary rows per layer, one row per bug, the names of the bugs the checks disagree on)."""
    rows = [
        "| bug | layer | element-wise, small shapes | directional, small shapes | directional, full size |",
        "| --- | --- | --- | --- | --- |",
    ]
    counts, disagreements = {}, []
    with tempfile.TemporaryDirectory() as root:
        for entry in entries("bugs"):
            impl = load(materialise(entry, root), label=entry.name)
            net_class = impl.two_layer_net_on(ref) if entry.layer == "TwoLayerNet" else None
            small = small_cases(entry.layer, impl, net_class)
            found = (first_failure("elementwise", small), first_failure("directional", small),
                     first_failure("directional", [full_case(entry.layer, impl, net_class)]))
            agree = len({bool(f) for f in found}) == 1
            if not agree:
                disagreements.append(entry.name)
            layer_counts = counts.setdefault(entry.layer, [0, 0, 0, 0, 0])
            for i, value in enumerate((1, *map(bool, found), agree)):
                layer_counts[i] += value
            rows.append(f"| {entry.name} | {entry.layer} | " + " | ".join(map(_cell, found)) + " |")
    summary = [
        "| layer | catalogued bugs | element-wise, small shapes | directional, small shapes | directional, full size | all three agree |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = [sum(column) for column in zip(*counts.values())]
    for layer, numbers in [*sorted(counts.items(), key=lambda item: LAYERS.index(item[0])), ("all", totals)]:
        summary.append(f"| {layer} | " + " | ".join(map(str, numbers)) + " |")
    return summary, rows, disagreements


def error_table(ref):
    net_class = ref.two_layer_net_on(ref)
    head = " | ".join(f"h = {h:g}" + (" (chosen)" if h == DIRECTIONAL_H else "") for h in STEPS)
    rows = [f"| case | {head} |", "| --- |" + " ---: |" * len(STEPS)]
    worst_chosen = 0.0
    for layer in LAYERS:
        for case in small_cases(layer, ref, net_class) + [full_case(layer, ref, net_class)]:
            cells = []
            for h in STEPS:
                worst = max(r.error for seed in SEEDS for r in directional_derivatives(case.forward, case.backward, case.inputs, seed=seed, h=h))
                cells.append(f"{worst:.1e}")
                if h == DIRECTIONAL_H:
                    worst_chosen = max(worst_chosen, worst)
            rows.append(f"| {case.label} | " + " | ".join(cells) + " |")
    return rows, worst_chosen


def main():
    ref = load(REFERENCE_DIR)
    summary, rows, disagreements = bug_table(ref)
    print("\n".join(summary) + "\n")
    print("\n".join(rows) + "\n")
    if disagreements:
        print(f"the checks disagree on: {', '.join(disagreements)}\n")
    rows, worst = error_table(ref)
    print("\n".join(rows))
    print(f"\nlargest error on the reference at h = {DIRECTIONAL_H:g}: {worst:.1e} (tolerance {DIRECTIONAL_RTOL:g}, "
          f"{DIRECTIONAL_RTOL / worst:.0f}x above it)")
    return 1 if disagreements or worst >= DIRECTIONAL_RTOL else 0


if __name__ == "__main__":
    sys.exit(main())
