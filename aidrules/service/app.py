"""The routes. Each reads an application from a JSON body, checks the caller's role,
calls the library and answers JSON; every error is problem+json (aidrules.service.problems).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from aidrules import __version__
from aidrules.engine import Assessor
from aidrules.errors import ApplicationError, FieldProblem
from aidrules.model import Application, application_from_json
from aidrules.service import openapi, problems
from aidrules.service.access import AccessLog
from aidrules.service.auth import Caller, Role, Tokens
from aidrules.service.limits import BodyLimit, RateLimit, SharedRateLimit
from aidrules.service.openapi import APPLICATION_BODY

R = Role
READERS = {R.officer, R.approver, R.auditor, R.public}
ACCESS: dict[str, set[Role]] = {
    "validate": set(Role), "assess": READERS, "explain": READERS,
    "notice": {R.officer, R.approver},
    # the case procedure (service.cases)
    "file a case": {R.officer}, "investigate": {R.officer}, "publish a notice": {R.officer},
    "decide": {R.approver}, "enrol": {R.approver},
    # screening a register as a job (service.screenings): a job is read by its owner
    "screen a register": {R.officer, R.approver},
    "read a screening": {R.officer, R.approver, R.auditor},
}
MAX_BODY = 1_000_000  # bytes; one household is a few kilobytes
_bearer = HTTPBearer(auto_error=False, description="A token the county gave you.")


def create_app(assessor: Assessor, tokens: Tokens, max_body: int = MAX_BODY,
               ledger: Any = None, rates: RateLimit | SharedRateLimit | None = None,
               jobs: Any = None, max_register: int | None = None) -> FastAPI:
    """The service over one rule book (``assessor``), open to the callers in ``tokens``;
    with a ``ledger``, the case procedure too. Callers' rates are counted in ``rates``
    (default: in this process); screening jobs are kept in ``jobs`` (a
    service.screenings.Jobs; default: in this process), registers up to ``max_register``
    bytes."""
    # No /docs or /redoc pages: they load scripts from a public CDN into a county's network.
    app = FastAPI(title="aidrules", version=__version__, docs_url=None, redoc_url=None,
                  description="Classify a social-assistance application across every aid "
                  "type, with reasons.")
    app.state.assessor, app.state.tokens = assessor, tokens
    app.state.rates = rates or RateLimit()
    problems.install(app)
    from aidrules.service import screenings
    app.add_middleware(BodyLimit, limit=max_body,
                       larger={"/v1/screenings": max_register or screenings.MAX_REGISTER})
    app.add_middleware(AccessLog)
    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    for route in (_validate, _assess, _explain, _notice):
        route(app)
    screenings.mount(app, assessor.book, jobs or screenings.Jobs())
    if ledger is not None:
        from aidrules.service.cases import mount
        mount(app, ledger)
    return app


def allowed(action: str):
    """A dependency: the caller, if its token is known and its role may do ``action``."""
    def check(request: Request, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
        caller = request.app.state.tokens.caller(credentials and credentials.credentials)
        if caller is None:
            raise HTTPException(401, "a known bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})
        if caller.role not in ACCESS[action]:
            raise HTTPException(403, f"the role {caller.role} may not {action}")
        _within_rate(request, caller)
        return caller
    return check


def _within_rate(request: Request, caller: Caller) -> None:
    if caller.per_minute is None:
        return
    wait = request.app.state.rates.wait(f"{caller.role}:{caller.name}", caller.per_minute)
    if wait:
        raise HTTPException(429, f"more than {caller.per_minute} requests a minute",
                            headers={"Retry-After": str(math.ceil(wait))})


async def application(request: Request) -> Application:
    """The application in the body, or ApplicationError with every bad field by path."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApplicationError([FieldProblem("$", "the body must be application/json")])
    return application_from_json(await request.body(), "request")


On = Annotated[date | None, Query(description="Assess as of this date; default: the "
                                  "application date.")]
Jurisdiction = Annotated[str | None, Query(description="Like heilongjiang/yichun/tieli; "
                                           "default: the application's own.")]
Detail = Annotated[str, Query(pattern="^(compact|full)$", description="compact (statuses, "
                              "amounts, missing facts, what decided) or full (every rule and "
                              "criterion)")]


async def _assessed(request: Request, on: On = None, jurisdiction: Jurisdiction = None):
    found = await application(request)
    assessor: Assessor = request.app.state.assessor
    return found, await run_in_threadpool(assessor.assess, found, on, jurisdiction)


def _validate(app: FastAPI) -> None:
    @app.post("/v1/validate", openapi_extra=APPLICATION_BODY, tags=["applications"],
              dependencies=[Depends(allowed("validate"))])
    async def validate(request: Request) -> dict[str, Any]:
        """Every bad field of an application, by its path (as ``aidrules validate``)."""
        try:
            await application(request)
        except ApplicationError as exc:
            return {"valid": False, "problems": problems.field_problems(exc.problems)}
        return {"valid": True, "problems": []}


def _assess(app: FastAPI) -> None:
    @app.post("/v1/assess", openapi_extra=APPLICATION_BODY, tags=["applications"],
              dependencies=[Depends(allowed("assess"))])
    async def assess(request: Request, on: On = None, jurisdiction: Jurisdiction = None,
                     detail: Detail = "compact") -> dict[str, Any]:
        """The assessment document (docs/assessment-json.md) across every aid type."""
        return (await _assessed(request, on, jurisdiction))[1].to_json(detail)


def _explain(app: FastAPI) -> None:
    @app.post("/v1/explain", openapi_extra=APPLICATION_BODY, tags=["applications"],
              dependencies=[Depends(allowed("explain"))])
    async def explain(request: Request, aid: Annotated[str, Query(
            description="The aid type id, like dibao.")], on: On = None,
            jurisdiction: Jurisdiction = None) -> dict[str, Any]:
        """Every criterion of one aid type: values, thresholds, dates and legal basis."""
        _, assessment = await _assessed(request, on, jurisdiction)
        if aid not in {r.aid for r in assessment.results}:
            raise ApplicationError([FieldProblem("$.query.aid", "is not an aid type of "
                                                 "the rule book")])
        text = request.app.state.assessor.explain(assessment, aid)
        return {"aid": aid, "explanation": text}


def _notice(app: FastAPI) -> None:
    @app.post("/v1/notice", openapi_extra=APPLICATION_BODY, tags=["applications"],
              dependencies=[Depends(allowed("notice"))])
    async def notice(request: Request, language: Annotated[str, Query(
            pattern="^(zh|en)$", description="zh or en")] = "zh", on: On = None,
            jurisdiction: Jurisdiction = None) -> dict[str, Any]:
        """The applicant's written notice: outcome, amount and reasons per aid type."""
        from aidrules.notices import decision_notice, issuer_of
        found, assessment = await _assessed(request, on, jurisdiction)
        issuer = issuer_of(request.app.state.assessor.book.policies, assessment.jurisdiction,
                           assessment.on)
        return {"language": language, "notice": decision_notice(
            assessment, found, language=language, issuer=issuer)}
