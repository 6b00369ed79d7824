"""The monthly payment roll (发放名册), computed from what the decisions entitle a household
to and what earlier rolls paid. Pure: plain data in, plain data out; the ledger stores it.

- **Entitlement.** An enrolment (a :class:`Grant`) entitles its household to its amount
  for every month it covers: each month for a monthly aid, the first month of each year of
  the enrolment for a yearly one, the first month only for a one-off payment. Months after
  the exit's month that the exit granted as a grace period (渐退期) are paid as ``grace``.
  A review that changes the amount ends one enrolment and starts the next, so the new
  amount is paid from the month the new enrolment starts.
- **The roll for a month** pays every entitled (household, aid, month) up to and including
  that month that no earlier roll paid, from the jurisdiction's first roll on: the month
  itself, and as arrears (补发) the earlier months, e.g. an approval enrolled after the
  roll of its first month was issued. A month is paid once, never twice.
- **Overpayment** (多发) found at review: the months paid above what the household was
  entitled to, recovered in instalments (``payments.recovery_instalments``) deducted from
  the same aid's later payments, never making a payment negative; what a month cannot
  cover waits for the next.

Money is :class:`~decimal.Decimal` yuan, whole fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from aidrules.errors import AidrulesError

FEN = Decimal("0.01")
PERIODS = ("month", "year", "once")


class PaymentError(AidrulesError, ValueError):
    """Entitlements that cannot be paid as given (two for one month, a sum not in fen)."""


def month_of(day: date) -> date:
    """The month a day falls in, as its first day."""
    return day.replace(day=1)


def plus_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Whole months from ``first``'s month to ``last``'s (0 for the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def parse_month(text: str) -> date:
    """``YYYY-MM`` → its first day; a clear error otherwise."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise PaymentError(f"month {text!r} is not YYYY-MM") from None


def fen(amount: Decimal | str, what: str) -> Decimal:
    """An amount as exact yuan in whole fen; refused otherwise."""
    try:
        value = Decimal(amount)
    except ArithmeticError:
        raise PaymentError(f"{what}: {amount!r} is not an amount") from None
    if not value.is_finite() or value != value.quantize(FEN):
        raise PaymentError(f"{what}: {amount} is not an amount in whole fen")
    return value.quantize(FEN)


@attrs.frozen
class Grant:
    """What one enrolment entitles its household to."""
    household: str
    aid: str
    enrolment: int
    amount: Decimal  # per period, yuan
    period: str  # month | year | once
    starts: date  # the first day paid (the first of a month)
    ends: date | None  # the last day paid (grace included), None while in force
    grace_from: date | None = None  # the first month of the exit's grace period, if any

    def due(self, month: date) -> str | None:
        """The basis on which ``month`` is paid (month, grace, year, once), or None."""
        first = month_of(self.starts)
        if month < first or (self.ends is not None and month > month_of(self.ends)):
            return None
        step = months_between(first, month)
        if (self.period == "once" and step) or (self.period == "year" and step % 12):
            return None
        if self.grace_from is not None and month >= self.grace_from:
            return "grace"
        return self.period


@attrs.frozen
class Due:
    amount: Decimal
    basis: str
    enrolment: int


Key = tuple[str, str, date]  # household, aid, month paid for


def entitlements(grants: Iterable[Grant], first: date, last: date) -> dict[Key, Due]:
    """Every (household, aid, month) the grants entitle to from month ``first`` to ``last``;
    two grants for the same household, aid and month are refused (they would pay twice)."""
    found: dict[Key, Due] = {}
    for grant in grants:
        if grant.period not in PERIODS:
            raise PaymentError(f"enrolment {grant.enrolment}: period {grant.period!r} is not "
                               f"one of {', '.join(PERIODS)}")
        amount = fen(grant.amount, f"enrolment {grant.enrolment}")
        month = max(first, month_of(grant.starts))
        end = last if grant.ends is None else min(last, month_of(grant.ends))
        while month <= end:
            basis = grant.due(month)
            if basis is not None:
                key = (grant.household, grant.aid, month)
                if key in found:
                    raise PaymentError(
                        f"household {grant.household}: enrolments {found[key].enrolment} and "
                        f"{grant.enrolment} both entitle it to {grant.aid} for "
                        f"{month:%Y-%m}; one month is paid once")
                found[key] = Due(amount, basis, grant.enrolment)
            month = plus_months(month, 1)
    return found


