"""Writes docs/chain-vectors.json: the chain's canonical form (RFC 8785) on the values a
ledger hashes, and a short household chain and ledger heads, each with its bytes and hashes.

    .venv/bin/python tests/ledger/data/make_chain_vectors.py

tests/ledger/test_chain_vectors.py checks the file against aidrules.ledger.chain and against
an independent implementation of its own.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from aidrules.ledger import integrity
from aidrules.ledger.chain import (
    JCS,
    LEGACY,
    canonical_bytes,
    entry_document,
    entry_hash,
    head_hash,
)

OUT = Path(__file__).resolve().parents[3] / "docs" / "chain-vectors.json"

VALUES = [
    ("scalars", {"null": None, "true": True, "false": False, "zero": 0, "negative": -42,
                 "largest safe integer": 9007199254740991,
                 "smallest safe integer": -9007199254740991}),
    ("money is decimal text", {"monthly_amount": "710.00", "arrears": "2130.00",
                               "ratio": "0.5"}),
    ("Chinese text is UTF-8, not escaped", {"reason": "收入低于最低生活保障标准",
                                            "by": "审批员"}),
    ("escapes", {"quote": "\"", "backslash": "\\", "newline": "a\nb", "tab": "\t",
                 "control": "\u001f\u0000", "del is not escaped": "\u007f",
                 "line separator is not escaped": "\u2028", "slash is not escaped": "/"}),
    ("keys sort by UTF-16 code units", {"b": 1, "a": 2, "A": 3, "aa": 4, "": 5, "é": 6,
                                        "\U0001F600": 7, "\uFB01": 8, "户": 9}),
    ("nesting", {"empty object": {}, "empty array": [], "array keeps its order": [3, 1, 2],
                 "objects in arrays": [{"z": 1, "y": [None, True]}, "x"]}),
]

REFUSED = [
    ("a float", '{"monthly_amount":710.5}', "non-integer numbers are refused: money is "
     "decimal text"),
    ("an exponent", '{"n":1e3}', "non-integer numbers are refused"),
    ("an integer beyond 2**53 - 1", '{"n":9007199254740992}',
     "integers beyond +/-(2**53 - 1) are refused (an IEEE double cannot hold them)"),
    ("a lone surrogate", '{"s":"\\ud800"}', "strings must be valid Unicode"),
]

CHAIN = [  # (kind, day, payload, rows)
    ("filed", date(2025, 3, 3), {"case": 1, "by": "受理员", "reference": "TL-2025-0001",
                                  "members": 3}, {"applications:1": "0" * 64,
                                                  "cases:1": "1" * 64}),
    ("investigated", date(2025, 3, 4), {"case": 1, "investigators": ["甲", "乙"],
                                        "findings": "入户核实属实"}, {"cases:1": "2" * 64}),
    ("decided", date(2025, 3, 12), {"case": 1, "approved": True, "by": "审批员",
                                    "aids": ["dibao"], "amounts": {"dibao": "710.00"},
                                    "reasons": None}, None),
]


def _hex(data: bytes) -> str:
    return data.hex()


def main() -> None:
    OUT.write_text(text(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)


def text() -> str:
    """The vectors file's text, as the library computes it now."""
    vectors = {
        "about": "Test vectors for the aidrules ledger's hash chain; see docs/chain.md. "
                 "canonical = RFC 8785 (JCS) bytes, given as UTF-8 text and as hex; "
                 "sha256 = SHA-256 of those bytes; hash = SHA-256(UTF-8(prev_hash) || "
                 "canonical), lowercase hex, prev_hash of a first entry is the empty string.",
        "values": [_value(name, value) for name, value in VALUES],
        "refused": [{"name": name, "json": text, "why": why} for name, text, why in REFUSED],
        "chain": _chain("H-1"),
        "ledger_heads": _heads(),
        "row_digests": [_row()],
        "legacy": _legacy(),
    }
    return json.dumps(vectors, ensure_ascii=False, indent=2) + "\n"


def _value(name: str, value: object) -> dict[str, object]:
    canonical = canonical_bytes(value, JCS)
    return {"name": name, "value": value, "canonical": canonical.decode(),
            "canonical_hex": _hex(canonical), "sha256": hashlib.sha256(canonical).hexdigest()}


def _chain(household: str) -> dict[str, object]:
    entries, prev = [], ""
    for seq, (kind, day, payload, rows) in enumerate(CHAIN, start=1):
        payload_text = json.dumps(payload, ensure_ascii=False)
        rows_text = None if rows is None else json.dumps(rows)
        document = entry_document(household, seq, kind, day, payload_text, rows_text, JCS)
        canonical = canonical_bytes(document, JCS)
        digest = entry_hash(prev, household, seq, kind, day, payload_text, rows_text, JCS)
        entries.append({"entry": document, "prev_hash": prev, "canonical": canonical.decode(),
                        "canonical_hex": _hex(canonical),
                        "sha256": hashlib.sha256(canonical).hexdigest(), "hash": digest})
        prev = digest
    return {"household": household, "entries": entries}


def _heads() -> list[dict[str, object]]:
    chain = _chain("H-1")["entries"]
    moved = [{"H-1": [1, chain[0]["hash"]], "H-2": [4, "a" * 64]},  # type: ignore[index]
             {"H-1": [3, chain[2]["hash"]]}]  # type: ignore[index]
    heads: list[dict[str, object]] = []
    prev = ""
    for seq, households in enumerate(moved, start=1):
        text = json.dumps(households)
        document = {"seq": seq, "households": households}
        canonical = canonical_bytes(document, JCS)
        digest = head_hash(prev, seq, text, JCS)
        heads.append({"head": document, "prev_hash": prev, "canonical": canonical.decode(),
                      "hash": digest})
        prev = digest
    return heads


def _row() -> dict[str, object]:
    """A sealed row: its covered columns as one object, dates as ISO text."""
    row = {"id": 3, "household_id": "H-1", "case_id": 1, "aid": "dibao",
           "starts_on": date(2025, 4, 1), "ends_on": None, "monthly_amount": "710.00",
           "period": "month", "review_interval": "stable", "review_due": date(2026, 3, 31)}
    plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
    canonical = canonical_bytes(plain, JCS)
    return {"table": "enrolments", "row": plain, "canonical": canonical.decode(),
            "digest": integrity.row_digest(row, JCS)}


def _legacy() -> list[dict[str, object]]:
    """Where entries written before migration 0007 (Python's json.dumps form) differ."""
    value = {"\U0001F600": 1, "\uFB01": 2}
    return [{"name": "keys outside the BMP: JCS sorts UTF-16 code units, the legacy form "
                     "code points", "value": value,
             "canonical": canonical_bytes(value, JCS).decode(),
             "legacy": canonical_bytes(value, LEGACY).decode()}]


if __name__ == "__main__":
    main()
