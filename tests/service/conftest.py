"""A real `aidrules serve` on a free loopback port, in a subprocess, for the module."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from aidrules.model import application_to_dict, read_application

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "applications"
ROLES = ("officer", "approver", "department", "auditor", "public")
# One person with two tokens: they may investigate and decide, but not the same case.
BOTH = (("token-wang-officer", "officer"), ("token-wang-approver", "approver"))
LIMITED = "token-kiosk"
MAX_BODY = 65_536


def example(name: str = "01-tieli-urban-below-standard.yaml") -> dict:
    """A shipped example as the JSON body a county system would send."""
    return json.loads(json.dumps(application_to_dict(read_application(EXAMPLES / name)),
                                 default=str))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tokens_file(folder: Path) -> Path:
    lines = []
    named = [(f"token-{role}", role, f"tieli.{role}") for role in ROLES]
    for token, role, name in [*named, *((t, r, "tieli.wang") for t, r in BOTH)]:
        digest = hashlib.sha256(token.encode()).hexdigest()
        lines += ["[[tokens]]", f'sha256 = "{digest}"', f'role = "{role}"',
                  f'name = "{name}"', ""]
    digest = hashlib.sha256(LIMITED.encode()).hexdigest()  # two requests a minute
    lines += ["[[tokens]]", f'sha256 = "{digest}"', 'role = "public"', 'name = "kiosk"',
              "per_minute = 2", ""]
    (folder / "tokens.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder / "tokens.toml"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a running service and the file its output goes to."""
    folder = tmp_path_factory.mktemp("serve")
    with served(folder, "--max-body", str(MAX_BODY), "--db", str(folder / "ledger.db")) as up:
        yield up


@contextlib.contextmanager
def served(folder: Path, *options: str, stop_within: float = 20):
    """``aidrules serve`` with ``options`` started in ``folder`` on a free port, with the
    county's tokens; its base URL and log file while it answers, stopped afterwards."""
    port, log = _free_port(), folder / "server.log"
    command = [sys.executable, "-m", "aidrules.cli", "serve", "--port", str(port),
               "--tokens", str(_tokens_file(folder)), *options]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=stop_within)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the server did not answer within 60 s")


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server[0], timeout=30) as c:
        yield c


def as_role(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{role}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
