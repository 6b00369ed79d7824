"""Screening a register over HTTP, as a job: upload the households, get a job id, poll it,
fetch the result (aidrules.columnar's Screener, on DuckDB).

``POST /v1/screenings`` takes the register as a JSON array of applications (every bad field
of every one is a 422 by its ``$[index]`` path, as ``aidrules validate`` prints) and answers
202 with the job's id at once; the screening runs in the background, one at a time per
worker process. The jobs are kept in an SQLite file, so any worker answers the poll
(``--workers N`` share the service's state folder). A job is the caller's: only the token's
own name (or an auditor) may read it; anyone else is told it does not exist.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from aidrules.errors import AidrulesError, ApplicationError, FieldProblem
from aidrules.model import applications_from_json
from aidrules.rulebook import RuleBook
from aidrules.service.app import Jurisdiction, allowed
from aidrules.service.auth import Caller, Role

log = logging.getLogger("aidrules.service.screenings")
REGISTER_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Application"}}}}}}
MAX_REGISTER = 50_000_000  # bytes: some 15,000 households as JSON

Submitter = Annotated[Caller, Depends(allowed("screen a register"))]
Reader = Annotated[Caller, Depends(allowed("read a screening"))]
JobId = Annotated[str, Path(pattern="^[0-9a-f]{32}$", description="The job's id.")]


class Jobs:
    """The screening jobs, in an SQLite file (or, without one, in this process's memory)."""

    def __init__(self, path: FilePath | str | None = None) -> None:
        if path is None:  # one in-memory database, shared by this process's threads
            self.target = f"file:aidrules-jobs-{uuid.uuid4().hex}?mode=memory&cache=shared"
            self.uri = True
        else:
            self.target, self.uri = str(path), False
        self.local = threading.local()  # one connection per thread: sqlite3's rule
        self.keeper = self._connection()  # keeps an in-memory database alive
        self.keeper.execute(
            "CREATE TABLE IF NOT EXISTS screenings (id TEXT PRIMARY KEY, owner TEXT NOT NULL, "
            "status TEXT NOT NULL, households INTEGER NOT NULL, on_day TEXT, jurisdiction TEXT, "
            "submitted REAL NOT NULL, finished REAL, summary TEXT, rows TEXT, error TEXT)")

    def add(self, owner: str, households: int, on: date | None, jurisdiction: str | None) -> str:
        job = uuid.uuid4().hex
        self._connection().execute(
            "INSERT INTO screenings (id, owner, status, households, on_day, jurisdiction, "
            "submitted) VALUES (?, ?, 'queued', ?, ?, ?, ?)",
            (job, owner, households, on and on.isoformat(), jurisdiction, time.time()))
        return job

    def running(self, job: str) -> None:
        self._connection().execute("UPDATE screenings SET status = 'running' WHERE id = ?",
                                   (job,))

    def done(self, job: str, summary: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        self._connection().execute(
            "UPDATE screenings SET status = 'done', finished = ?, summary = ?, rows = ? "
            "WHERE id = ?", (time.time(), json.dumps(summary), json.dumps(rows), job))

    def failed(self, job: str, error: str) -> None:
        self._connection().execute(
            "UPDATE screenings SET status = 'failed', finished = ?, error = ? WHERE id = ?",
            (time.time(), error, job))

    def get(self, job: str, with_rows: bool = False) -> dict[str, Any] | None:
        columns = "id, owner, status, households, on_day, jurisdiction, summary, error" + (
            ", rows" if with_rows else "")
        row = self._connection().execute(f"SELECT {columns} FROM screenings WHERE id = ?",
                                         (job,)).fetchone()
        if row is None:
            return None
        found = dict(zip(columns.split(", "), row, strict=True))
        for key in ("summary", "rows"):
            if found.get(key) is not None:
                found[key] = json.loads(found[key])
        return found

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self.local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.target, uri=self.uri, timeout=10,
                                         isolation_level=None)
            if not self.uri:
                connection.execute("PRAGMA journal_mode = WAL")
            self.local.connection = connection
        return connection


def mount(app: FastAPI, book: RuleBook, jobs: Jobs) -> None:
    """The screening routes over ``book``; jobs kept in ``jobs``, run one at a time."""
    app.state.jobs, app.state.book = jobs, book
    app.state.screener = None  # built on the first job: DuckDB is loaded only then
    app.state.screening = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screening")
    router = APIRouter(prefix="/v1/screenings", tags=["screenings"])
    for route in (_submit, _status, _result):
        route(router)
    app.include_router(router)


def _screen(app: Any, job: str, applications: list[Any], on: date | None,
            jurisdiction: str | None) -> None:
    """Run one job (in the screening thread), and keep its outcome."""
    jobs: Jobs = app.state.jobs
    jobs.running(job)
    try:
        from aidrules.columnar import Screener, summary  # late: loads duckdb
        if app.state.screener is None:
            app.state.screener = Screener(app.state.book)
        screened = app.state.screener.screen(applications, on, jurisdiction)
        aids = tuple(app.state.book.aids)
        jobs.done(job, summary(screened, aids).to_pylist(), screened.to_pylist())
    except AidrulesError as exc:  # an unknown jurisdiction, a value the SQL cannot hold
        jobs.failed(job, str(exc))
    except Exception:  # kept as failed, never lost; the log has the traceback
        log.exception("screening %s failed", job)
        jobs.failed(job, "the screening failed inside the service; see its log")


def _submit(router: APIRouter) -> None:
    @router.post("", status_code=202, openapi_extra=REGISTER_BODY)
    async def submit(request: Request, caller: Submitter, on: Annotated[date | None, Query(
            description="Screen as of this date; default: each application's date.")] = None,
            jurisdiction: Jurisdiction = None) -> JSONResponse:
        """Screen a register (a JSON array of applications) in the background: answers the
        job's id at once; poll it at the Location given."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise ApplicationError([FieldProblem("$", "the body must be application/json")])
        body = await request.body()
        applications = await run_in_threadpool(applications_from_json, body, "request")
        jobs: Jobs = request.app.state.jobs
        job = jobs.add(caller.name, len(applications), on, jurisdiction)
        request.app.state.screening.submit(_screen, request.app, job, applications, on,
                                           jurisdiction)
        return JSONResponse({"job": job, "status": "queued", "households": len(applications)},
                            status_code=202, headers={"Location": f"/v1/screenings/{job}"})


def _status(router: APIRouter) -> None:
    @router.get("/{job}")
    async def status(request: Request, job: JobId, caller: Reader) -> dict[str, Any]:
        """The job: queued, running, done (with the summary per aid type) or failed (why)."""
        found = _own(request, job, caller)
        return {"job": job, "status": found["status"], "households": found["households"],
                "on": found["on_day"], "jurisdiction": found["jurisdiction"],
                "summary": found["summary"], "error": found["error"]}


def _result(router: APIRouter) -> None:
    @router.get("/{job}/result")
    async def result(request: Request, job: JobId, caller: Reader) -> dict[str, Any]:
        """One row per household, in the order sent: each aid type's status and amount in
        fen (docs/screening.md); 409 until the job is done."""
        found = _own(request, job, caller, with_rows=True)
        if found["status"] != "done":
            raise HTTPException(409, f"the screening is {found['status']}; poll "
                                f"/v1/screenings/{job} until it is done")
        return {"job": job, "rows": found["rows"]}


def _own(request: Request, job: str, caller: Caller, with_rows: bool = False) -> dict[str, Any]:
    """The job, if the caller may see it: its own, or any for an auditor."""
    found = request.app.state.jobs.get(job, with_rows)
    if found is None or (found["owner"] != caller.name and caller.role is not Role.auditor):
        raise HTTPException(404, "no such screening job")
    return found
