"""Anchors: the chain heads signed with the county's key and kept away from the database.
A rewrite of an entry made before the anchor, with every later hash recomputed so that the
chain verifies on its own, is caught by ``verify --anchor`` and named; a wrong key or a
changed anchor is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from aidrules.ledger import anchor, chain
from tests.ledger.households import wang

ROOT = Path(__file__).resolve().parents[2]
WANG = ROOT / "examples" / "applications" / "01-tieli-urban-below-standard.yaml"


def _decided_case(ledger, household: str = "H-1", family: int = 0) -> int:
    case = ledger.file_application(wang(family=family), household, by="受理员", grid="grid-07")
    ledger.investigate(case, ["甲", "乙"], "收入属实", date(2025, 3, 4))
    ledger.publish_notice(case, date(2025, 3, 5))
    ledger.decide(case, True, "审批员", date(2025, 3, 12))
    ledger.enrol(case, date(2025, 3, 12))
    return case


@pytest.fixture
def keys(tmp_path):
    private, public = tmp_path / "county.key", tmp_path / "county.pub"
    anchor.make_keys(private, public)
    return anchor.read_private_key(private), anchor.read_public_key(public)


def _anchored(ledger, keys, tmp_path) -> Path:
    path = tmp_path / "anchor.json"
    with ledger.engine.connect() as connection:
        path.write_text(anchor.anchor_text(connection, keys[0]), encoding="utf-8")
    return path


def _problem(ledger, path: Path, public_key):
    with ledger.engine.connect() as connection:
        return anchor.anchor_problem(connection, anchor.read_anchor(path, public_key))


def _unguarded(ledger) -> None:
    """Someone with the rights to drop the database's append-only guards (0002, 0006)."""
    with ledger.engine.begin() as connection:
        if ledger.engine.dialect.name == "postgresql":
            for table in ("chain_entries", "ledger_heads"):
                connection.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            for trigger in ("chain_entries_no_update", "ledger_heads_no_update"):
                connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))


def rewrite(ledger, household: str, seq: int, findings: str, heads: bool = True) -> None:
    """Change one entry's payload and recompute every hash after it (the household's head,
    and with ``heads`` the ledger heads), so that the chain verifies on its own."""
    _unguarded(ledger)
    renamed: dict[str, str] = {}
    with ledger.engine.begin() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, seq, kind, day, payload, rows, form, hash FROM chain_entries "
            "WHERE household_id = :h ORDER BY seq"), {"h": household}).all()
        prev = ""
        for row in rows:
            payload = row.payload
            if row.seq == seq:
                payload = json.dumps({**json.loads(payload), "findings": findings},
                                     ensure_ascii=False)
            day = date.fromisoformat(str(row.day)[:10])
            digest = chain.entry_hash(prev, household, row.seq, row.kind, day, payload,
                                      row.rows, row.form)
            connection.execute(sa.text("UPDATE chain_entries SET payload = :p, prev_hash = "
                                       ":prev, hash = :d WHERE id = :i"),
                               {"p": payload, "prev": prev, "d": digest, "i": row.id})
            renamed[row.hash], prev = digest, digest
        connection.execute(sa.text("UPDATE households SET chain_head = :d WHERE id = :h"),
                           {"d": prev, "h": household})
        if heads:
            _rehash_heads(connection, renamed)


def _rehash_heads(connection, renamed: dict[str, str]) -> None:
    prev = ""
    for head in connection.execute(sa.text("SELECT seq, households, form FROM ledger_heads "
                                           "ORDER BY seq")).all():
        moved = {h: [n, renamed.get(d, d)] for h, (n, d) in json.loads(head.households).items()}
        text = chain.canonical_bytes(moved, head.form).decode()
        digest = chain.head_hash(prev, head.seq, text, head.form)
        connection.execute(sa.text("UPDATE ledger_heads SET households = :t, prev_hash = :p, "
                                   "hash = :d WHERE seq = :s"),
                           {"t": text, "p": prev, "d": digest, "s": head.seq})
        prev = digest


