"""`aidrules serve --workers 2`: a caller's rate is counted once, whichever worker process
answers (the workers share one bucket per caller in an SQLite file)."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from tests.service.conftest import (
    LIMITED,
    bearer,
    example,
    served,
)

PER_MINUTE = 2  # the LIMITED token's rate (conftest)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    with served(folder, "--workers", "2", stop_within=30) as up:
        yield up


def _answering_processes(log) -> set[str]:
    text = log.read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r'"POST /v1/validate" \d+ [\d.]+ ms pid (\d+)', text))


def test_two_workers_count_a_caller_against_one_bucket(two_workers):
    url, log = two_workers
    began, codes = time.monotonic(), []
    # Each request on a new connection, so either worker may take it; go on until both
    # have answered this caller (the log names the process), then a few more.
    while len(codes) < 12 or len(_answering_processes(log)) < 2:
        assert len(codes) < 300, "one worker answered every request"
        with httpx.Client(base_url=url, timeout=30) as client:
            codes.append(client.post("/v1/validate", json=example(),
                                     headers=bearer(LIMITED)).status_code)
        time.sleep(0.02)  # the log line is written just after the answer
    elapsed = time.monotonic() - began
    refilled = int(elapsed * PER_MINUTE / 60)
    assert set(codes) == {200, 429}
    # per worker, each process would have let its own PER_MINUTE through
    assert PER_MINUTE <= codes.count(200) <= PER_MINUTE + refilled, (codes, elapsed)
    assert codes[:PER_MINUTE] == [200] * PER_MINUTE
