"""Screening a register over HTTP as a job: upload → job id → poll → result, the same
statuses and amounts the library's Screener gives; jobs are their owner's."""

from __future__ import annotations

import time
from datetime import date

from aidrules.columnar import Screener
from aidrules.model import read_application
from aidrules.shipped import load_book
from tests.service.conftest import EXAMPLES, as_role, bearer, example

PROBLEM = "application/problem+json"
NAMES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))[:6]
ON = "2025-03-15"


def _submit(client, register, role="officer", **params):
    return client.post("/v1/screenings", json=register, params={"on": ON, **params},
                       headers=as_role(role))


def _finished(client, job, headers, seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        found = client.get(f"/v1/screenings/{job}", headers=headers)
        assert found.status_code == 200, found.text
        if found.json()["status"] in ("done", "failed"):
            return found.json()
        assert time.monotonic() < deadline, found.json()
        time.sleep(0.2)


def test_a_register_is_screened_as_a_job_with_the_screeners_answers(client):
    submitted = _submit(client, [example(name) for name in NAMES])
    assert submitted.status_code == 202, submitted.text
    job = submitted.json()["job"]
    assert submitted.json()["households"] == len(NAMES)
    assert submitted.headers["location"] == f"/v1/screenings/{job}"
    status = _finished(client, job, as_role("officer"))
    assert status["status"] == "done", status
    result = client.get(f"/v1/screenings/{job}/result", headers=as_role("officer"))
    assert result.status_code == 200
    expected = Screener(load_book()).screen(
        [read_application(EXAMPLES / name) for name in NAMES],
        on=date.fromisoformat(ON)).to_pylist()
    assert result.json()["rows"] == expected
    by_aid = {row["aid"]: row for row in status["summary"]}
    eligible = sum(row["dibao"] == "eligible" for row in expected)
    assert by_aid["dibao"]["eligible"] == eligible


def test_a_job_is_read_by_its_owner_or_an_auditor_only(client):
    job = _submit(client, [example()]).json()["job"]
    _finished(client, job, as_role("officer"))
    assert client.get(f"/v1/screenings/{job}", headers=as_role("auditor")).status_code == 200
    other_officer = bearer("token-wang-officer")  # another name, the same role
    assert client.get(f"/v1/screenings/{job}", headers=other_officer).status_code == 404
    assert client.get(f"/v1/screenings/{job}/result",
                      headers=other_officer).status_code == 404
    assert client.get(f"/v1/screenings/{job}", headers=as_role("public")).status_code == 403


def test_only_officers_and_approvers_submit(client):
    for role, status in (("public", 403), ("department", 403), ("auditor", 403),
                         ("approver", 202)):
        assert _submit(client, [example()], role).status_code == status, role


def test_every_bad_household_is_named_by_its_place_in_the_register(client):
    bad = example()
    bad["area"] = "city"
    answer = _submit(client, [example(), bad])
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    paths = [p["path"] for p in answer.json()["problems"]]
    assert paths == ["$[1].area"]
    not_a_list = _submit(client, example())
    assert not_a_list.status_code == 422
    assert not_a_list.json()["problems"][0]["path"] == "$"


def test_a_result_before_the_job_is_done_is_409_and_an_unknown_job_404(client):
    assert client.get("/v1/screenings/" + "0" * 32, headers=as_role("officer")).status_code \
        == 404
    job = _submit(client, [example(name) for name in NAMES * 20]).json()["job"]
    early = client.get(f"/v1/screenings/{job}/result", headers=as_role("officer"))
    assert early.status_code in (200, 409)  # 200 only if 120 households beat the request
    if early.status_code == 409:
        assert early.headers["content-type"] == PROBLEM
    assert _finished(client, job, as_role("officer"))["status"] == "done"


def test_an_unknown_jurisdiction_fails_the_job_with_the_reason(client):
    job = _submit(client, [example()], jurisdiction="heilongjiang/nowhere").json()["job"]
    status = _finished(client, job, as_role("officer"))
    assert status["status"] == "failed"
    assert "nowhere" in status["error"]
    assert client.get(f"/v1/screenings/{job}/result",
                      headers=as_role("officer")).status_code == 409
