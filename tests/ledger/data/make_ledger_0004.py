"""How ``ledger-0004.sql.gz`` was made: a ledger written by aidrules at schema 0004 (commit
639fc79), touching every table that migration 0006 seals, then dumped as SQL text.

    git archive 639fc79 | tar -x -C /tmp/aidrules-0004
    cd /tmp/aidrules-0004 && python tests/ledger/data/make_ledger_0004.py OUT.db
    python -c "import sqlite3, sys; print('\\n'.join(sqlite3.connect(sys.argv[1]).iterdump()))" \\
        OUT.db | gzip -9 -n > tests/ledger/data/ledger-0004.sql.gz

It runs only with that aidrules (the code at 0004 writes no seals and no ledger heads).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from aidrules.engine import Assessor
from aidrules.ledger import Ledger
from aidrules.model import application_from_dict, application_to_dict, read_application
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[3]


def wang(wage: str, ref: str):
    data = application_to_dict(read_application(
        ROOT / "examples/applications/01-tieli-urban-below-standard.yaml"))
    data["household"]["members"][0]["incomes"][0]["amount"] = wage
    data["application_id"] = ref
    return application_from_dict(data)


def main(out: str) -> None:
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    ledger = Ledger.open(out, assessor=Assessor(book))
    ledger.register_household("H-1", "grid-07", wang("3000.00", "TL-1"), date(2025, 1, 6))
    _, task = ledger.record_warning("H-1", "人社局", "工资下降", date(2025, 2, 3), "网格员张",
                                    date(2025, 2, 10))
    found = ledger.record_findings(task, "网格员张", "工资降至2100元", date(2025, 2, 7),
                                   wang("2100.00", "TL-1"))
    [first, *_] = ledger.push_referrals(found, date(2025, 2, 7), date(2025, 2, 21))
    ledger.record_feedback(first, "医疗保障局", date(2025, 2, 10), "资助参保")
    case = ledger.file_application(wang("2100.00", "TL-1"), "H-1", by="受理员",
                                   on=date(2025, 3, 3))
    ledger.investigate(case, ["甲", "乙"], "属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.record_objection(case, date(2025, 3, 6), "邻居反映")
    ledger.appraise(case, date(2025, 3, 10), "评议属实", "评议组")
    ledger.decide(case, True, "审批员", date(2025, 3, 12), aids=["dibao"])
    ledger.enrol(case, date(2025, 3, 12))
    ledger.review(case, "复核员", date(2025, 10, 1), wang("2115.00", "TL-1"))
    ledger.exit(case, "审批员", date(2025, 11, 3), "收入超标")
    refused = ledger.file_application(wang("9000.00", "TL-2"), "H-2", by="受理员",
                                      grid="grid-08", on=date(2025, 3, 3))
    ledger.investigate(refused, ["甲", "乙"], "收入高", date(2025, 3, 4))
    ledger.publish_notice(refused, date(2025, 3, 5))
    ledger.decide(refused, False, "审批员", date(2025, 3, 12), reasons="收入高于标准")
    ledger.notify_refusal(refused, date(2025, 3, 13))
    assert ledger.verify() is None
    ledger.close()


if __name__ == "__main__":
    main(sys.argv[1])
