"""The catalogue's scores: every bug, variant and attack of tests/catalogue, the reference and the template, graded
as `python grader.py` grades them (isolated, in parallel processes), per layer and per check.

    python scripts/catalogue_scores.py --out scores.json                  # about two minutes on 2 cores
    python scripts/catalogue_scores.py --out after.json --compare before.json

With --compare, every entry whose layer scores or check outcomes differ from the earlier file is listed (a
change of the grader's structure must list none), then a table of the total scores by kind of entry.
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutants import entries, materialise  # noqa: E402

from backprop_grader.results import PASSED  # noqa: E402
from backprop_grader.run import grade_many  # noqa: E402
from backprop_grader.shipped import REFERENCE_DIR, TEMPLATE_DIR  # noqa: E402


def scores(jobs=2):
    with tempfile.TemporaryDirectory() as root:
        chosen = {e.id: materialise(e, Path(root)) for e in entries()}
        chosen |= {"reference": REFERENCE_DIR, "template": TEMPLATE_DIR}
        table = {}
        for key, result in zip(chosen, grade_many(list(chosen.values()), jobs=jobs)):
            layers = {}
            for r in result.results:
                layers[r.check.layer] = layers.get(r.check.layer, 0.0) + (r.check.points if r.status == PASSED else 0)
            table[key] = {"layers": layers, "checks": {r.check.title: r.status for r in result.results}}
    return table


def compare(before, after):
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    for key in changed:
        print(f"changed: {key}: {before.get(key, {}).get('layers')} -> {after.get(key, {}).get('layers')}")
    print(f"\n{len(changed)} of {len(after)} entries changed\n")
    print("| kind | entries | total before | total after |\n|---|---|---|---|")
    for kind in ("reference", "template", "bugs", "variants", "attacks"):
        keys = [k for k in after if k == kind or k.startswith(kind + "/")]
        total = {name: sum(sum(t[k]["layers"].values()) for k in keys if k in t) for name, t in (("b", before), ("a", after))}
        print(f"| {kind} | {len(keys)} | {total['b']:g} | {total['a']:g} |")
    return len(changed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare", metavar="EARLIER")
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    table = scores(options.jobs)
    Path(options.out).write_text(json.dumps(table, indent=1, sort_keys=True))
    if options.compare:
        return 1 if compare(json.loads(Path(options.compare).read_text()), table) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
