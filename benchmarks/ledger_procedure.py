"""How fast the ledger takes households through the procedure, and verifies their chains.

    python benchmarks/ledger_procedure.py [N] [DATABASE_URL]

N households (default 200) are filed, investigated, noticed, decided and enrolled, one
transaction per step, in a fresh SQLite file (or the empty database at DATABASE_URL);
then every chain is verified. Prints the seconds taken and the rate.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from aidrules.engine import Assessor
from aidrules.ledger import Ledger
from aidrules.model import application_from_dict, application_to_dict, read_application
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]


def main(count: int, url: str | None) -> None:
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    url = url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    ledger = Ledger.open(url, assessor=Assessor(book), upgrade=True)
    data = application_to_dict(read_application(
        ROOT / "examples/applications/01-tieli-urban-below-standard.yaml"))
    start = time.perf_counter()
    for n in range(count):
        data["application_id"] = f"B-{n}"
        case = ledger.file_application(application_from_dict(data), f"H-{n}", "受理员", "g-1")
        ledger.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
        ledger.publish_notice(case, date(2025, 3, 5))
        ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
        ledger.enrol(case, date(2025, 3, 12))
    took = time.perf_counter() - start
    print(f"{count} households through 5 steps in {took:.2f} s ({count / took:.1f} "
          f"households/s, {5 * count / took:.0f} steps/s) on {ledger.engine.dialect.name}")
    start = time.perf_counter()
    assert ledger.verify() is None
    print(f"verified {count} chains ({count * 7} entries) in {time.perf_counter() - start:.2f} s")
    ledger.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, sys.argv[2] if len(sys.argv) > 2 else None)