def instalments(total: Decimal, count: int) -> tuple[Decimal, ...]:
    """``total`` in ``count`` monthly instalments of whole fen, the odd fen first, adding
    up to ``total`` exactly."""
    if count < 1:
        raise PaymentError(f"instalments: {count} is not a number of months")
    cents = int(fen(total, "an overpayment") * 100)
    if cents <= 0:
        raise PaymentError(f"an overpayment of {total} is nothing to recover")
    base, odd = divmod(cents, count)
    return tuple((Decimal(base + (1 if i < odd else 0)) / 100).quantize(FEN)
                 for i in range(count))


def overpaid(paid: Mapping[date, Decimal], entitled: Decimal, months: Sequence[date]
             ) -> Decimal:
    """What was paid above ``entitled`` for each of ``months``; every month must have been
    paid, and paid more than ``entitled`` (an underpayment is arrears, not this)."""
    total = Decimal(0)
    for month in months:
        if month not in paid:
            raise PaymentError(f"{month:%Y-%m} was not paid by a roll; correct what is still "
                               "to be paid through the review instead")
        if paid[month] <= entitled:
            raise PaymentError(f"{month:%Y-%m} was paid {paid[month]}, not more than the "
                               f"{entitled} found: no overpayment that month")
        total += paid[month] - entitled
    return total


@attrs.frozen
class Recovery:
    """An overpayment's recovery plan and how far it has got."""
    overpayment: int
    household: str
    aid: str
    plan: tuple[Decimal, ...]  # the instalments, month by month
    starts: date  # the month of the first instalment
    recovered: Decimal = Decimal(0)  # deducted by earlier rolls

    @property
    def total(self) -> Decimal:
        return sum(self.plan, Decimal(0))

    def wanted(self, month: date) -> Decimal:
        """What the roll for ``month`` should deduct: every instalment due by then, less
        what was deducted already (a month that could not cover its instalment hands the
        rest on)."""
        due_count = months_between(self.starts, month) + 1
        if due_count <= 0:
            return Decimal(0)
        return max(sum(self.plan[:due_count], Decimal(0)) - self.recovered, Decimal(0))


@attrs.frozen
class Payment:
    """One line of a roll: one household, one aid, one month paid for."""
    household: str
    aid: str
    month: date  # the month paid for
    roll_month: date  # the roll that pays it
    basis: str  # month | grace | year | once
    gross: Decimal  # the entitlement
    enrolment: int
    recovered: Decimal = Decimal(0)  # deducted toward an overpayment
    overpayment: int | None = None

    @property
    def net(self) -> Decimal:
        return self.gross - self.recovered

    @property
    def arrears(self) -> bool:
        return self.month < self.roll_month


def roll(month: date, grants: Iterable[Grant], paid: Iterable[Key], since: date,
         recoveries: Iterable[Recovery] = ()) -> list[Payment]:
    """The roll for ``month``: each entitlement from ``since`` to ``month`` not yet
    ``paid``, by household, aid and month, with the recoveries' deductions netted."""
    done = set(paid)
    due = entitlements(grants, since, month)
    lines = [Payment(house, aid, m, month, d.basis, d.amount, d.enrolment)
             for (house, aid, m), d in sorted(due.items()) if (house, aid, m) not in done]
    by_key: dict[tuple[str, str], list[int]] = {}
    for index, line in enumerate(lines):
        by_key.setdefault((line.household, line.aid), []).append(index)
    for recovery in sorted(recoveries, key=lambda r: r.overpayment):
        wanted = recovery.wanted(month)
        for index in by_key.get((recovery.household, recovery.aid), []):
            line = lines[index]
            if wanted <= 0:
                break
            if line.overpayment is not None:  # a line deducts for one plan only
                continue
            take = min(wanted, line.gross)
            if take > 0:
                lines[index] = attrs.evolve(line, recovered=take,
                                            overpayment=recovery.overpayment)
                wanted -= take
    return lines


@attrs.frozen
class Totals:
    lines: int
    households: int
    gross: Decimal
    recovered: Decimal
    net: Decimal
    arrears: Decimal  # of the net, paid for earlier months


def totals(lines: Sequence[Payment]) -> Totals:
    return Totals(len(lines), len({p.household for p in lines}),
                  sum((p.gross for p in lines), Decimal(0)),
                  sum((p.recovered for p in lines), Decimal(0)),
                  sum((p.net for p in lines), Decimal(0)),
                  sum((p.net for p in lines if p.arrears), Decimal(0)))
