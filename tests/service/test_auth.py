"""The county's tokens file: read whole, each mistake named by its entry and field."""

from __future__ import annotations

import hashlib

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.service.auth import Caller, Role, TokensError, read_tokens
from aidrules.service.limits import RateLimit

DIGEST = hashlib.sha256(b"secret").hexdigest()


def test_a_token_is_known_by_its_sha256_only(tmp_path):
    (tmp_path / "t.toml").write_text(
        f'[[tokens]]\nsha256 = "{DIGEST.upper()}"\nrole = "auditor"\nname = " a.b "\n')
    tokens = read_tokens(tmp_path / "t.toml")
    assert tokens.caller("secret") == Caller("a.b", Role.auditor)
    assert tokens.caller(DIGEST) is None
    assert tokens.caller(None) is None


@pytest.mark.parametrize("entry, said", [
    ('sha256 = "abc"\nrole = "officer"\nname = "x"', "tokens[0].sha256 must be 64"),
    (f'sha256 = "{DIGEST}"\nrole = "clerk"\nname = "x"', "tokens[0].role='clerk' is not a role"),
    (f'sha256 = "{DIGEST}"\nrole = "officer"\nname = " "', "tokens[0].name must be non-empty"),
    (f'sha256 = "{DIGEST}"\nrole = "officer"\nname = "x"\nper_minute = 0',
     "tokens[0].per_minute=0 must be a whole number"),
])
def test_a_bad_entry_is_named(tmp_path, entry, said):
    (tmp_path / "t.toml").write_text("[[tokens]]\n" + entry + "\n")
    with pytest.raises(TokensError, match=said.replace("[", r"\[").replace("]", r"\]")):
        read_tokens(tmp_path / "t.toml")


def test_a_file_that_is_not_toml_is_named(tmp_path):
    (tmp_path / "t.toml").write_text("[[tokens\n")
    with pytest.raises(TokensError, match="cannot read the tokens"):
        read_tokens(tmp_path / "t.toml")


def test_serve_without_tokens_stops_with_what_to_give(monkeypatch):
    monkeypatch.delenv("AIDRULES_TOKENS", raising=False)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "--tokens FILE or AIDRULES_TOKENS" in result.output


def test_serve_with_a_bad_tokens_file_stops_before_listening(tmp_path, monkeypatch):
    monkeypatch.delenv("AIDRULES_TOKENS", raising=False)
    (tmp_path / "t.toml").write_text('[[tokens]]\nrole = "x"\n')
    result = CliRunner().invoke(app, ["serve", "--tokens", str(tmp_path / "t.toml")])
    assert result.exit_code == 1
    assert "tokens[0].sha256 must be 64" in result.output


def test_a_rate_limit_refills_with_time():
    now = [0.0]
    limit = RateLimit(clock=lambda: now[0])
    assert [limit.wait("k", 2) for _ in range(3)] == [0.0, 0.0, 30.0]
    now[0] = 30.0
    assert limit.wait("k", 2) == 0.0
    assert limit.wait("other", 2) == 0.0
