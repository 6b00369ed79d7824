"""Anchors: the chain heads, signed by a key the county holds, kept away from the database.

Whoever can write the database can rewrite an old entry and recompute every hash after it,
the household heads and the ledger heads: the chain then verifies again. An anchor is the
answer: a small JSON file (see docs/chain.md) holding, at a moment,

- the ledger head ``[seq, hash]`` (it folds every household's head, see integrity.py), and
- every household's head ``[chain_length, chain_head]``,

signed with Ed25519 over its RFC 8785 bytes. Checked later against the database, every
anchored household must still have, at the anchored length, an entry with the anchored
hash, and the anchored ledger head must still be there with its hash: an entry written
before the anchor and rewritten since cannot pass without the county's key.

The anchor names every household (about 90 bytes each) rather than a Merkle root over
them: a failure then names the household and the anchored entry, and checking needs no
more than a JSON parser, SHA-256 and Ed25519 in any language.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import Connection

from aidrules.ledger import integrity
from aidrules.ledger import tables as t
from aidrules.ledger.chain import LEGACY, BadEntry, jcs, parse
from aidrules.ledger.errors import LedgerError
from aidrules.ledger.integrity import Broken

FORMAT = "aidrules-ledger-anchor/1"
ENTRIES, HEADS = t.metadata.tables["chain_entries"], t.metadata.tables["ledger_heads"]


class AnchorError(LedgerError):
    """An anchor or key file that cannot be used: unreadable, malformed, or a signature
    that does not verify with the public key given."""


# ---- keys ---------------------------------------------------------------------------------

def make_keys(private_path: Path, public_path: Path) -> str:
    """A new Ed25519 key pair as PEM files (the private one readable by its owner only);
    returns the key id. Existing files are never overwritten."""
    for path in (private_path, public_path):
        if path.exists():
            raise AnchorError(f"{path}: already exists; a key is never overwritten")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(private_pem)
    public_path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return key_id(key.public_key())


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of SHA-256 over the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def read_private_key(path: Path) -> Ed25519PrivateKey:
    key = _read_key(path, serialization.load_pem_private_key)
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorError(f"{path}: not an Ed25519 private key")
    return key


def read_public_key(path: Path) -> Ed25519PublicKey:
    key = _read_key(path, serialization.load_pem_public_key)
    if not isinstance(key, Ed25519PublicKey):
        raise AnchorError(f"{path}: not an Ed25519 public key")
    return key


def _read_key(path: Path, load: Any) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnchorError(f"{path}: cannot read the key ({exc.strerror})") from None
    try:
        return load(data) if load is serialization.load_pem_public_key else load(data, None)
    except (ValueError, TypeError) as exc:
        raise AnchorError(f"{path}: not a PEM key ({exc})") from None


# ---- making an anchor ---------------------------------------------------------------------

def statement(connection: Connection, signer: str, now: datetime | None = None
              ) -> dict[str, Any]:
    """What an anchor signs: the ledger head and every household's head as it records
    them (the fold of the ledger heads, one consistent moment)."""
    heads = connection.execute(sa.select(HEADS).order_by(HEADS.c.seq)).all()
    if not heads:
        raise AnchorError("the ledger is empty: there is no chain head to anchor")
    households: dict[str, list[Any]] = {}
    for head in heads:
        households.update(parse(head.households, getattr(head, "form", LEGACY)))
    made_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {"format": FORMAT, "made_at": made_at.isoformat().replace("+00:00", "Z"),
            "key": signer, "ledger_head": [heads[-1].seq, heads[-1].hash],
            "households": {house: households[house] for house in sorted(households)}}


def signed(anchored: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    signature = key.sign(jcs(dict(anchored)))
    return {"anchor": dict(anchored), "signature": base64.b64encode(signature).decode()}


def anchor_text(connection: Connection, key: Ed25519PrivateKey,
                now: datetime | None = None) -> str:
    document = signed(statement(connection, key_id(key.public_key()), now), key)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


# ---- checking one -------------------------------------------------------------------------

def read_anchor(path: Path, public_key: Ed25519PublicKey) -> dict[str, Any]:
    """The anchor's statement, once its signature verifies with ``public_key``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnchorError(f"{path}: cannot read the anchor ({exc.strerror})") from None
    except ValueError as exc:
        raise AnchorError(f"{path}: not an anchor (not JSON: {exc})") from None
    anchored, signature = _parts(path, document)
    try:
        public_key.verify(signature, jcs(anchored))
    except (InvalidSignature, ValueError):
        raise AnchorError(
            f"{path}: the signature does not verify with public key {key_id(public_key)} "
            f"(the anchor names key {anchored.get('key')!s}): the anchor was changed, or "
            "it was signed with another key") from None
    return anchored


