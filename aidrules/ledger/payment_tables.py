"""The ledger's tables for what follows a decision (migration 0008_payments): payment rolls
and their lines, overpayments and their recovery plans, and challenges of a decision
(行政复议 / 行政诉讼). Money is exact decimal text, as in :mod:`aidrules.ledger.tables`.

Every line, overpayment and challenge is sealed by an entry on its household's chain
(see :mod:`aidrules.ledger.integrity`); a roll's header is the sum of its lines.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class PaymentRoll(SQLModel, table=True):
    """The roll of one jurisdiction for one month (发放名册), issued once."""
    __tablename__ = "payment_rolls"
    __table_args__ = (sa.UniqueConstraint("jurisdiction", "month", name="uq_roll_month"),)
    id: int | None = Field(default=None, primary_key=True)
    jurisdiction: str = Field(max_length=128)
    month: date  # the first day of the month paid
    issued_on: date
    issued_by: str = Field(max_length=64)


class Payment(SQLModel, table=True):
    """One line of a roll: a household paid one aid for one month, once."""
    __tablename__ = "payments"
    __table_args__ = (sa.UniqueConstraint("household_id", "aid", "month",
                                          name="uq_payment_month"),)
    id: int | None = Field(default=None, primary_key=True)
    roll_id: int = Field(foreign_key="payment_rolls.id", index=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    enrolment_id: int = Field(foreign_key="enrolments.id")
    aid: str = Field(max_length=32)
    month: date  # the month paid for (first day); before the roll's month: arrears
    basis: str = Field(max_length=8)  # month | grace | year | once
    gross: str = Field(max_length=32)  # the entitlement, exact decimal text
    recovered: str = Field(default="0.00", max_length=32)  # deducted toward an overpayment
    overpayment_id: int | None = Field(default=None, foreign_key="overpayments.id")


class Overpayment(SQLModel, table=True):
    """Months paid above the entitlement, found at review, and the plan to recover it."""
    __tablename__ = "overpayments"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    case_id: int = Field(foreign_key="cases.id", index=True)
    aid: str = Field(max_length=32)
    first_month: date
    last_month: date
    entitled: str = Field(max_length=32)  # what each of those months should have paid
    total: str = Field(max_length=32)
    plan: str = Field(sa_type=sa.Text)  # canonical JSON list of the instalments
    starts: date  # the month of the first instalment
    found_on: date
    found_by: str = Field(max_length=64)
    reason: str = Field(sa_type=sa.Text)


class Challenge(SQLModel, table=True):
    """An applicant's challenge of a decision: reconsideration (行政复议) or a lawsuit
    (行政诉讼), its deadline, the body, and its outcome."""
    __tablename__ = "challenges"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    case_id: int = Field(foreign_key="cases.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decisions.id")
    kind: str = Field(max_length=16)  # reconsideration | lawsuit
    body: str = Field(max_length=128)
    knew_on: date  # the day the applicant knew (or should have known) of the decision
    filed_on: date
    deadline: date  # the last day to file
    decide_by: date | None = None  # the body's own time limit (reconsideration)
    outcome: str | None = Field(default=None, max_length=16)  # upheld | changed | revoked
    decided_on: date | None = None
    reasons: str | None = Field(default=None, sa_type=sa.Text)
    redecide_by: date | None = None  # a revocation orders a new decision by then
    redecision_id: int | None = Field(default=None, foreign_key="decisions.id")
