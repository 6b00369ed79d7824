"""The HTTP service, through a real server on loopback and a real HTTP client."""

from __future__ import annotations

import json
import time

import pytest

from aidrules.engine import Assessor
from aidrules.errors import ApplicationError
from aidrules.model import application_from_dict
from aidrules.shipped import load_book
from tests.service.conftest import LIMITED, MAX_BODY, as_role, bearer, example

OFFICER = as_role("officer")
PROBLEM = "application/problem+json"


def test_assess_answers_the_assessment_document_the_library_gives(client):
    body = example()
    response = client.post("/v1/assess", json=body, headers=OFFICER)
    assert response.status_code == 200, response.text
    expected = Assessor(load_book()).assess(application_from_dict(body)).to_json()
    assert response.json() == json.loads(json.dumps(expected, default=str))


def test_explain_gives_every_criterion_of_one_aid(client):
    response = client.post("/v1/explain", params={"aid": "dibao"}, json=example(),
                           headers=OFFICER)
    assert response.status_code == 200, response.text
    assert response.json()["explanation"].startswith("最低生活保障 (dibao)")


def test_explain_of_an_unknown_aid_is_a_problem_naming_the_parameter(client):
    response = client.post("/v1/explain", params={"aid": "dibaoo"}, json=example(),
                           headers=OFFICER)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "$.query.aid"


def test_notice_in_english(client):
    response = client.post("/v1/notice", params={"language": "en"}, json=example(),
                           headers=OFFICER)
    assert response.status_code == 200, response.text
    assert response.json()["language"] == "en"
    assert response.json()["notice"]


def bad_application() -> dict:
    body = example()
    body["area"] = "city"
    member = body["household"]["members"][0]
    member["id_number"] = member["id_number"][:17] + "9"  # a wrong check character
    member["incomes"][0]["amount"] = "-2100.00"
    return body


def paths_from_validate(body: dict) -> list[str]:
    with pytest.raises(ApplicationError) as caught:
        application_from_dict(body)
    return [p.path for p in caught.value.problems]


def test_validate_lists_every_bad_field_by_the_paths_of_aidrules_validate(client):
    body = bad_application()
    response = client.post("/v1/validate", json=body, headers=as_role("public"))
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert [p["path"] for p in response.json()["problems"]] == paths_from_validate(body)


def test_a_bad_application_is_problem_json_with_the_same_paths(client):
    body = bad_application()
    response = client.post("/v1/assess", json=body, headers=OFFICER)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [p["path"] for p in response.json()["problems"]] == paths_from_validate(body)


def test_error_bodies_do_not_echo_personal_data(client):
    body = bad_application()
    text = client.post("/v1/assess", json=body, headers=OFFICER).text
    member = body["household"]["members"][0]
    for secret in (member["id_number"], member["id_number"][6:14], "2100", member["name"]):
        assert secret not in text


@pytest.mark.parametrize("content, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"area: urban", "application/yaml"),
])
def test_a_body_that_is_not_a_json_object_is_a_problem_at_the_root(client, content,
                                                                   content_type):
    response = client.post("/v1/assess", content=content, headers={
        **OFFICER, "content-type": content_type})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["problems"][0]["path"] == "$"


def test_a_bad_query_parameter_is_a_problem_with_its_path(client):
    response = client.post("/v1/assess", params={"on": "2025-02-30"}, json=example(),
                           headers=OFFICER)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "$.query.on"


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    response = client.post("/v1/assess", content=b"{" + b" " * MAX_BODY + b"}",
                           headers={**OFFICER, "content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"},
                                     {"Authorization": "Basic dG9rZW4="}])
def test_without_a_known_token_every_route_is_401(client, headers):
    for route in ("/v1/assess", "/v1/validate", "/v1/explain", "/v1/notice"):
        response = client.post(route, json=example(), headers=headers)
        assert response.status_code == 401, route
        assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("role, route, status", [
    ("public", "/v1/assess", 200),
    ("public", "/v1/notice", 403),
    ("department", "/v1/assess", 403),
    ("department", "/v1/validate", 200),
    ("auditor", "/v1/explain?aid=dibao", 200),
    ("auditor", "/v1/notice", 403),
    ("approver", "/v1/notice", 200),
])
def test_each_route_checks_the_role_of_the_token(client, role, route, status):
    response = client.post(route, json=example(), headers=as_role(role))
    assert response.status_code == status, response.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_no_page_loads_scripts_from_outside(client, page):
    response = client.get(page)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_the_openapi_document_lists_the_routes_and_the_application_schema(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/assess", "/v1/explain", "/v1/notice", "/v1/validate"} <= set(spec["paths"])
    body = spec["paths"]["/v1/assess"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Application"}
    assert "Member" in spec["components"]["schemas"]


def test_the_server_log_holds_no_personal_data(client, server):
    client.post("/v1/assess", json=bad_application(), headers=OFFICER)
    client.post("/v1/assess", json=example(), headers=OFFICER)
    client.post("/v1/cases", params={"household": "H-in-the-query", "grid": "g"},
                json=example(), headers=OFFICER)
    log = logged(server[1], '"POST /v1/cases" 201')
    member = example()["household"]["members"][0]
    assert '"POST /v1/assess" 422' in log
    for secret in (member["id_number"], member["name"], "H-in-the-query"):
        assert secret not in log


def test_a_streamed_body_over_the_limit_is_refused_as_it_arrives(client):
    def chunks():
        yield b"{"
        for _ in range(MAX_BODY // 1024 + 1):
            yield b" " * 1024
        yield b"}"
    response = client.post("/v1/assess", content=chunks(),
                           headers={**OFFICER, "content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_a_token_over_its_rate_is_told_when_to_come_back(client):
    answers = [client.post("/v1/validate", json=example(), headers=bearer(LIMITED))
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["content-type"] == PROBLEM
    assert 1 <= int(answers[2].headers["retry-after"]) <= 30


def logged(file, line: str, seconds: float = 10) -> str:
    """The server's log once ``line`` is in it (a line is written just after its answer)."""
    deadline = time.monotonic() + seconds
    while line not in (text := file.read_text(encoding="utf-8", errors="replace")):
        assert time.monotonic() < deadline, f"{line} not logged"
        time.sleep(0.05)
    return text
