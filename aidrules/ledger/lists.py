"""Lists kept in one column (investigators, approved aids, a referral's departments, a
warning's suggested aids): a JSON array of texts, so a name holding a comma stays one name
(migration 0009_casework turned the comma-joined texts of earlier ledgers into arrays)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from aidrules.ledger.chain import canonical_json


def dump(items: Iterable[str]) -> str:
    return canonical_json(list(items))


def load(text: str) -> list[str]:
    items = json.loads(text)
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"not a JSON array of texts: {text[:40]!r}")
    return items
