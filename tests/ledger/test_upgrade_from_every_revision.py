"""A ledger written at any earlier schema revision upgrades to the newest without loss.

For each revision alembic knows (0001 … head, walked from the scripts, not listed here),
an empty database is brought to that revision and filled as the code of that revision
would have filled it: rows in every table the revision has, and a valid household chain
in the canonical form of that revision (legacy before 0007_chain, sealing the rows and
keeping ledger heads from 0006 on). It is then upgraded to head, and every row, every
column value and every chain entry is still there, and the ledger verifies and goes on.

A new revision slots in without touching this file when it only adds tables or columns
(they get generated rows). One that reads what it migrates (parses a column, moves data
elsewhere) names realistic values in ``VALUES``; one that moves or drops a column on
purpose says in ``MOVED`` where the data went, with a check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from aidrules.ledger import Ledger, integrity, migrate
from aidrules.ledger.chain import JCS, LEGACY, canonical_json, entry_hash
from aidrules.model import application_to_dict
from tests.ledger.households import wang

HOUSEHOLDS = 2  # rows per table: row i belongs to household H-i
CHAIN_TABLES = ("chain_entries", "ledger_heads")


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate._config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


# ---- the per-revision seeding hooks ----------------------------------------------------------

def _assessment_json(assessor: Any) -> str:
    return canonical_json(assessor.assess(wang(), on=date(2025, 3, 3)).to_json())


# (table, column) → value of row i, where a generated text would not do: documents that a
# migration may parse, lists kept as comma-separated text, money as decimal text.
VALUES: dict[tuple[str, str], Callable[[int, Any], Any]] = {
    ("applications", "document"): lambda i, a: canonical_json(application_to_dict(wang())),
    ("applications", "source"): lambda i, a: "filed",
    ("assessments", "result"): lambda i, a: _assessment_json(a),
    ("assessments", "rulebook_digest"): lambda i, a: hashlib.sha256(b"book").hexdigest(),
    ("cases", "state"): lambda i, a: "enrolled",
    ("cases", "investigators"): lambda i, a: "调查员甲,调查员乙",
    ("decisions", "outcome"): lambda i, a: "approved",
    ("decisions", "aids"): lambda i, a: "dibao,medical_aid",
    ("enrolments", "aid"): lambda i, a: "dibao",
    ("enrolments", "monthly_amount"): lambda i, a: f"{700 + i}.50",
    ("enrolments", "period"): lambda i, a: "month",
    ("enrolments", "review_interval"): lambda i, a: "stable",
    ("referrals", "departments"): lambda i, a: "医疗保障局,民政局",
    ("early_warnings", "suggest"): lambda i, a: "dibao,temporary_aid",
    ("feed_rows", "amount"): lambda i, a: "1234.56",
    ("feed_rows", "details"): lambda i, a: '{"employer":"林业局"}',
    ("feed_imports", "problems"): lambda i, a: "[]",
    ("feed_rejects", "cells"): lambda i, a: '["a","b"]',
}

# The household's own chain head moves on when 0006 seals it (verify checks it against the
# entries, whose own rows are compared here).
MOVES_ON = {("households", "chain_length"), ("households", "chain_head")}

# (table, column) gone at head on purpose → a check that its data is where it moved to.
MOVED: dict[tuple[str, str], Callable[[sa.Connection, dict[Any, dict[str, Any]]], None]] = {}

# (table, column) whose value a migration rewrote on purpose → the value it must become.
# 0009_casework: comma-joined lists became JSON arrays of the same texts.
REWRITTEN: dict[tuple[str, str], Callable[[Any], Any]] = {
    (table, column): lambda text: json.dumps([i for i in text.split(",") if i] if text else [],
                                             ensure_ascii=False, separators=(",", ":"))
    for table, column in (("cases", "investigators"), ("decisions", "aids"),
                          ("referrals", "departments"), ("early_warnings", "suggest"))}


def _value(table: sa.Table, column: sa.Column[Any], i: int, assessor: Any) -> Any:
    if (table.name, column.name) in VALUES:
        return VALUES[table.name, column.name](i, assessor)
    for key in column.foreign_keys:
        return _key(key.column.table.name, key.column, i)
    if column.primary_key:
        return _key(table.name, column, i)
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.Integer):
        return i
    if isinstance(kind, sa.Date):
        return date(2025, 3, i)
    return f"{i}-{column.name}-值"[:getattr(kind, "length", None) or 64]


def _key(table: str, column: sa.Column[Any], i: int) -> Any:
    if isinstance(column.type, sa.Integer):
        return i
    length = getattr(column.type, "length", None) or 64
    return f"H-{i}" if table == "households" else f"{i}-{column.name}"[:length]


# ---- a ledger as written at a revision -------------------------------------------------------

def seed(engine: sa.Engine, assessor: Any) -> None:
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as connection:
        for table in meta.sorted_tables:
            if table.name in (*CHAIN_TABLES, "alembic_version"):
                continue
            rows = [{c.name: _value(table, c, i, assessor) for c in table.columns}
                    for i in range(1, HOUSEHOLDS + 1)]
            if table.name == "households":
                for row in rows:
                    row.update(chain_length=0, chain_head="")
            connection.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql" and "id" in table.c and \
                    isinstance(table.c.id.type, sa.Integer):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence("
                                           f"'{table.name}', 'id'), {HOUSEHOLDS})"))
        _chains(connection, meta)


def _chains(connection: sa.Connection, meta: sa.MetaData) -> None:
    """Two entries per household, as the code of this revision hashed them: in the legacy
    form before the ``form`` column, in RFC 8785 after; sealing the household's rows and
    ending in a ledger head once the schema has them (0006)."""
    chain = meta.tables["chain_entries"]
    form = JCS if "form" in chain.c else LEGACY
    seals = _seals(connection, meta, form) if "rows" in chain.c else None
    moved = {}
    for i in range(1, HOUSEHOLDS + 1):
        house, prev = f"H-{i}", ""
        for seq, kind in ((1, "application_filed"), (2, "decided")):
            payload = canonical_json({"case": i, "amount": f"{700 + i}.50", "by": "审批员"})
            rows = canonical_json(seals.get(house, {})) if seals is not None and seq == 2 \
                else None
            digest = entry_hash(prev, house, seq, kind, date(2025, 3, seq), payload, rows, form)
            values = dict(household_id=house, seq=seq, kind=kind, day=date(2025, 3, seq),
                          payload=payload, prev_hash=prev, hash=digest)
            values.update({"rows": rows} if "rows" in chain.c else {})
            values.update({"form": form} if "form" in chain.c else {})
            connection.execute(chain.insert().values(**values))
            prev = digest
        connection.execute(meta.tables["households"].update().where(
            meta.tables["households"].c.id == house).values(chain_length=2, chain_head=prev))
        moved[house] = (2, prev)
    if "ledger_heads" in meta.tables:
        integrity.append_head(connection, moved, form)


def _seals(connection: sa.Connection, meta: sa.MetaData, form: str | None
           ) -> dict[str, dict[str, str]]:
    """Each household's covered rows (the columns covered that this revision has) and
    their digests."""
    covered = {name: tuple(c for c in columns if c in meta.tables[name].c)
               for name, columns in integrity.COVERED.items() if name in meta.tables}
    owner: dict[str, str] = {}
    seals: dict[str, dict[str, str]] = {}
    for name in covered:
        table = meta.tables[name]
        for key, digest in integrity.digests(connection, table, covered=covered,
                                             form=form).items():
            row_id = key.partition(":")[2]
            owner[key] = _owner(connection, meta, name, row_id, owner)
            seals.setdefault(owner[key], {})[key] = digest
    return seals


def _owner(connection: sa.Connection, meta: sa.MetaData, name: str, row_id: str,
           owner: dict[str, str]) -> str:
    table = meta.tables[name]
    row_key = int(row_id) if isinstance(table.c.id.type, sa.Integer) else row_id
    if name == "households":
        return row_id
    if name in integrity.PARENT:
        column, parent = integrity.PARENT[name]
        parent_id = connection.execute(sa.select(table.c[column]).where(
            table.c.id == row_key)).scalar()
        return owner[integrity.row_key(parent, parent_id)]
    return connection.execute(sa.select(table.c.household_id).where(
        table.c.id == row_key)).scalar_one()


def snapshot(engine: sa.Engine) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table, by primary key."""
    meta = sa.MetaData()
    meta.reflect(engine)
    found = {}
    with engine.connect() as connection:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            keys = [c.name for c in table.primary_key.columns]
            found[table.name] = {tuple(row[k] for k in keys): dict(row) for row in
                                 connection.execute(sa.select(table)).mappings()}
    return found