def test_an_anchored_ledger_that_goes_on_still_verifies(ledger, keys, tmp_path):
    _decided_case(ledger)
    path = _anchored(ledger, keys, tmp_path)
    _decided_case(ledger, "H-2", family=2)  # new households and entries after the anchor
    ledger.review(1, "复核员", date(2025, 10, 1), wang("2115.00"))
    assert ledger.verify() is None
    assert _problem(ledger, path, keys[1]) is None


def test_a_self_consistent_rewrite_before_the_anchor_passes_verify_but_not_the_anchor(
        ledger, keys, tmp_path):
    _decided_case(ledger)
    _decided_case(ledger, "H-2", family=2)
    path = _anchored(ledger, keys, tmp_path)
    anchored = len(ledger.chain("H-1"))
    ledger.review(1, "复核员", date(2025, 10, 1), wang("2115.00"))  # after the anchor
    rewrite(ledger, "H-1", 2, "收入不实")
    assert ledger.verify() is None  # what the anchor adds: the chain alone cannot tell
    bad = _problem(ledger, path, keys[1])
    assert (bad.household, bad.seq) == ("H-1", anchored)
    assert f"entry {anchored} or one before it was rewritten" in bad.reason


def test_a_rewrite_whose_ledger_heads_were_left_is_named_exactly(ledger, keys, tmp_path):
    _decided_case(ledger)
    path = _anchored(ledger, keys, tmp_path)
    kinds = [e.kind for e in ledger.chain("H-1")]
    investigated = kinds.index("investigated") + 1  # appended alone, by one transaction
    entry_id = ledger.chain("H-1")[investigated - 1].id
    rewrite(ledger, "H-1", investigated, "收入不实", heads=False)
    assert "chain rolled back" in str(ledger.verify())
    with ledger.engine.connect() as connection:
        first_head = connection.execute(sa.text("SELECT households FROM ledger_heads "
                                                "WHERE seq = 1")).scalar_one()
    bad = _problem(ledger, path, keys[1])
    assert (bad.household, bad.seq, bad.entry_id) == ("H-1", investigated, entry_id)
    assert "was rewritten after the anchor" in bad.reason
    with ledger.engine.begin() as connection:  # a head before the anchored one, link broken
        connection.execute(sa.text("UPDATE ledger_heads SET households = '{}' WHERE seq = 1"))
    bad = _problem(ledger, path, keys[1])
    assert "or one before it was rewritten" in bad.reason  # the heads cannot name it now
    with ledger.engine.begin() as connection:
        connection.execute(sa.text("UPDATE ledger_heads SET households = :h WHERE seq = 1"),
                           {"h": first_head})
    rewrite(ledger, "H-1", 2, "收入不实", heads=False)  # filed with others in one transaction
    bad = _problem(ledger, path, keys[1])
    assert bad.seq == investigated - 1
    assert f"one of entries 1-{investigated - 2}, written in the same transaction" in bad.reason


def test_a_ledger_upgraded_from_0004_is_anchored_over_both_canonical_forms(
        database_url, assessor, keys, tmp_path):
    from aidrules.ledger import Ledger
    from tests.ledger.test_migrations import _ledger_at_0004
    _ledger_at_0004(database_url, tmp_path)
    ledger = Ledger.open(database_url, assessor=assessor, upgrade=True)
    try:
        ledger.register_household("H-3", "grid-07", wang(family=3), date(2025, 12, 1))
        *written, resealed = ledger.chain("H-1")  # the last: 0009_casework's reseal
        assert {e.form for e in written} == {None}  # legacy, as written at 0004 (and 0006)
        assert (resealed.kind, resealed.form) == ("sealed", chain.JCS)
        assert {e.form for e in ledger.chain("H-3")} == {chain.JCS}
        path = _anchored(ledger, keys, tmp_path)
        assert _problem(ledger, path, keys[1]) is None
        rewrite(ledger, "H-1", 3, "改写")  # a legacy entry, rehashed in its own form
        assert ledger.verify() is None
        bad = _problem(ledger, path, keys[1])
        assert bad.household == "H-1" and "rewritten" in bad.reason
    finally:
        ledger.close()


