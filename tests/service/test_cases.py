"""The case procedure through HTTP: who acts comes from the token, and the four-eyes rule
(whoever investigated may not decide) holds against it."""

from __future__ import annotations

import itertools

import pytest

from tests.service.conftest import as_role, bearer, example

OFFICER, APPROVER = as_role("officer"), as_role("approver")
_households = itertools.count(1)


def filed(client, headers=OFFICER) -> int:
    response = client.post("/v1/cases", params={"household": f"H-{next(_households)}",
                                                "grid": "grid-07"},
                           json=example(), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["case"]


def investigated_and_noticed(client, headers=OFFICER) -> int:
    case = filed(client, headers)
    response = client.post(f"/v1/cases/{case}/investigation", headers=headers, json={
        "on": "2025-03-05", "findings": "as declared", "with": ["tieli.worker.li"]})
    assert response.status_code == 200, response.text
    response = client.post(f"/v1/cases/{case}/notice", json={"on": "2025-03-06"},
                           headers=headers)
    assert response.status_code == 200, response.text
    return case


def test_a_case_goes_from_filing_to_enrolment(client):
    case = investigated_and_noticed(client)
    decided = client.post(f"/v1/cases/{case}/decision", headers=APPROVER,
                          json={"on": "2025-04-01", "approve": True})
    assert decided.status_code == 200, decided.text
    enrolled = client.post(f"/v1/cases/{case}/enrolment", json={"on": "2025-04-02"},
                           headers=APPROVER)
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.json()["enrolments"]


def test_whoever_investigated_may_not_decide_even_with_an_approver_token(client):
    case = investigated_and_noticed(client, bearer("token-wang-officer"))
    response = client.post(f"/v1/cases/{case}/decision", headers=bearer("token-wang-approver"),
                           json={"on": "2025-04-01", "approve": True})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "tieli.wang investigated this case and may not also decide it" in response.text


def test_the_decider_is_never_taken_from_the_body(client):
    case = investigated_and_noticed(client)
    response = client.post(f"/v1/cases/{case}/decision", headers=APPROVER,
                           json={"on": "2025-04-01", "approve": True, "by": "someone.else"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "$.body.by"


@pytest.mark.parametrize("role, route", [
    ("approver", "/v1/cases?household=H-x"),
    ("public", "/v1/cases?household=H-x"),
    ("officer", "/v1/cases/1/decision"),
    ("auditor", "/v1/cases/1/enrolment"),
])
def test_each_step_checks_the_role_of_the_token(client, role, route):
    response = client.post(route, json=example(), headers=as_role(role))
    assert response.status_code == 403, response.text


def test_a_case_that_does_not_exist_is_404(client):
    response = client.post("/v1/cases/999999/enrolment", json={"on": "2025-04-02"},
                           headers=APPROVER)
    assert response.status_code == 404


def test_every_step_answers_the_case_version_and_a_stale_if_match_is_412(client):
    case = filed(client)
    version = client.post(f"/v1/cases/{case}/investigation", headers=OFFICER, json={
        "on": "2025-03-05", "findings": "as declared", "with": ["tieli.worker.li"]}
    ).headers["etag"]
    stale = '"0"'
    assert version != stale
    refused = client.post(f"/v1/cases/{case}/notice", json={"on": "2025-03-06"},
                          headers={**OFFICER, "If-Match": stale})
    assert refused.status_code == 412, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    taken = client.post(f"/v1/cases/{case}/notice", json={"on": "2025-03-06"},
                        headers={**OFFICER, "If-Match": version})
    assert taken.status_code == 200, taken.text
    assert int(taken.headers["etag"].strip('"')) > int(version.strip('"'))
    again = client.post(f"/v1/cases/{case}/decision", headers={**APPROVER, "If-Match": version},
                        json={"on": "2025-04-01", "approve": True})
    assert again.status_code == 412, "the version the notice moved past is refused"


def test_an_if_match_that_is_not_a_version_is_400(client):
    case = filed(client)
    response = client.post(f"/v1/cases/{case}/notice", json={"on": "2025-03-06"},
                           headers={**OFFICER, "If-Match": "yesterday"})
    assert response.status_code == 400, response.text
