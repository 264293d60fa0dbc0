"""Grade the catalogue under other seeds: a variant must keep its expected marks, and a bug must still lose
points on its own layer only, with every check it must fail among the failures, whatever the seed. A check
that passes only by the luck of seed 0 shows up here (tests/test_catalogue.py runs one other seed, over the
variants, in CI).

    python scripts/seed_sweep.py [--seeds 1 2 3] [--kinds variants bugs]      (about 1 s per grade)
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mutants import costly_checks, entries, failed_checks, materialise  # noqa: E402

from backprop_grader.run import grade  # noqa: E402


def mismatch(entry, result):
    """What is wrong with an entry's grade by tests/test_catalogue.py's rules, or None."""
    failed = failed_checks(result)
    if entry.kind == "variants":
        wrong = failed ^ entry.expected_failures
        return f"unexpected: {sorted(wrong)}" if wrong else None
    layers = {title.partition(":")[0] for title in costly_checks(result)}
    missing = entry.must_fail - failed
    if layers != entry.layers or missing:
        return f"lost points on {sorted(layers)}; not failed: {sorted(missing)}"
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--kinds", nargs="+", choices=["variants", "bugs"], default=["variants", "bugs"])
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as root:
        chosen = [(e, materialise(e, Path(root))) for kind in options.kinds for e in entries(kind)]
        problems = 0
        for seed in options.seeds:
            for entry, path in chosen:
                found = mismatch(entry, grade(path, seed=seed, isolate=False))
                if found:
                    problems += 1
                    print(f"seed {seed}: {entry.id}: {found}")
    print(f"{problems} of {len(chosen) * len(options.seeds)} grades differ from what the catalogue expects")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