# ---- the test --------------------------------------------------------------------------------

@pytest.mark.parametrize("revision", revisions())
def test_a_ledger_written_at_each_revision_upgrades_without_loss(database_url, assessor,
                                                                revision):
    engine = sa.create_engine(database_url)
    try:
        migrate.upgrade(engine, revision)
        seed(engine, assessor)
        before = snapshot(engine)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        after = snapshot(engine)
        with engine.connect() as connection:
            _nothing_lost(connection, before, after)
    finally:
        engine.dispose()
    ledger = Ledger.open(database_url, assessor=assessor)
    try:
        assert ledger.verify() is None
        ledger.register_household("H-9", "grid-09", wang(family=9), date(2025, 12, 1))
        assert ledger.verify() is None
        assert ledger.chain("H-9")[-1].form == JCS
    finally:
        ledger.close()


def _nothing_lost(connection: sa.Connection, before: dict[str, dict[Any, dict[str, Any]]],
                  after: dict[str, dict[Any, dict[str, Any]]]) -> None:
    for name, rows in before.items():
        assert rows, f"{name}: the seeding wrote no row, so the test would prove nothing"
        now = after.get(name, {})
        if name == "chain_entries":  # 0006 seals what was there with one entry more each
            added = [r["kind"] for k, r in now.items() if k not in rows]
            assert set(added) <= {"sealed"}, f"{name}: entries added on upgrade: {added}"
        elif name != "ledger_heads":
            assert len(now) == len(rows), f"{name}: {len(rows)} rows before, {len(now)} after"
        for key, row in rows.items():
            assert key in now, f"{name} {key}: lost on upgrade"
            for column, value in row.items():
                if (name, column) in MOVED or (name, column) in MOVES_ON:
                    continue
                assert column in now[key], f"{name}.{column}: dropped on upgrade"
                if (name, column) in REWRITTEN and str(now[key][column]).startswith("[") \
                        and not str(value).startswith("["):  # written before 0009_casework
                    value = REWRITTEN[name, column](value)
                assert now[key][column] == value, f"{name} {key}.{column}: changed on upgrade"
    for (name, _column), check in MOVED.items():
        if name in before:
            check(connection, before[name])


def test_the_comparison_can_fail():
    """A lost row, a dropped column or a changed value is caught: not a test that cannot fail."""
    before = {"enrolments": {(1,): {"id": 1, "monthly_amount": "701.50"}}}
    for after in ({"enrolments": {}}, {"enrolments": {(1,): {"id": 1}}},
                  {"enrolments": {(1,): {"id": 1, "monthly_amount": "701.5"}}}):
        with pytest.raises(AssertionError):
            _nothing_lost(None, before, after)  # type: ignore[arg-type]
