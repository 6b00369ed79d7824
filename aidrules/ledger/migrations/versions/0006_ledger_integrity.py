"""The chain seals the operational rows and the ledger keeps a head over every household.

- ``chain_entries.rows``: the digests of the covered rows a step wrote (see
  aidrules/ledger/integrity.py); the rows already in the ledger are sealed here by one
  ``sealed`` entry per household.
- ``ledger_heads``: one hash-linked head per transaction, recording the households it
  moved on; the first is written here over every household.
- The database refuses what the triggers of 0002 let through: on SQLite a ``REPLACE`` or
  ``INSERT OR REPLACE`` over an entry (it deletes without firing the delete trigger), on
  PostgreSQL a ``TRUNCATE`` of the chain, the heads or a sealed table; the heads are
  append-only like the chain.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from aidrules.ledger import integrity
from aidrules.ledger.chain import LEGACY, canonical_json, entry_hash

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

REFUSED = "the ledger is append-only: entries and heads are never replaced, updated or deleted"

# The covered columns as they stand at this revision (integrity.COVERED may grow later).
COVERED = {
    "households": ("id", "grid", "jurisdiction", "risk_level"),
    "applications": ("id", "household_id", "reference", "filed_on", "source", "document"),
    "members": ("id", "application_id", "position", "id_number", "name", "relation"),
    "cases": ("id", "household_id", "application_id", "state", "version", "accepted_on",
              "accepted_by", "investigated_on", "investigators", "findings", "notice_from",
              "notice_until", "has_objection", "appraisal", "is_extended",
              "refusal_notified_on"),
    "assessments": ("id", "household_id", "application_id", "case_id", "on", "jurisdiction",
                    "rulebook_version", "rulebook_digest", "policy_version", "risk_level",
                    "result"),
    "decisions": ("id", "case_id", "assessment_id", "outcome", "aids", "reasons",
                  "decided_on", "decided_by"),
    "enrolments": ("id", "household_id", "case_id", "aid", "starts_on", "ends_on",
                   "monthly_amount", "period", "review_interval", "review_due"),
    "reviews": ("id", "case_id", "assessment_id", "reviewed_on", "reviewed_by", "outcome"),
    "exits": ("id", "case_id", "decided_on", "decided_by", "reason", "grace_months",
              "paid_until"),
    "warnings": ("id", "household_id", "raised_on", "department", "reason", "risk_level"),
    "verification_tasks": ("id", "warning_id", "household_id", "grid", "worker", "due_on",
                           "done_on", "findings"),
    "referrals": ("id", "household_id", "assessment_id", "brand", "departments", "reason",
                  "status", "pushed_on", "due_on"),
    "feedback": ("id", "referral_id", "department", "given_on", "action"),
}


def upgrade() -> None:
    with op.batch_alter_table("chain_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows", sa.Text(), nullable=True))
    op.create_table(
        "ledger_heads",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("households", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"))
    _seal_what_is_there(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def _seal_what_is_there(bind: sa.Connection) -> None:
    """One ``sealed`` entry per household over its rows, then the first ledger head."""
    meta = sa.MetaData()
    tables = {name: sa.Table(name, meta, autoload_with=bind) for name in COVERED}
    chain = sa.Table("chain_entries", meta, autoload_with=bind)
    houses = tables["households"]
    owner = integrity.households_of(bind, tables, COVERED)
    rows: dict[str, dict[str, str]] = {}
    # Written in the legacy canonical form, as at this revision (0007 added the JCS form).
    for key, digest in integrity.all_digests(bind, tables, COVERED, (LEGACY,)).items():
        rows.setdefault(owner[key], {})[key] = digest[LEGACY]
    moved = {}
    for house in bind.execute(sa.select(houses.c.id, houses.c.chain_length,
                                        houses.c.chain_head).order_by(houses.c.id)):
        moved[house.id] = _append_sealed(bind, chain, houses, house, rows.get(house.id, {}))
    if moved:
        integrity.append_head(bind, moved, LEGACY)


def _append_sealed(bind: sa.Connection, chain: sa.Table, houses: sa.Table, house: sa.Row,
                   rows: dict[str, str]) -> tuple[int, str]:
    last_day = bind.execute(sa.select(sa.func.max(chain.c.day))
                            .where(chain.c.household_id == house.id)).scalar()
    day = date.fromisoformat(str(last_day)[:10]) if last_day is not None else date.today()
    seq, payload, sealed = house.chain_length + 1, canonical_json({"migration": "0006"}), \
        canonical_json(rows)
    digest = entry_hash(house.chain_head, house.id, seq, "sealed", day, payload, sealed, LEGACY)
    bind.execute(sa.insert(chain).values(household_id=house.id, seq=seq, kind="sealed",
                                         day=day, payload=payload, prev_hash=house.chain_head,
                                         hash=digest, rows=sealed))
    bind.execute(sa.update(houses).where(houses.c.id == house.id)
                 .values(chain_length=seq, chain_head=digest))
    return seq, digest


TRUNCATE_REFUSED = ["chain_entries", "ledger_heads", *COVERED]


def _postgresql_guards() -> None:
    op.execute(f"""
        CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '%: {REFUSED}', TG_TABLE_NAME; END $$ LANGUAGE plpgsql""")
    op.execute("""
        CREATE TRIGGER ledger_heads_append_only BEFORE UPDATE OR DELETE ON ledger_heads
        FOR EACH ROW EXECUTE FUNCTION ledger_append_only()""")
    for table in TRUNCATE_REFUSED:
        op.execute(f"""
            CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()""")


def _sqlite_guards() -> None:
    """REPLACE deletes the row in the way without firing delete triggers (recursive
    triggers are off), so an insert over an existing entry or head is refused first."""
    op.execute(f"""
        CREATE TRIGGER chain_entries_no_replace BEFORE INSERT ON chain_entries
        WHEN EXISTS (SELECT 1 FROM chain_entries WHERE id = NEW.id
                     OR (household_id = NEW.household_id AND seq = NEW.seq))
        BEGIN SELECT RAISE(ABORT, 'chain_entries: {REFUSED}'); END""")
    op.execute(f"""
        CREATE TRIGGER ledger_heads_no_replace BEFORE INSERT ON ledger_heads
        WHEN EXISTS (SELECT 1 FROM ledger_heads WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'ledger_heads: {REFUSED}'); END""")
    for event in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER ledger_heads_no_{event.lower()} BEFORE {event} ON ledger_heads
            BEGIN SELECT RAISE(ABORT, 'ledger_heads: {REFUSED}'); END""")


def downgrade() -> None:
    """Refused: entries written since carry row seals in their hashes, which the code at
    0005 cannot verify, and on SQLite dropping the column rebuilds the chain table without
    the triggers of 0002. Restore the copy taken before upgrading instead."""
    raise RuntimeError("migration 0006 is not undone: the chain's entries since carry row "
                       "seals that revision 0005 cannot verify; restore the copy of the "
                       "database taken before upgrading")
