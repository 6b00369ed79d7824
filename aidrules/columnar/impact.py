"""Impact of a rule change over a whole register, through the screener: every household
screened under the base book and under the current one, compared aid by aid.

Per aid type and township: households that gain the aid, lose it, keep it with another
amount, or move between ineligible and undetermined; the difference of the amounts in fen
(per month, or once for an aid paid once); and a chart (SVG) of how the households'
monthly change is distributed. The per-case path's impact (aidrules.cases.impact) gives
the flipped criteria of each household; this one gives the whole register in seconds."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import attrs
import pyarrow as pa

from aidrules.columnar.register import read_register
from aidrules.columnar.screen import Screener


@attrs.frozen
class RegisterImpact:
    households: int
    changes: pa.Table  # household, township, aid, kind, base/current status and amount
    summary: pa.Table  # aid, township, gained, lost, amount, status, cost_fen, period
    per_household_fen: list[int]  # each household's monthly change, in fen (all aids)


def register_impact(base: Screener, current: Screener, register: Path | str, on: date,
                    jurisdiction: str | None = None) -> RegisterImpact:
    applications = list(read_register(register, on))
    before = base.screen(applications, on, jurisdiction).to_pylist()
    after = current.screen(applications, on, jurisdiction).to_pylist()
    townships = _townships(Path(register))
    once = {a.id for a in current.book.aids.values() if a.period == "once"}
    aids = [a for a in current.book.aids if a in base.book.aids]
    changes: list[dict] = []
    counts: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
    per_household = []
    for old, new in zip(before, after, strict=True):
        household = old["application_id"]
        township = townships.get(household.removeprefix("M-"), "")
        monthly = 0
        for aid in aids:
            kind = _kind(old, new, aid)
            cost = _paid(new, aid) - _paid(old, aid)
            if aid not in once:
                monthly += cost
            counts[(aid, township)]["cost_fen"] += cost
            if kind is None:
                continue
            counts[(aid, township)][kind] += 1
            changes.append({"household": household, "township": township, "aid": aid,
                            "kind": kind, "base": old[aid], "current": new[aid],
                            "base_amount_fen": old[f"{aid}.amount_fen"],
                            "current_amount_fen": new[f"{aid}.amount_fen"]})
        per_household.append(monthly)
    summary = [{"aid": aid, "township": township,
                **{k: c[k] for k in ("gained", "lost", "amount", "status", "cost_fen")},
                "period": "once" if aid in once else "month"}
               for (aid, township), c in sorted(counts.items(), key=_order)
               if any(c[k] for k in ("gained", "lost", "amount", "status", "cost_fen"))]
    return RegisterImpact(len(applications), pa.Table.from_pylist(changes, schema=_CHANGES),
                          pa.Table.from_pylist(summary, schema=_SUMMARY), per_household)


_CHANGES = pa.schema([("household", pa.string()), ("township", pa.string()),
                      ("aid", pa.string()), ("kind", pa.string()), ("base", pa.string()),
                      ("current", pa.string()), ("base_amount_fen", pa.int64()),
                      ("current_amount_fen", pa.int64())])
_SUMMARY = pa.schema([("aid", pa.string()), ("township", pa.string()),
                      ("gained", pa.int64()), ("lost", pa.int64()), ("amount", pa.int64()),
                      ("status", pa.int64()), ("cost_fen", pa.int64()),
                      ("period", pa.string())])


def _order(item) -> tuple:
    (aid, township), _ = item
    return aid, int(township) if township.isdigit() else 0, township


def _kind(old: dict, new: dict, aid: str) -> str | None:
    before, after = old[aid], new[aid]
    if before != after:
        if after == "eligible":
            return "gained"
        return "lost" if before == "eligible" else "status"
    if after == "eligible" and any(old[f"{aid}.{f}"] != new[f"{aid}.{f}"]
                                   for f in ("amount_fen", "amount_max_fen")):
        return "amount"
    return None


def _paid(row: dict, aid: str) -> int:
    """The amount the household is paid for ``aid``, in fen (0 unless eligible; an amount
    pending on an unreported fact counts as 0 until it is reported)."""
    return (row[f"{aid}.amount_fen"] or 0) if row[aid] == "eligible" else 0


def _townships(register: Path) -> dict[str, str]:
    """household id → township, for a county register (application files have none)."""
    for folder in (register, register / "register"):
        path = folder / "households.csv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as f:
                return {row["household_id"]: row["township"] for row in csv.DictReader(f)}
    return {}


def distribution_svg(per_household_fen: list[int], title: str) -> str:
    """A bar chart of the households whose monthly amount changes, by how much (yuan)."""
    changed = [f / 100 for f in per_household_fen if f]
    width, height, margin = 640, 320, 48
    if not changed:
        bars, labels = [], ("no household's monthly amount changes",)
    else:
        low, high = min(changed), max(changed)
        count = 20 if high > low else 1
        step = (high - low) / count or 1
        buckets = Counter(min(int((c - low) / step), count - 1) for c in changed)
        tallest = max(buckets.values())
        bar = (width - 2 * margin) / count
        bars = [(margin + i * bar, height - margin - (height - 2 * margin) * n / tallest,
                 bar - 2, (height - 2 * margin) * n / tallest,
                 "#b22222" if low + (i + 0.5) * step < 0 else "#2e7d32", n)
                for i, n in sorted(buckets.items())]
        labels = (f"{len(changed):,} households change; from {low:+,.2f} to {high:+,.2f} "
                  f"yuan a month; tallest bar {tallest:,}",)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="{margin}" y="20" font-size="14">{_escape(title)}</text>',
             f'<text x="{margin}" y="{height - 12}">{_escape(labels[0])}</text>',
             f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" '
             f'y2="{height - margin}" stroke="black"/>']
    parts += [f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
              f'fill="{colour}"><title>{n}</title></rect>' for x, y, w, h, colour, n in bars]
    return "\n".join([*parts, "</svg>", ""])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
