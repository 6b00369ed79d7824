"""Resident identity numbers (GB 11643-1999).

Eighteen characters: a 6-digit region code, the birth date as YYYYMMDD, a 3-digit
sequence (odd 17th digit for a man, even for a woman) and a check character
computed by ISO 7064 MOD 11-2. A lower-case ``x`` is accepted and read as ``X``.

Identity numbers are sensitive: messages here never repeat a whole number, and
:func:`mask_id_number` is what a public notice (公示) may show.
"""

from __future__ import annotations

import enum
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum mod 11
_DIGITS = frozenset("0123456789")
# The standard's own example (440524188001010014) was born in 1880, so the floor is 1800.
_EARLIEST_BIRTH_YEAR = 1800


class Sex(enum.StrEnum):
    male = "male"
    female = "female"


def check_character(first17: str) -> str:
    """The check character ('0'-'9' or 'X') that completes 17 digits."""
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise ValueError(f"a check character needs exactly 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def validate_id_number(s: str) -> str:
    """``s`` normalised (upper-case ``X``), or ValueError saying exactly what is wrong."""
    if not isinstance(s, str):
        raise ValueError("identity number must be text (put it in quotes), got a number"
                         if isinstance(s, int) and not isinstance(s, bool)
                         else f"identity number must be text, got {type(s).__name__}")
    if len(s) != 18:
        raise ValueError(f"identity number must have 18 characters, got {len(s)}")
    s = s[:17] + s[17].upper()
    _check_digits(s)
    _birth_date(s)
    expected = check_character(s[:17])
    if s[17] != expected:
        raise ValueError(f"identity number check character is '{s[17]}' but should be '{expected}'")
    return s


def _check_digits(s: str) -> None:
    for position, char in enumerate(s[:17], start=1):
        if char not in _DIGITS:
            raise ValueError(f"identity number character {position} must be a digit, got {char!r}")
    if s[17] not in _DIGITS and s[17] != "X":
        raise ValueError(f"identity number must end in a digit or X, got {s[17]!r}")


def _birth_date(s: str) -> date:
    text = s[6:14]
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        message = f"identity number holds birth date {text!r}, which is not a real date"
        raise ValueError(message) from None
    if born.year < _EARLIEST_BIRTH_YEAR:
        earliest = _EARLIEST_BIRTH_YEAR
        raise ValueError(f"identity number holds birth year {born.year}, before {earliest}")
    return born


def birth_date_of(s: str) -> date:
    """The birth date written in a valid identity number."""
    return _birth_date(validate_id_number(s))


def sex_of(s: str) -> Sex:
    """The sex written in a valid identity number: the 17th digit is odd for a man."""
    return Sex.male if int(validate_id_number(s)[16]) % 2 else Sex.female


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """A valid identity number (for tests and generators): sequence 0-999, odd for a man."""
    if len(region) != 6 or not _DIGITS.issuperset(region):
        raise ValueError(f"region code must be 6 digits, got {region!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be from 0 to 999, got {sequence}")
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return validate_id_number(first17 + check_character(first17))


def mask_id_number(s: str) -> str:
    """The number as a public notice may show it, first 6 and last 4 kept: 340524********001X."""
    s = validate_id_number(s)
    return s[:6] + "*" * 8 + s[14:]


def mask_id_text(text: str) -> str:
    """Whatever stands where an identity number should, as a report may show it: a valid
    number as :func:`mask_id_number`; other text of 11 characters or more keeps only its
    first 6 and last 4 (the birth date never shows); shorter text is masked whole."""
    try:
        return mask_id_number(text)
    except ValueError:
        pass
    if len(text) < 11:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_name(name: str) -> str:
    """王建国 → 王*国, 李梅 → 李*: a notice or a report never shows a whole name."""
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * max(len(name) - 2, 1) + (name[-1] if len(name) > 2 else "")
