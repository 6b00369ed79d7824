"""The same applications through both paths, in the shape of a screening row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from aidrules.engine import Assessor


def per_case(assessor: Assessor, application, on=None, jurisdiction=None) -> dict:
    """The per-case assessment as a screening row: statuses, amounts in fen, the rules
    that decided, risk, referrals."""
    result = assessor.assess(application, on=on, jurisdiction=jurisdiction, reasons=False)
    row = {"application_id": application.application_id}
    for aid in result.results:
        row[aid.aid] = aid.status
        row[f"{aid.aid}.amount_fen"] = _fen(aid.amount)
        row[f"{aid.aid}.amount_max_fen"] = _fen(aid.amount_max)
        # eligible, and an amount waits on unreported facts (then they are listed)
        row[f"{aid.aid}.amount_pending"] = aid.status == "eligible" and bool(aid.missing)
        row[f"{aid.aid}.deciding"] = list(aid.deciding)  # the rules that settled it
        row[f"{aid.aid}.missing"] = list(aid.missing)  # what would decide it, or the amount
    row["risk_level"] = result.risk_level
    row["referrals"] = [r.rule for r in result.referrals]
    return row


def _fen(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    fen = amount * 100
    assert fen == int(fen)
    return int(fen)


def differences(expected: list[dict], screened: list[dict]) -> list[tuple]:
    """(application, column, per case, screened) for every cell that differs."""
    found = []
    for want, got in zip(expected, screened, strict=True):
        for column, value in want.items():
            if got.get(column) != value:
                found.append((want["application_id"], column, value, got.get(column)))
    return found


ROOT_APPLICATIONS = sorted((Path(__file__).resolve().parents[2] / "examples" /
                            "applications").glob("*.yaml"))
