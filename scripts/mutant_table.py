"""Make backprop_grader/mutation/table.json again from reference/: every single change of the reference's layers.py
and two_layer_net.py, each with the statement before and after. Run it after changing the reference (a test fails
until the table matches):

    python scripts/mutant_table.py --write
    python scripts/mutant_table.py            # only say whether the checked-in table is up to date
"""
import argparse
import json
import sys
from collections import Counter

from backprop_grader.mutation.table import TABLE, generate


def rendered(table):
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the table instead of comparing it")
    options = parser.parse_args(argv)
    table = rendered(generate())
    if options.write:
        TABLE.write_text(table, encoding="utf-8")
    counts = Counter(m["layer"] for m in json.loads(table)["mutants"])
    print(f"{sum(counts.values())} mutants: " + ", ".join(f"{layer} {n}" for layer, n in sorted(counts.items())))
    if not options.write and (not TABLE.exists() or TABLE.read_text(encoding="utf-8") != table):
        print(f"{TABLE} is out of date: run python scripts/mutant_table.py --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
