"""Errors as application/problem+json (RFC 9457), with the same paths as ``aidrules
validate``. Values the caller sent are never echoed: a message keeps what was wrong and
what is allowed, not the personal data that was there."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from aidrules.errors import AidrulesError, ApplicationError, FieldProblem, Problem

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("aidrules.service")

_GOT = re.compile(r",? got [^;]*")  # ", got '-5'" up to a "; did you mean …"
_QUOTED_DIGITS = re.compile(r"'[^']*\d[^']*'")  # a birth date or number held in a message


class BodyTooLarge(AidrulesError):
    """The body grew past the limit as it streamed in (answered 413)."""


def problem(status: int, title: str, detail: str | None = None,
            problems: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if problems is not None:
        body["problems"] = problems
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def redacted(message: str) -> str:
    """The message without the value that was sent."""
    return _QUOTED_DIGITS.sub("'…'", _GOT.sub("", message))


def field_problems(problems: Iterable[Problem | FieldProblem]) -> list[dict[str, str]]:
    """An application's problems (FieldProblem, each with its path) for a response body."""
    return [{"path": p.path, "message": redacted(p.message)} for p in problems
            if isinstance(p, FieldProblem)]


def install(app: FastAPI) -> None:
    """Every error the app can meet, answered as problem+json."""
    app.add_exception_handler(ApplicationError, _application_error)
    app.add_exception_handler(BodyTooLarge, _too_large)
    app.add_exception_handler(AidrulesError, _aidrules_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_error)
    app.add_exception_handler(Exception, _server_error)


async def _application_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApplicationError)
    return problem(422, "The application has bad fields",
                   problems=field_problems(exc.problems))


def install_ledger(app: FastAPI) -> None:
    """The ledger's refusals: a move the procedure does not allow or a lost race (409),
    no such case (404)."""
    from aidrules.ledger import ConflictError, IllegalMove, NotFound
    for error, status in ((IllegalMove, 409), (ConflictError, 409), (NotFound, 404)):
        app.add_exception_handler(error, _ledger_error(status))


def _ledger_error(status: int):
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        # The ledger's messages name cases, states, dates and staff, never an applicant.
        return problem(status, HTTPStatus(status).phrase, str(exc))
    return handle


async def _too_large(request: Request, exc: Exception) -> JSONResponse:
    return problem(413, "Content Too Large", str(exc))


async def _aidrules_error(request: Request, exc: Exception) -> JSONResponse:
    return problem(422, "The application cannot be assessed", redacted(str(exc)))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, HTTPStatus(exc.status_code).phrase,
                   exc.detail if isinstance(exc.detail, str) else None,
                   headers=getattr(exc, "headers", None))


async def _request_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = [{"path": "$" + "".join(f".{part}" for part in error["loc"]),
              "message": redacted(error["msg"])} for error in exc.errors()]
    return problem(422, "The request has bad parameters", problems=found)


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # The type only: a message may hold the data of the application being assessed.
    log.error("internal error on %s %s: %s", request.method, request.url.path,
              type(exc).__name__)
    return problem(500, "Internal Server Error")
