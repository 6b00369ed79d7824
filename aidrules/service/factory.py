"""The service app as configured: from the ``AIDRULES_*`` settings (what ``aidrules serve``
passes, and what each worker process reads from its environment), built over the
composition root (:mod:`aidrules.compose`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from aidrules import compose
from aidrules.service.access import logging_config
from aidrules.service.app import create_app
from aidrules.service.auth import read_tokens
from aidrules.service.limits import SharedRateLimit
from aidrules.service.screenings import MAX_REGISTER, Jobs


def from_environment() -> FastAPI:
    """The app as configured by the AIDRULES_* variables (what each worker builds)."""
    return built(os.environ)


def built(settings: Mapping[str, str]) -> FastAPI:
    """The app over the book in AIDRULES_RULES / AIDRULES_POLICIES (else as found), open
    to the tokens in AIDRULES_TOKENS; with AIDRULES_DB, the case procedure too; with
    AIDRULES_STATE (a folder), callers' rates and the screening jobs kept in SQLite files
    there, which every worker process shares (else in this process's memory)."""
    assessor = compose.assessor(settings.get("AIDRULES_RULES"),
                                settings.get("AIDRULES_POLICIES"))
    db, state = settings.get("AIDRULES_DB"), settings.get("AIDRULES_STATE")
    if state:
        Path(state).mkdir(parents=True, exist_ok=True)
    return create_app(assessor, read_tokens(settings["AIDRULES_TOKENS"]),
                      int(settings.get("AIDRULES_MAX_BODY", "1000000")),
                      compose.ledger(db, sharing=assessor, create=True) if db else None,
                      SharedRateLimit(Path(state) / "rates.sqlite") if state else None,
                      Jobs(Path(state) / "screenings.sqlite") if state else None,
                      int(settings.get("AIDRULES_MAX_REGISTER", str(MAX_REGISTER))))


@contextmanager
def state_kept(settings: Mapping[str, str], workers: int) -> Iterator[dict[str, str]]:
    """``settings``, with a state folder for more than one worker: AIDRULES_STATE as given,
    else a folder made for this run and removed after it."""
    if workers == 1 or settings.get("AIDRULES_STATE"):
        yield dict(settings)
        return
    with tempfile.TemporaryDirectory(prefix="aidrules-serve-") as state:
        yield {**settings, "AIDRULES_STATE": state}


def run(app: FastAPI, settings: Mapping[str, str], host: str, port: int, workers: int) -> None:
    """Serve ``app`` on ``host``:``port``; with more than one worker, each worker process
    builds its own from ``settings`` (put in the environment)."""
    quiet = {"host": host, "port": port, "access_log": False, "log_config": logging_config()}
    if workers == 1:
        uvicorn.run(app, **quiet)  # type: ignore[arg-type]
        return
    os.environ.update(settings)  # what each worker process builds its app from
    uvicorn.run("aidrules.service.factory:from_environment", factory=True, workers=workers,
                **quiet)  # type: ignore[arg-type]
