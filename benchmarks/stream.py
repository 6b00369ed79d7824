"""Peak memory of ``aidrules assess`` streaming many applications, and the document's size.

    python benchmarks/stream.py                      # 10,000 applications, compact
    python benchmarks/stream.py --count 2000 --detail full

Writes COUNT applications as JSON Lines (the shipped examples in turn, each with its own
id and its incomes and financial assets redrawn from a seeded generator, to the fen), runs
``/usr/bin/time -v aidrules assess FILE --json`` on them with the output to a file, and
prints the peak resident set size, the CPU time and the bytes per household of the
compact and the full document (the full one measured on a sample of 100)."""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIDRULES = Path(sys.executable).parent / "aidrules"


def applications(count: int, seed: int = 20261201):
    """Plain dicts, ready for JSON: the examples with amounts redrawn."""
    from aidrules.model import application_to_dict, read_application
    rng = random.Random(seed)
    examples = [application_to_dict(read_application(p))
                for p in sorted((ROOT / "examples/applications").glob("*.yaml"))]
    for n in range(count):
        data = json.loads(json.dumps(examples[n % len(examples)], default=str))
        data["application_id"] = f"STREAM-{n:07d}"
        for member in data["household"]["members"]:
            for income in member.get("incomes") or ():
                income["amount"] = str(Decimal(rng.randrange(0, 300_000)) / 100)
        assets = data["household"].get("assets")
        if assets and "financial_assets" in assets:
            assets["financial_assets"] = str(Decimal(rng.randrange(0, 6_000_000)) / 100)
        yield data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--detail", default="compact", choices=("compact", "full"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        county, out = Path(scratch) / "county.jsonl", Path(scratch) / "assessed.jsonl"
        with county.open("w", encoding="utf-8") as f:
            for data in applications(args.count):
                f.write(json.dumps(data, ensure_ascii=False) + "\n")
        command = ["/usr/bin/time", "-v", str(AIDRULES), "assess", str(county), "--json",
                   "--detail", args.detail]
        with out.open("w", encoding="utf-8") as sink:
            done = subprocess.run(command, cwd=ROOT, stdout=sink, stderr=subprocess.PIPE,
                                  text=True)
        timing = done.stderr
        peak = int(_found(r"Maximum resident set size \(kbytes\): (\d+)", timing))
        cpu = sum(float(_found(rf"{kind} time \(seconds\): ([\d.]+)", timing))
                  for kind in ("User", "System"))
        lines = out.read_text(encoding="utf-8").splitlines()
        errors = sum(1 for line in lines if line.startswith('{"error"'))
        print(f"aidrules assess: {args.count} applications --detail {args.detail}: "
              f"exit {done.returncode}, {len(lines)} lines ({errors} errors), "
              f"peak RSS {peak / 1024:.0f} MB, {cpu:.1f} s CPU "
              f"({args.count / cpu:.0f} applications/s)")
        print(f"  {county.stat().st_size / args.count:.0f} bytes per application in, "
              f"{out.stat().st_size / args.count:.0f} bytes per household out")
    sizes()


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"/usr/bin/time -v did not report {pattern!r}:\n{text}")
    return match[1]


def sizes() -> None:
    """Bytes per household of the compact and the full document, on 100 applications."""
    from aidrules.engine import Assessor
    from aidrules.model import application_from_dict
    from aidrules.shipped import load_book
    assessor = Assessor(load_book(ROOT / "rules", ROOT / "policies"))
    total = {"compact": 0, "full": 0}
    for data in applications(100):
        assessment = assessor.assess(application_from_dict(data))
        for detail in total:
            total[detail] += len(json.dumps(assessment.to_json(detail), ensure_ascii=False,
                                            separators=(",", ":")).encode())
    print(f"  per household (JSON Lines, mean of 100): compact {total['compact'] / 100:,.0f} "
          f"bytes, full {total['full'] / 100:,.0f} bytes "
          f"({total['full'] / total['compact']:.0f} x)")


if __name__ == "__main__":
    main()
