"""Who is calling: bearer tokens configured by the county, each mapped to a role.

The tokens file (TOML; ``--tokens FILE`` or ``AIDRULES_TOKENS``) never holds a token
itself, only its SHA-256, so the file can be read by more people than the tokens::

    [[tokens]]
    sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    role = "officer"
    name = "tieli.officer.wang"    # who acts in the case procedure
    per_minute = 600               # optional: a rate limit for this token (429 beyond it)
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import tomllib
from pathlib import Path

import attrs

from aidrules.errors import AidrulesError


class Role(enum.StrEnum):
    officer = "officer"  # 经办: files cases, reads assessments and notices
    approver = "approver"  # 审批: decides and enrols
    department = "department"  # 部门: sends feeds
    auditor = "auditor"  # 审计: reads
    public = "public"  # 公众: screens itself


class TokensError(AidrulesError, ValueError):
    """The tokens file cannot be read or names something that is not a role."""


@attrs.frozen
class Caller:
    name: str
    role: Role
    per_minute: int | None = None  # the most requests a minute this token may make


@attrs.frozen
class Tokens:
    """Callers by the SHA-256 of their token."""

    by_digest: dict[str, Caller]

    def caller(self, token: str | None) -> Caller | None:
        if not token:
            return None
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        for known, caller in self.by_digest.items():
            if hmac.compare_digest(known, digest):
                return caller
        return None


def read_tokens(path: Path | str) -> Tokens:
    """The tokens in ``path``; TokensError naming the entry and field that are wrong."""
    try:
        entries = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("tokens", [])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TokensError(f"{path}: cannot read the tokens: {exc}") from None
    if not isinstance(entries, list):
        raise TokensError(f"{path}: tokens must be a list of [[tokens]] tables")
    return Tokens(dict(_entry(path, i, entry) for i, entry in enumerate(entries)))


def _entry(path: Path | str, index: int, entry: object) -> tuple[str, Caller]:
    where = f"{path}: tokens[{index}]"
    if not isinstance(entry, dict):
        raise TokensError(f"{where} must be a table with sha256, role and name")
    digest, role, name = entry.get("sha256"), entry.get("role"), entry.get("name")
    if not isinstance(digest, str) or len(digest) != 64 or not _is_hex(digest):
        raise TokensError(f"{where}.sha256 must be 64 hexadecimal digits (sha256sum of the "
                          "token)")
    if role not in Role.__members__:
        raise TokensError(f"{where}.role={role!r} is not a role; expected one of "
                          f"{', '.join(Role)}")
    if not isinstance(name, str) or not name.strip():
        raise TokensError(f"{where}.name must be non-empty text (who acts with this token)")
    return digest.lower(), Caller(name.strip(), Role(str(role)), _per_minute(where, entry))


def _per_minute(where: str, entry: dict) -> int | None:
    value = entry.get("per_minute")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise TokensError(f"{where}.per_minute={value!r} must be a whole number of requests "
                          "a minute, 1 or more")
    return value


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)
