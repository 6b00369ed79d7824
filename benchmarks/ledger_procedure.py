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
from aidrules.model.identity import check_character
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]


def main(count: int, url: str | None) -> None:
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    url = url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    ledger = Ledger.open(url, assessor=Assessor(book), upgrade=True)
    data = application_to_dict(read_application(
        ROOT / "examples/applications/01-tieli-urban-below-standard.yaml"))
    numbers = [m["id_number"] for m in data["household"]["members"]]
    start = time.perf_counter()
    for n in range(count):
        data["application_id"] = f"B-{n}"
        for member, number in zip(data["household"]["members"], numbers, strict=True):
            member["id_number"] = _other_person(number, n)  # one person, one household
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
    print(f"verified {count} chains ({count * 7} entries, their rows and ledger heads) "
          f"in {time.perf_counter() - start:.2f} s")
    ledger.close()


def _other_person(id_number: str, n: int) -> str:
    """Another valid identity number of the same birth date and sex (n < 500)."""
    first17 = id_number[:14] + f"{(int(id_number[14:17]) + 2 * n) % 1000:03d}"
    return first17 + check_character(first17)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, sys.argv[2] if len(sys.argv) > 2 else None)
