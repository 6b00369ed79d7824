"""Texts the case file keeps, checked where they are given: a person's name as stored and
compared, and any text no longer than where it goes, with no NUL character. Messages
name where the value goes and its length, never the value (it may be a name or an
identity number)."""

from __future__ import annotations

import unicodedata

from aidrules.casework.errors import IllegalMove

NAME_MOST = 64  # characters in a person's name, as every name column keeps


def check_text(value: str, where: str, most: int | None) -> None:
    if "\x00" in value:
        raise IllegalMove(f"{where}: holds a NUL character, which the ledger does not store")
    if most is not None and len(value) > most:
        raise IllegalMove(f"{where}: at most {most} characters, got {len(value)}")


def person(name: str, role: str) -> str:
    """An officer's or worker's name as stored and compared: surrounding whitespace
    stripped, Unicode NFC; an empty name, one over 64 characters or one with a control or
    formatting character (NUL, a right-to-left mark) is refused (so " 李" is 李)."""
    clean = unicodedata.normalize("NFC", name.strip())
    if not clean:
        raise IllegalMove(f"{role}: give the name of the person acting")
    check_text(clean, role, NAME_MOST)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in clean):
        raise IllegalMove(f"{role}: a name has no control or formatting characters")
    return clean
