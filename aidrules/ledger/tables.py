"""The ledger's tables (sqlmodel). Money is kept as exact decimal text, documents as
canonical JSON text, so every database stores and hashes them the same way.

Rows are written only through :mod:`aidrules.ledger.store` (and monitoring's feeds); the
chain table is append-only.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aidrules.ledger.chain import CURRENT

metadata = SQLModel.metadata


class Household(SQLModel, table=True):
    __tablename__ = "households"
    id: str = Field(primary_key=True, max_length=64)
    grid: str = Field(max_length=64)  # the grid (网格) whose worker verifies it
    jurisdiction: str = Field(max_length=128)
    risk_level: str | None = Field(default=None, max_length=16)  # red / yellow / blue
    chain_length: int = 0  # entries in its chain, so a removed last entry is noticed
    chain_head: str = Field(default="", max_length=64)  # hash of the last entry


class Member(SQLModel, table=True):
    """A member as listed in one application (the history of who lived there is kept)."""
    __tablename__ = "members"
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id", index=True)
    position: int
    id_number: str = Field(max_length=18, index=True)
    name: str = Field(max_length=64)
    relation: str = Field(max_length=16)


class Application(SQLModel, table=True):
    """An application as filed, or the facts as found by a verification."""
    __tablename__ = "applications"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    reference: str = Field(max_length=64)  # the application's own application_id
    filed_on: date
    source: str = Field(max_length=16)  # filed | findings | review
    document: str = Field(sa_type=sa.Text)  # application_to_dict, canonical JSON


class Case(SQLModel, table=True):
    """One application going through the procedure; ``version`` guards concurrent officers."""
    __tablename__ = "cases"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    application_id: int = Field(foreign_key="applications.id")
    state: str = Field(max_length=16)
    version: int = 1
    accepted_on: date
    accepted_by: str = Field(max_length=64)
    investigated_on: date | None = None
    investigators: str = Field(default="[]", sa_type=sa.Text)  # JSON array of names (0007)
    findings: str | None = Field(default=None, sa_type=sa.Text)
    notice_from: date | None = None
    notice_until: date | None = None
    has_objection: bool = False
    appraisal: str | None = Field(default=None, sa_type=sa.Text)
    is_extended: bool = False  # the 45-working-day limit applies
    refusal_notified_on: date | None = None


class Assessment(SQLModel, table=True):
    """An assessment as it was made: the facts, the date, the rule book and the result."""
    __tablename__ = "assessments"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    application_id: int = Field(foreign_key="applications.id")
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    on: date
    jurisdiction: str = Field(max_length=128)
    rulebook_version: str = Field(max_length=64)
    rulebook_digest: str = Field(max_length=64)
    policy_version: str = Field(max_length=64)
    risk_level: str | None = Field(default=None, max_length=16)
    # canonical JSON: the stored form (casework.assessment.compact), or before it the whole
    # Assessment.to_json()
    result: str = Field(sa_type=sa.Text)


class Decision(SQLModel, table=True):
    __tablename__ = "decisions"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    assessment_id: int = Field(foreign_key="assessments.id")
    outcome: str = Field(max_length=16)  # approved | refused
    aids: str = Field(default="[]", sa_type=sa.Text)  # approved aid ids, JSON array (0007)
    reasons: str | None = Field(default=None, sa_type=sa.Text)
    decided_on: date
    decided_by: str = Field(max_length=64)


class Enrolment(SQLModel, table=True):
    __tablename__ = "enrolments"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    case_id: int = Field(foreign_key="cases.id", index=True)
    aid: str = Field(max_length=32)
    starts_on: date
    ends_on: date | None = None
    monthly_amount: str | None = Field(default=None, max_length=32)  # exact decimal text
    # what the amount is paid per: month, or once (temporary aid: one month, no review)
    period: str = Field(default="month", max_length=8, sa_column_kwargs={"server_default": "month"})
    review_interval: str = Field(max_length=16)  # stable | unstable
    review_due: date | None = None


class Review(SQLModel, table=True):
    __tablename__ = "reviews"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    assessment_id: int = Field(foreign_key="assessments.id")
    reviewed_on: date
    reviewed_by: str = Field(max_length=64)
    outcome: str = Field(max_length=16)  # unchanged | changed


class Exit(SQLModel, table=True):
    __tablename__ = "exits"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    decided_on: date
    decided_by: str = Field(max_length=64)
    reason: str = Field(sa_type=sa.Text)
    grace_months: int = 0
    paid_until: date  # last day paid, grace period included


class Warning(SQLModel, table=True):
    __tablename__ = "warnings"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    raised_on: date
    department: str = Field(max_length=64)
    reason: str = Field(sa_type=sa.Text)
    risk_level: str | None = Field(default=None, max_length=16)


class VerificationTask(SQLModel, table=True):
    __tablename__ = "verification_tasks"
    id: int | None = Field(default=None, primary_key=True)
    warning_id: int = Field(foreign_key="warnings.id", index=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    grid: str = Field(max_length=64)
    worker: str = Field(max_length=64)
    due_on: date
    done_on: date | None = None
    findings: str | None = Field(default=None, sa_type=sa.Text)


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    assessment_id: int = Field(foreign_key="assessments.id")
    brand: str = Field(max_length=32)
    departments: str = Field(sa_type=sa.Text)  # JSON array (0007)
    reason: str = Field(sa_type=sa.Text)
    status: str = Field(max_length=16)  # pushed | answered
    pushed_on: date
    due_on: date


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referrals.id", index=True)
    department: str = Field(max_length=64)
    given_on: date
    action: str = Field(sa_type=sa.Text)


class ChainEntry(SQLModel, table=True):
    """One event in a household's chain (一户一条救助链). Appended, never changed.

    ``hash`` = sha256 of the previous entry's hash and the canonical JSON of this entry
    (household, seq, kind, day, payload, and ``rows`` where set); see
    :mod:`aidrules.ledger.chain`. ``rows`` (migration 0006) seals the operational rows the
    step wrote: ``{"cases:3": sha256 of the row's covered columns, ...}``.
    """
    __tablename__ = "chain_entries"
    __table_args__ = (sa.UniqueConstraint("household_id", "seq", name="uq_chain_household_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True, max_length=64)
    seq: int
    kind: str = Field(max_length=32)
    day: date
    payload: str = Field(sa_type=sa.Text)  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    rows: str | None = Field(default=None, sa_type=sa.Text)  # canonical JSON; None before 0006
    # the canonical form it was hashed in (migration 0007): 'jcs' (RFC 8785); None before
    form: str | None = Field(default=CURRENT, max_length=8)


class LedgerHead(SQLModel, table=True):
    """The ledger-level head (migration 0006), appended once per transaction that moves any
    chain on: the new ``[chain_length, chain_head]`` of each household it touched, chained
    by hash, so a household that vanishes (row and chain) or a truncated table is noticed."""
    __tablename__ = "ledger_heads"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    households: str = Field(sa_type=sa.Text)  # canonical JSON {household: [length, head]}
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    form: str | None = Field(default=CURRENT, max_length=8)  # as ChainEntry.form (0007)


# ---- monitoring: department feeds and early warnings (migration 0003) -------------------

class FeedImportRecord(SQLModel, table=True):
    """One department file imported: which file (by its sha256) and what it held."""
    __tablename__ = "feed_imports"
    __table_args__ = (sa.UniqueConstraint("source", "sha256", name="uq_feed_import_file"),)
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    imported_on: date
    rows: int
    imported: int  # rows that read cleanly (new or already stored)
    new_rows: int  # of those, rows whose key was not stored before
    rejected: int
    blank: int
    problems: str = Field(sa_type=sa.Text)  # file-level problems, canonical JSON list


class FeedRow(SQLModel, table=True):
    """A department row that read cleanly, stored once by its row key."""
    __tablename__ = "feed_rows"
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="feed_imports.id", index=True)
    # source/id_number/date/kind/amount/digest of the name and details (Event.key)
    row_key: str = Field(max_length=200, unique=True)
    id_number: str = Field(max_length=18, index=True)
    kind: str = Field(max_length=32)
    day: date
    amount: str | None = Field(default=None, max_length=32)  # exact decimal text
    line: int
    # migration 0004; None on rows stored before it
    name: str | None = Field(default=None, sa_type=sa.Text)
    details: str | None = Field(default=None, sa_type=sa.Text)  # canonical JSON object


class FeedReject(SQLModel, table=True):
    """A row that was not imported: kept with its line, reason and cells, never dropped."""
    __tablename__ = "feed_rejects"
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="feed_imports.id", index=True)
    line: int
    reason: str = Field(sa_type=sa.Text)
    cells: str = Field(sa_type=sa.Text)  # canonical JSON list of the cells as read


class EarlyWarning(SQLModel, table=True):
    """A screening warning, stored by its deduplication key so it is raised only once;
    ``warning_id`` is the ledger warning (with its verification task) it created."""
    __tablename__ = "early_warnings"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    rule_id: str = Field(max_length=64)
    household_id: str = Field(max_length=64, index=True)  # "D" + identity number: discovered
    id_number: str = Field(default="", max_length=18)
    colour: str = Field(max_length=16)
    suggest: str = Field(default="[]", sa_type=sa.Text)  # aid ids, JSON array (0007)
    raised_on: date
    event_on: date
    event_key: str = Field(max_length=300)
    warning_id: int | None = Field(default=None, foreign_key="warnings.id")


class DiscoveredPerson(SQLModel, table=True):
    """主动发现: a person in a department feed whom the register does not know."""
    __tablename__ = "discovered_people"
    id_number: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=64)
    source: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    first_seen_on: date  # the first event's date
    row_key: str = Field(max_length=200)


from aidrules.ledger import payment_tables as _payment_tables  # noqa: E402,F401  (0007)
