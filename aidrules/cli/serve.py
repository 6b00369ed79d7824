"""The ``aidrules serve`` command. The web framework is imported only when it runs; the app
is built by :mod:`aidrules.service.factory` (over the composition root)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from aidrules.cli.console import fail, guarded

Tokens = Annotated[Path | None, typer.Option(
    "--tokens", help="The county's tokens file (TOML; see aidrules.service.auth); default: "
    "$AIDRULES_TOKENS.")]


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
    state: Annotated[Path | None, typer.Option(
        "--state", help="A folder for the callers' rate counts and the screening jobs, "
        "shared by the workers; default: $AIDRULES_STATE, else in memory (one worker) or a "
        "folder removed on exit.")] = None,
    max_register: Annotated[int, typer.Option(
        "--max-register", min=1024, help="The largest register uploaded to screen, in "
        "bytes.")] = 50_000_000,
) -> None:
    """Serve assess, explain, notice, validate and screening over HTTP (OpenAPI at
    /openapi.json)."""
    settings = {"AIDRULES_TOKENS": tokens or os.environ.get("AIDRULES_TOKENS"),
                "AIDRULES_RULES": rules, "AIDRULES_POLICIES": policies,
                "AIDRULES_MAX_BODY": max_body, "AIDRULES_DB": db,
                "AIDRULES_STATE": state or os.environ.get("AIDRULES_STATE"),
                "AIDRULES_MAX_REGISTER": max_register}
    if not settings["AIDRULES_TOKENS"]:
        fail("serve needs the county's tokens: --tokens FILE or AIDRULES_TOKENS")
    given = {k: str(v) for k, v in settings.items() if v is not None}
    try:
        from aidrules.service import factory
    except ImportError:
        fail("serve needs the web server: pip install 'aidrules[serve]'")
    with factory.state_kept(given, workers) as kept:
        app = guarded(lambda: factory.built(kept), "")  # a bad book or tokens file stops here
        factory.run(app, kept, host, port, workers)