def _parts(path: Path, document: Any) -> tuple[dict[str, Any], bytes]:
    if not isinstance(document, dict) or not isinstance(document.get("anchor"), dict) \
            or document["anchor"].get("format") != FORMAT:
        raise AnchorError(f"{path}: not an anchor ($.anchor.format is not {FORMAT!r})")
    try:
        signature = base64.b64decode(document.get("signature", ""), validate=True)
    except (ValueError, TypeError):
        raise AnchorError(f"{path}: $.signature is not base64") from None
    anchored = document["anchor"]
    if not isinstance(anchored.get("households"), dict) or \
            not isinstance(anchored.get("ledger_head"), list):
        raise AnchorError(f"{path}: $.anchor needs households and ledger_head")
    return anchored, signature


def anchor_problem(connection: Connection, anchored: Mapping[str, Any]
                   ) -> BadEntry | Broken | None:
    """The first anchored head the database no longer holds, or None. The chains are
    assumed to verify on their own (``Ledger.verify`` first): then an entry whose hash is
    the anchored one proves every entry before it unchanged. Where the ledger heads up to
    the anchored one are intact, they name the very entry rewritten."""
    made, heads_problem = anchored["made_at"], _ledger_head_problem(connection, anchored)
    for house, (length, head) in sorted(anchored["households"].items()):
        found = connection.execute(sa.select(ENTRIES.c.id, ENTRIES.c.hash).where(
            ENTRIES.c.household_id == house, ENTRIES.c.seq == length)).first()
        if found is None:
            return BadEntry(house, length, None, f"is missing: the anchor of {made} records "
                            f"the chain up to it ending in {head[:12]} (chain cut back?)")
        if found.hash != head:
            step = None if heads_problem or not _heads_link(connection, anchored) else \
                _first_differing(connection, house, length, anchored["ledger_head"][0])
            if step is None:
                return BadEntry(house, length, found.id, _rewritten(made, length, found.hash,
                                                                    head))
            return _rewritten_step(connection, house, made, *step)
    return heads_problem


def _rewritten(made: str, length: int, now: str, anchored: str) -> str:
    return (f"is not the entry anchored on {made}: its hash is {now[:12]}, the anchor's "
            f"{anchored[:12]}: entry {length} or one before it was rewritten after it was "
            "anchored (the ledger heads were rewritten too, so they cannot tell which)")


def _rewritten_step(connection: Connection, house: str, made: str, first: int, last: int
                    ) -> BadEntry:
    if first == last:
        return BadEntry(house, first, _entry_id(connection, house, first),
                        f"was rewritten after the anchor of {made} (the ledger heads it "
                        "anchors record this entry with another hash)")
    return BadEntry(house, last, _entry_id(connection, house, last),
                    f"this entry or one of entries {first}-{last - 1}, written in the same "
                    f"transaction, was rewritten after the anchor of {made} (the ledger heads "
                    "it anchors record the step with another hash)")


def _entry_id(connection: Connection, house: str, seq: int) -> int | None:
    return connection.execute(sa.select(ENTRIES.c.id).where(
        ENTRIES.c.household_id == house, ENTRIES.c.seq == seq)).scalar()


def _first_differing(connection: Connection, house: str, length: int, upto: int
                     ) -> tuple[int, int] | None:
    """The first step (the entries one transaction appended) that the intact ledger heads
    record with another hash than the chain has now, as its first and last entry."""
    query = sa.select(ENTRIES.c.seq, ENTRIES.c.hash).where(ENTRIES.c.household_id == house,
                                                           ENTRIES.c.seq <= length)
    current: dict[int, str] = {seq: digest for seq, digest in connection.execute(query)}
    before = 0
    heads = sa.select(HEADS).where(HEADS.c.seq <= upto).order_by(HEADS.c.seq)
    for head in connection.execute(heads):
        recorded = parse(head.households, getattr(head, "form", LEGACY)).get(house)
        if recorded is None:
            continue
        at, digest = recorded
        if at > length:
            break
        if current.get(at) != digest:
            return before + 1, at
        before = at
    return None


def _heads_link(connection: Connection, anchored: Mapping[str, Any]) -> bool:
    """Whether the ledger heads up to the anchored one still form their hash chain: then,
    ending in the anchored hash, each is as it was when anchored."""
    prev = ""
    query = sa.select(HEADS).where(HEADS.c.seq <= anchored["ledger_head"][0])
    for expected, head in enumerate(connection.execute(query.order_by(HEADS.c.seq)), start=1):
        if integrity.head_link_problem(head, expected, prev) is not None:
            return False
        prev = head.hash
    return True


def _ledger_head_problem(connection: Connection, anchored: Mapping[str, Any]) -> Broken | None:
    seq, digest = anchored["ledger_head"]
    now = connection.execute(sa.select(HEADS.c.hash).where(HEADS.c.seq == seq)).scalar()
    if now is None:
        return Broken(f"ledger head {seq}", f"is missing: the anchor of "
                      f"{anchored['made_at']} records it (heads cut back?)")
    if now != digest:
        return Broken(f"ledger head {seq}", f"is {now[:12]}, the anchor of "
                      f"{anchored['made_at']} records {digest[:12]} (heads rewritten)")
    return None
