"""The ``aidrules serve`` command. The web framework is imported only when it runs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from aidrules.console import fail

Tokens = Annotated[Path | None, typer.Option(
    "--tokens", help="The county's tokens file (TOML; see aidrules.service.auth); default: "
    "$AIDRULES_TOKENS.")]


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
    tokens: Tokens = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="The largest request "
                                          "body, in bytes.")] = 1_000_000,
    db: Annotated[str | None, typer.Option("--db", help="The case ledger (an SQLite file or "
                                           "a database URL): serve the case procedure too.")]
    = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="As for assess.")] = None,
    policies: Annotated[Path | None, typer.Option("--policies", help="As for assess.")] = None,
) -> None:
    """Serve assess, explain, notice and validate over HTTP (OpenAPI at /openapi.json)."""
    settings = {"AIDRULES_TOKENS": tokens or os.environ.get("AIDRULES_TOKENS"),
                "AIDRULES_RULES": rules, "AIDRULES_POLICIES": policies,
                "AIDRULES_MAX_BODY": max_body, "AIDRULES_DB": db}
    if not settings["AIDRULES_TOKENS"]:
        fail("serve needs the county's tokens: --tokens FILE or AIDRULES_TOKENS")
    given = {k: str(v) for k, v in settings.items() if v is not None}
    uvicorn = _server()
    app = _guarded(lambda: built(given))  # a bad book or tokens file stops here, clearly
    from aidrules.service.access import logging_config
    quiet = {"host": host, "port": port, "access_log": False, "log_config": logging_config()}
    if workers == 1:
        uvicorn.run(app, **quiet)
        return
    os.environ.update(given)  # what each worker process builds its app from
    uvicorn.run("aidrules.service.command:from_environment", factory=True, workers=workers,
                **quiet)


def from_environment() -> Any:
    """The app as configured by the AIDRULES_* variables (what each worker builds)."""
    return built(os.environ)


def built(settings: Mapping[str, str]) -> Any:
    from aidrules.engine import Assessor
    from aidrules.service.app import create_app
    from aidrules.service.auth import read_tokens
    from aidrules.shipped import load_book

    assessor = Assessor(load_book(settings.get("AIDRULES_RULES"),
                                  settings.get("AIDRULES_POLICIES")))
    return create_app(assessor, read_tokens(settings["AIDRULES_TOKENS"]),
                      int(settings.get("AIDRULES_MAX_BODY", "1000000")),
                      _ledger(settings.get("AIDRULES_DB"), assessor))


def _ledger(db: str | None, assessor: Any) -> Any:
    if not db:
        return None
    from aidrules.ledger import Ledger
    return Ledger.open(db, book=assessor.book, assessor=assessor)


def _server() -> Any:
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        fail("serve needs the web server: pip install 'aidrules[serve]'")
    return uvicorn


def _guarded(build: Any) -> Any:
    from aidrules.errors import AidrulesError
    try:
        return build()
    except AidrulesError as exc:
        fail(str(exc))
