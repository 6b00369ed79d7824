"""What ``aidrules assess`` prints on a terminal: a table of outcomes, then the risk,
referrals and one line per aid type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from aidrules.engine.results import AidResult, Assessment

PAID = {"month": " a month", "year": " a year", "once": " once"}
PENDING = "not yet computed (missing facts) / 金额待计算"


def table(a: Assessment) -> Table:
    """Per aid type its names, outcome and amount."""
    found = Table(title=f"{a.application_id} · {a.jurisdiction} · {a.on.isoformat()}")
    for column in ("aid type", "", "status", "amount"):
        found.add_column(column, overflow="fold")
    for r in a.results:
        found.add_row(r.name, r.name_en, r.status.value, amount(r))
    return found


def amount(r: AidResult) -> str:
    shown = "" if r.amount is None else str(r.amount)
    if r.status == "eligible" and r.amount is None and r.missing:
        shown = PENDING
    if r.amount_max is not None:
        shown += f" (max {r.amount_max})"
    if r.amount is not None:
        shown += PAID.get(r.period or "", "")
    return shown


def lines(a: Assessment) -> list[str]:
    """The risk level, each referral, and per aid type its summary and what is missing."""
    found = [f"Risk level: {a.risk_level or 'none'}"
             + (f" ({a.risk_reason})" if a.risk_reason else "")]
    found += [f"Referral {ref.name} ({ref.brand}) → {', '.join(ref.departments)}: {ref.reason}"
              for ref in a.referrals]
    for r in a.results:
        found.append(f"- {r.aid}: {r.summary} / {r.summary_en}")
        if r.missing:
            found.append(f"    missing: {', '.join(r.missing)}")
    return found

