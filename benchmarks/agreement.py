"""A generated county through both executors, household by household.

    python benchmarks/agreement.py --households 100000 [--seed 5] [--on 2025-03-01]

Generates a synthetic county (docs/synthetic-county.md), screens every household with the
compiled plan on DuckDB, assesses each one on the per-case path (durable_rules, no reasons),
and compares every column the two share: statuses, amounts in fen, pending amounts, the
rules that decided, the missing facts, risk and referrals. Prints the number of households,
of differences (the first few shown), and the CPU seconds of each path. Exit 1 on any
difference. Too slow for the test suite at this size (the per-case path runs at about a
thousand households a second); the tests hold the same comparison on smaller sets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aidrules.columnar import Screener  # noqa: E402
from aidrules.engine import Assessor  # noqa: E402
from aidrules.model import application_from_dict  # noqa: E402
from aidrules.monitoring.synthetic import Facts, generate  # noqa: E402
from aidrules.rulebook import load_rulebook  # noqa: E402
from tests.columnar.both import differences, per_case  # noqa: E402

TIELI = "heilongjiang/yichun/tieli"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--on", type=date.fromisoformat, default=date(2025, 3, 1))
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    book = load_rulebook(root / "rules", root / "policies")
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), args.households, args.seed, args.on)
        facts = Facts(Path(folder) / "register")
        applications = [application_from_dict(facts.application(h, args.on))
                        for h in facts.households]
    started = time.process_time()
    screened = Screener(book).screen(applications, args.on, TIELI).to_pylist()
    screening = time.process_time() - started
    assessor = Assessor(book)
    started = time.process_time()
    expected = [per_case(assessor, a, args.on, TIELI) for a in applications]
    assessing = time.process_time() - started
    found = differences(expected, screened)
    print(f"{len(applications):,} households on {args.on} ({TIELI}): {len(found)} difference(s)")
    print(f"screening (DuckDB, with reading into tables) {screening:.1f} s CPU; "
          f"per-case {assessing:.1f} s CPU")
    for difference in found[:10]:
        print("  ", difference)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
