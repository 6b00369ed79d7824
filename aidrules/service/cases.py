"""The case procedure over HTTP: file, investigate, publish the notice, decide, enrol.

Who acts is always the caller of the token (its configured name), never a name in the
body: so the four-eyes rule (whoever investigated may not decide) holds against what the
county configured, not what a client claims. Mounted only when the service has a ledger.

Optimistic locking is HTTP's own: every answer carries the case's version as its ``ETag``;
a move sent with ``If-Match: "<version>"`` is refused with 412 when the case has moved on
since (RFC 9110 §13.1.1), so two officers never overwrite each other's step.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
)
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from aidrules.service import problems
from aidrules.service.app import APPLICATION_BODY, allowed, application
from aidrules.service.auth import Caller


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a "by" in the body is refused, not ignored


class Investigation(_Body):
    on: date
    findings: str = Field(min_length=1)
    with_: list[str] = Field(alias="with", description="The other staff who investigated; "
                             "the caller is the first.")


class Dated(_Body):
    on: date


class Decision(_Body):
    on: date
    approve: bool
    reasons: str | None = None


def mount(app: FastAPI, ledger: Any) -> None:
    """The case routes over ``ledger`` (calls to it one at a time: SQLite writes serialise)."""
    app.state.ledger, app.state.ledger_lock = ledger, threading.Lock()
    problems.install_ledger(app)
    router = APIRouter(prefix="/v1/cases", tags=["cases"])
    for route in (_file, _investigate, _notice, _decide, _enrol):
        route(router)
    app.include_router(router)


async def _call(request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
    def locked() -> Any:
        with request.app.state.ledger_lock:
            return getattr(request.app.state.ledger, method)(*args, **kwargs)
    return await run_in_threadpool(locked)


async def _move(request: Request, response: Response, expected: int | None, method: str,
                case: int, *args: Any, **kwargs: Any) -> Any:
    """One step on ``case`` (refused with 412 if it is no longer at version ``expected``),
    answering with the case's new version as the ETag."""
    from aidrules.ledger import ConflictError
    try:
        found = await _call(request, method, case, *args, version=expected, **kwargs)
    except ConflictError as exc:
        if expected is None:
            raise
        raise HTTPException(412, str(exc)) from None
    await _tag(request, response, case)
    return found


async def _tag(request: Request, response: Response, case: int) -> None:
    response.headers["ETag"] = f'"{(await _call(request, "case", case))["version"]}"'


def _expected(if_match: Annotated[str | None, Header(
        description='The case version the step expects, as the ETag gave it ("3").')] = None,
              ) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise HTTPException(400, f"If-Match: {if_match!r} is not a case version (\"3\")")
    return int(text)


Expected = Annotated[int | None, Depends(_expected)]


CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The case's id.")]  # SQL BIGINT
# The caller, allowed to take this step (aidrules.service.app.ACCESS).
Filer = Annotated[Caller, Depends(allowed("file a case"))]
Investigator = Annotated[Caller, Depends(allowed("investigate"))]
Publisher = Annotated[Caller, Depends(allowed("publish a notice"))]
Decider = Annotated[Caller, Depends(allowed("decide"))]
Enroller = Annotated[Caller, Depends(allowed("enrol"))]


def _file(router: APIRouter) -> None:
    @router.post("", status_code=201, openapi_extra=APPLICATION_BODY)
    async def file(request: Request, caller: Filer, household: Annotated[str, Query(
            min_length=1, description="The household's id in the county's register.")],
            response: Response, grid: str | None = None) -> dict[str, int]:
        """Accept an application (受理): a new case, assessed at once."""
        found = await application(request)
        case = await _call(request, "file_application", found, household, by=caller.name,
                           grid=grid)
        await _tag(request, response, case)
        return {"case": case}


def _investigate(router: APIRouter) -> None:
    @router.post("/{case}/investigation")
    async def investigate(request: Request, response: Response, case: CaseId,
                          body: Investigation, caller: Investigator,
                          expected: Expected) -> dict[str, int]:
        """The household investigation, by the caller and the staff named with it."""
        await _move(request, response, expected, "investigate", case,
                    [caller.name, *body.with_], body.findings, body.on)
        return {"case": case}


def _notice(router: APIRouter) -> None:
    @router.post("/{case}/notice")
    async def notice(request: Request, response: Response, case: CaseId, body: Dated,
                     caller: Publisher, expected: Expected) -> dict[str, Any]:
        """Post the preliminary opinion (公示); answers its last day."""
        return {"case": case, "until": await _move(request, response, expected,
                                                   "publish_notice", case, body.on)}


def _decide(router: APIRouter) -> None:
    @router.post("/{case}/decision")
    async def decide(request: Request, response: Response, case: CaseId, body: Decision,
                     caller: Decider, expected: Expected) -> dict[str, int]:
        """Approve or refuse, decided by the caller, who may not have investigated it."""
        decision = await _move(request, response, expected, "decide", case, body.approve,
                               caller.name, body.on, reasons=body.reasons)
        return {"case": case, "decision": decision}


def _enrol(router: APIRouter) -> None:
    @router.post("/{case}/enrolment")
    async def enrol(request: Request, response: Response, case: CaseId, body: Dated,
                    caller: Enroller, expected: Expected) -> dict[str, Any]:
        """Enrol the approved aids, paid from the month after the decision."""
        return {"case": case, "enrolments": await _move(request, response, expected, "enrol",
                                                        case, body.on)}
