"""Property-based requests generated from the service's own OpenAPI document (schemathesis):
whatever a client sends, valid or not, the server never answers with a 5xx. Bounded: a
few examples per route, against the loopback server of this package's tests."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.service.conftest import as_role

EXAMPLES_PER_ROUTE = 15
APPROVER_ROUTES = ("/v1/cases/{case}/decision", "/v1/cases/{case}/enrolment")


def test_no_generated_request_makes_a_server_error(server):
    api = schemathesis.openapi.from_url(server[0] + "/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        role = "approver" if operation.path in APPROVER_ROUTES else "officer"
        _no_server_error(operation, server[0], as_role(role))


def _no_server_error(operation, url, headers):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(base_url=url, headers=headers, timeout=30)
        case.validate_response(response, checks=[not_a_server_error])
    check()