def test_a_cut_back_chain_or_heads_are_named(ledger, keys, tmp_path):
    _decided_case(ledger)
    path = _anchored(ledger, keys, tmp_path)
    document = json.loads(path.read_text())
    statement = document["anchor"]
    seq, _ = statement["ledger_head"]
    statement["households"]["H-1"][0] += 1  # as if the chain had been one entry longer
    path.write_text(json.dumps(anchor.signed(statement, keys[0])))
    assert "is missing" in _problem(ledger, path, keys[1]).reason
    statement["households"]["H-1"][0] -= 1
    statement["ledger_head"] = [seq, "0" * 64]
    path.write_text(json.dumps(anchor.signed(statement, keys[0])))
    problem = str(_problem(ledger, path, keys[1]))
    assert problem.startswith(f"ledger head {seq}: is ") and "records 000000000000" in problem


def test_a_changed_anchor_or_another_key_is_refused(ledger, keys, tmp_path):
    _decided_case(ledger)
    path = _anchored(ledger, keys, tmp_path)
    other = tmp_path / "other"
    anchor.make_keys(other.with_suffix(".key"), other.with_suffix(".pub"))
    with pytest.raises(anchor.AnchorError, match="signature does not verify"):
        anchor.read_anchor(path, anchor.read_public_key(other.with_suffix(".pub")))
    document = json.loads(path.read_text())
    [(house, (length, _))] = document["anchor"]["households"].items()
    document["anchor"]["households"][house] = [length, ledger.chain(house)[0].hash]
    path.write_text(json.dumps(document))
    with pytest.raises(anchor.AnchorError, match="the anchor was changed"):
        anchor.read_anchor(path, keys[1])
    path.write_text('{"anchor": {"format": "x"}}')
    with pytest.raises(anchor.AnchorError, match="not an anchor"):
        anchor.read_anchor(path, keys[1])


def test_keys_are_never_overwritten_and_the_private_one_is_the_owner_s(tmp_path):
    private, public = tmp_path / "k.key", tmp_path / "k.pub"
    anchor.make_keys(private, public)
    assert private.stat().st_mode & 0o077 == 0
    with pytest.raises(anchor.AnchorError, match="already exists"):
        anchor.make_keys(private, tmp_path / "new.pub")
    with pytest.raises(anchor.AnchorError, match="not an Ed25519 private key|not a PEM"):
        anchor.read_private_key(public)


def test_from_the_command_line_on_a_real_sqlite_file(tmp_path, monkeypatch):
    from aidrules.cli import app
    from aidrules.ledger import Ledger
    monkeypatch.chdir(ROOT)
    runner, db = CliRunner(), str(tmp_path / "county.db")
    key, pub = str(tmp_path / "county.key"), str(tmp_path / "county.pub")

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    assert run("ledger", "keygen", "--key", key, "--public-key", pub)[0] == 0
    assert run("case", "file", str(WANG), "--household", "H-1", "--grid", "g-1", "--by",
               "受理员", "--db", db)[0] == 0
    assert run("case", "investigate", "1", "--staff", "甲", "--staff", "乙", "--findings", "属实",
               "--on", "2025-03-04", "--db", db)[0] == 0
    out = str(tmp_path / "anchor.json")
    assert run("ledger", "anchor", "--db", db, "--key", key, "--out", out) == \
        (0, f"anchored the chain heads in {out}\n")
    code, text = run("ledger", "verify", "--db", db, "--anchor", out, "--public-key", pub)
    assert code == 0 and "is still there" in text
    ledger = Ledger.open(db)
    try:
        rewrite(ledger, "H-1", 1, "改写")
    finally:
        ledger.close()
    assert run("ledger", "verify", "--db", db)[0] == 0  # the rewrite is self-consistent
    code, text = run("ledger", "verify", "--db", db, "--anchor", out, "--public-key", pub)
    assert code == 1
    assert "household H-1 entry 4" in text and "entry 4 or one before it was rewritten" in text
    code, text = run("ledger", "verify", "--db", db, "--anchor", out, "--public-key", key)
    assert code == 1 and "county.key: not a PEM key" in text
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:  # a change that breaks the chain: nothing to anchor
        connection.execute(sa.text("UPDATE chain_entries SET kind = 'x' WHERE seq = 1"))
    engine.dispose()
    code, text = run("ledger", "anchor", "--db", db, "--key", key, "--out", out + ".2")
    assert code == 1 and "not anchored, the ledger does not verify: household H-1" in text
    assert not Path(out + ".2").exists()
