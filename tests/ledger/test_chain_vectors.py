"""docs/chain-vectors.json is what aidrules computes, and what a Java or .NET integrator
with any RFC 8785 library computes: every vector is recomputed with aidrules.ledger.chain,
with the independent minimal JCS below (written from RFC 8785 and ECMA-262's
JSON.stringify, sharing no code with the library), and with Trail of Bits' rfc8785."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from aidrules.ledger import chain, integrity
from tests.ledger.data import make_chain_vectors

VECTORS_FILE = Path(__file__).resolve().parents[2] / "docs" / "chain-vectors.json"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
SAFE = 2**53 - 1


# ---- an independent minimal JCS for the subset the chain takes ----------------------------

def mini_jcs(value: object) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) > SAFE:
            raise ValueError(f"{value} is beyond the IEEE double's exact integers")
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        return "[" + ",".join(mini_jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ValueError("object keys are strings")
        keys = sorted(value, key=_utf16_units)
        return "{" + ",".join(_quote(k) + ":" + mini_jcs(value[k]) for k in keys) + "}"
    raise ValueError(f"{type(value).__name__} is not in the chain's JSON subset")


SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
         "\t": "\\t"}


def _quote(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError("lone surrogate")
        out.append(SHORT.get(ch) or (f"\\u{code:04x}" if code < 0x20 else ch))
    return '"' + "".join(out) + '"'


def _utf16_units(key: str) -> list[int]:
    units = []
    for ch in key:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            units += [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]
        else:
            units.append(code)
    return units


def mini_parse(text: str) -> object:
    def refuse(number: str) -> object:
        raise ValueError(f"{number} is not an integer")
    return json.loads(text, parse_float=refuse, parse_constant=refuse)


def mini_hash(prev_hash: str, document: object) -> str:
    return hashlib.sha256((prev_hash + mini_jcs(document)).encode("utf-8")).hexdigest()


# ---- the vectors ---------------------------------------------------------------------------

def test_the_published_vectors_are_current():
    assert make_chain_vectors.text() == VECTORS_FILE.read_text(encoding="utf-8"), \
        "run: .venv/bin/python tests/ledger/data/make_chain_vectors.py"


@pytest.mark.parametrize("vector", VECTORS["values"], ids=lambda v: v["name"])
def test_values(vector):
    canonical = vector["canonical"].encode("utf-8")
    assert canonical.hex() == vector["canonical_hex"]
    assert hashlib.sha256(canonical).hexdigest() == vector["sha256"]
    assert chain.jcs(vector["value"]) == canonical
    assert mini_jcs(vector["value"]).encode("utf-8") == canonical
    assert rfc8785.dumps(vector["value"]) == canonical


def test_a_household_chain():
    prev = ""
    for entry in VECTORS["chain"]["entries"]:
        document, canonical = entry["entry"], entry["canonical"].encode("utf-8")
        assert entry["prev_hash"] == prev
        assert bytes.fromhex(entry["canonical_hex"]) == canonical
        assert hashlib.sha256(canonical).hexdigest() == entry["sha256"]
        assert mini_jcs(document).encode("utf-8") == canonical
        assert rfc8785.dumps(document) == canonical
        assert mini_hash(prev, document) == entry["hash"]
        rows = json.dumps(document["rows"]) if "rows" in document else None
        assert chain.entry_hash(prev, document["household"], document["seq"], document["kind"],
                                date.fromisoformat(document["day"]),
                                json.dumps(document["payload"]), rows, chain.JCS) == entry["hash"]
        prev = entry["hash"]


def test_ledger_heads():
    prev = ""
    for head in VECTORS["ledger_heads"]:
        document = head["head"]
        assert head["prev_hash"] == prev
        assert mini_jcs(document) == head["canonical"]
        assert mini_hash(prev, document) == head["hash"]
        assert chain.head_hash(prev, document["seq"], json.dumps(document["households"]),
                               chain.JCS) == head["hash"]
        prev = head["hash"]


def test_a_row_digest():
    [vector] = VECTORS["row_digests"]
    row = {k: date.fromisoformat(v) if k.endswith(("_on", "_due")) and v else v
           for k, v in vector["row"].items()}
    assert mini_jcs(vector["row"]) == vector["canonical"]
    assert hashlib.sha256(vector["canonical"].encode()).hexdigest() == vector["digest"]
    assert integrity.row_digest(row, chain.JCS) == vector["digest"]
    assert integrity.row_digests(row, (chain.JCS, chain.LEGACY)) == \
        {chain.JCS: vector["digest"], chain.LEGACY: vector["digest"]}


@pytest.mark.parametrize("vector", VECTORS["refused"], ids=lambda v: v["name"])
def test_refused(vector):
    with pytest.raises(ValueError):
        mini_jcs(mini_parse(vector["json"]))
    with pytest.raises(chain.CanonicalFormError):
        chain.jcs(chain.parse(vector["json"], chain.JCS))


def test_where_the_legacy_form_differs():
    [vector] = VECTORS["legacy"]
    assert mini_jcs(vector["value"]) == vector["canonical"]
    assert chain.canonical_bytes(vector["value"], chain.JCS).decode() == vector["canonical"]
    assert chain.canonical_bytes(vector["value"], chain.LEGACY).decode() == vector["legacy"]
    assert vector["legacy"] != vector["canonical"]


def test_a_float_is_refused_by_name():
    with pytest.raises(chain.CanonicalFormError, match=r"\$\.amounts\[1\]: 0\.5 is a float"):
        chain.jcs({"amounts": ["1.00", 0.5]})


# ---- the two implementations agree beyond the vectors --------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-SAFE, SAFE) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20)


@given(JSON)
def test_the_library_and_the_two_others_agree(value):
    assert chain.jcs(value).decode("utf-8") == mini_jcs(value)
    assert chain.jcs(value) == rfc8785.dumps(value)


@pytest.mark.parametrize("value", [{"s": "\ud800"}, {"n": 2**53}, {"n": -(2**53)},
                                   {"d": date(2025, 1, 1)}, {1: "x"}])
def test_what_the_library_refuses_the_others_refuse(value):
    with pytest.raises(chain.CanonicalFormError):
        chain.jcs(value)
    with pytest.raises(ValueError):
        mini_jcs(value)
