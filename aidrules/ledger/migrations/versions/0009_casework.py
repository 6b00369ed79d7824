"""Lists as JSON arrays: a case's investigators, a decision's approved aids, a referral's
departments and a screening warning's suggested aids were comma-joined texts (a name
holding a comma became two); they become JSON arrays of texts, in unbounded text columns.

The rewritten rows of cases, decisions and referrals are covered by the chain's seals, so
each household whose rows changed gets one ``sealed`` entry over them as they are now
(as migration 0006 sealed the rows it found), and one ledger head records the households
moved on. Not undone: restore the copy of the database taken before upgrading.

Revision ID: 0009_casework
Revises: 0008_payments
Create Date: 2026-12-01
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from aidrules.ledger import integrity
from aidrules.ledger.chain import JCS, canonical_json, entry_hash

revision = "0009_casework"
down_revision = "0008_payments"
branch_labels = None
depends_on = None

# table → its list column; and the covered columns of the sealed ones at this revision
LISTS = {"cases": "investigators", "decisions": "aids", "referrals": "departments",
         "early_warnings": "suggest"}
COVERED = {
    "cases": ("id", "household_id", "application_id", "state", "version", "accepted_on",
              "accepted_by", "investigated_on", "investigators", "findings", "notice_from",
              "notice_until", "has_objection", "appraisal", "is_extended",
              "refusal_notified_on"),
    "decisions": ("id", "case_id", "assessment_id", "outcome", "aids", "reasons",
                  "decided_on", "decided_by"),
    "referrals": ("id", "household_id", "assessment_id", "brand", "departments", "reason",
                  "status", "pushed_on", "due_on"),
}


def upgrade() -> None:
    for table, column in LISTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=256),
                                  type_=sa.Text(), existing_nullable=False)
    bind = op.get_bind()
    meta = sa.MetaData()
    tables = {name: sa.Table(name, meta, autoload_with=bind)
              for name in (*LISTS, "households", "chain_entries")}
    for name, column in LISTS.items():
        _as_arrays(bind, tables[name], column)
    _reseal(bind, tables)


def _as_arrays(bind: sa.Connection, table: sa.Table, column: str) -> None:
    for row_id, text in bind.execute(sa.select(table.c.id, table.c[column])).all():
        items = [item for item in text.split(",") if item] if text else []
        bind.execute(sa.update(table).where(table.c.id == row_id)
                     .values({column: canonical_json(items)}))


def _reseal(bind: sa.Connection, tables: dict[str, sa.Table]) -> None:
    """One ``sealed`` entry per household over its rewritten rows, then one ledger head."""
    cases = tables["cases"]
    owner_of_case = dict(bind.execute(sa.select(cases.c.id, cases.c.household_id)).all())
    rows: dict[str, dict[str, str]] = {}
    for name in COVERED:
        table = tables[name]
        owner = table.c.case_id if name == "decisions" else table.c.household_id
        owners = dict(bind.execute(sa.select(table.c.id, owner)).all())
        for key, digest in integrity.digests(bind, table, covered=COVERED, form=JCS).items():
            row_id = owners[int(key.partition(":")[2])]
            house = owner_of_case[row_id] if name == "decisions" else row_id
            rows.setdefault(house, {})[key] = digest
    houses, chain = tables["households"], tables["chain_entries"]
    moved = {}
    for house in bind.execute(sa.select(houses.c.id, houses.c.chain_length, houses.c.chain_head)
                              .where(houses.c.id.in_(sorted(rows))).order_by(houses.c.id)):
        moved[house.id] = _append_sealed(bind, chain, houses, house, rows[house.id])
    if moved:
        integrity.append_head(bind, moved, JCS)


def _append_sealed(bind: sa.Connection, chain: sa.Table, houses: sa.Table, house: sa.Row,
                   rows: dict[str, str]) -> tuple[int, str]:
    last_day = bind.execute(sa.select(sa.func.max(chain.c.day))
                            .where(chain.c.household_id == house.id)).scalar()
    day = date.fromisoformat(str(last_day)[:10]) if last_day is not None else date.today()
    seq, payload = house.chain_length + 1, canonical_json({"migration": revision})
    sealed = canonical_json(rows)
    digest = entry_hash(house.chain_head, house.id, seq, "sealed", day, payload, sealed, JCS)
    bind.execute(sa.insert(chain).values(household_id=house.id, seq=seq, kind="sealed",
                                         day=day, payload=payload, prev_hash=house.chain_head,
                                         hash=digest, rows=sealed, form=JCS))
    bind.execute(sa.update(houses).where(houses.c.id == house.id)
                 .values(chain_length=seq, chain_head=digest))
    return seq, digest


def downgrade() -> None:
    """Refused: the rows' seals since are over JSON arrays, which the code before reads
    as comma-joined texts. Restore the copy taken before upgrading instead."""
    raise RuntimeError("migration 0009_casework is not undone: the lists are JSON arrays "
                       "sealed by the chain since; restore the copy of the database taken "
                       "before upgrading")
