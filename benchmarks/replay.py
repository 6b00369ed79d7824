"""How fast cases replay: cases per second, reading the files and assessing every case.

Builds a few hundred cases from the example applications (each member's incomes scaled
by a seeded random factor between 0.5 and 1.5, so households fall on both sides of the
lines), writes them as case files whose expectations are the statuses and amounts of a
first assessment, then times reading them back and replaying them with one Assessor.
Every replayed case must agree: a benchmark that measured failures would measure nothing.

    .venv/bin/python benchmarks/replay.py [--cases 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML

from aidrules.cases import Books, Tally, read_cases, run_case
from aidrules.model import application_from_dict, application_to_dict, read_application

ROOT = Path(__file__).resolve().parents[1]


def household_variants(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    examples = [application_to_dict(read_application(p))
                for p in sorted((ROOT / "examples" / "applications").glob("*.yaml"))]
    variants = []
    for index in range(count):
        data = json.loads(json.dumps(examples[index % len(examples)]))
        data["application_id"] = f"BENCH-{index:05d}"
        for member in data["household"]["members"]:
            for income in member.get("incomes", []):
                factor = Decimal(rng.randint(50, 150)) / 100
                income["amount"] = str((Decimal(income["amount"]) * factor).quantize(
                    Decimal("0.01")))
        variants.append(data)
    return variants


def write_cases(directory: Path, count: int, seed: int, assessor) -> None:
    cases = []
    for data in household_variants(count, seed):
        assessment = assessor.assess(application_from_dict(data), reasons=False)
        expect = {r.aid: {"status": r.status, "amount": None if r.amount is None
                          else str(r.amount)} for r in assessment.results}
        cases.append({"title": data["application_id"], "application": data, "expect": expect})
    for start in range(0, len(cases), 50):  # 50 cases a file
        path = directory / "cases" / f"batch-{start // 50:03d}.yaml"
        path.parent.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8") as stream:  # block style, as people write them
            YAML(typ="safe", pure=True).dump({"cases": cases[start:start + 50]}, stream)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    assessor = Books().assessor(ROOT / "rules", ROOT / "policies")
    loaded_in = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        write_cases(Path(scratch), args.cases, args.seed, assessor)
        files = sorted(Path(scratch, "cases").glob("*.yaml"))
        started = time.perf_counter()
        cases = [c for f in files for c in read_cases(f, assessor.book)[0]]
        read_in = time.perf_counter() - started
        started = time.perf_counter()
        tally = Tally()
        for case in cases:
            tally.add(run_case(assessor, case))
        replayed_in = time.perf_counter() - started
    if len(cases) != args.cases or tally.failed:
        print(f"FAILED: {len(cases)} case(s) read, {tally.failed} did not agree")
        return 1
    total = read_in + replayed_in
    print(f"rule book loaded in {loaded_in:.2f} s")
    print(f"{len(cases)} cases in {len(files)} files: read in {read_in:.2f} s, "
          f"replayed in {replayed_in:.2f} s")
    print(f"{len(cases) / total:.0f} cases/s (read + replay), "
          f"{len(cases) / replayed_in:.0f} cases/s (replay alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
