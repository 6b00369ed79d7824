"""Limits: a cap on the size of a request body, checked before the body is read whole;
a rate per caller, kept in the process (one worker) or in an SQLite file every worker
process shares (``--workers N``)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aidrules.service.problems import MEDIA_TYPE, BodyTooLarge

Scope = dict[str, Any]


def too_large(limit: int) -> dict[str, Any]:
    return {"type": "about:blank", "title": "Content Too Large", "status": 413,
            "detail": f"the body is over {limit} bytes"}


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes (by its Content-Length, or
    as it streams in when none is given); the paths in ``larger`` have their own."""

    def __init__(self, app: Any, limit: int, larger: Mapping[str, int] | None = None) -> None:
        self.app, self.limit, self.larger = app, limit, dict(larger or {})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.larger.get(scope["path"], self.limit)
        if self._declared(scope) > limit:
            return await self._refuse(send, limit)
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(too_large(limit)["detail"])
            return message
        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self._refuse(send, limit)

    @staticmethod
    def _declared(scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                return int(value) if value.isdigit() else 0
        return 0

    @staticmethod
    async def _refuse(send: Any, limit: int) -> None:
        body = json.dumps(too_large(limit)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _take(left: float, then: float, now: float, per_minute: int) -> tuple[float, float]:
    """A token bucket holding ``left`` tokens at ``then``, refilled at ``per_minute`` up to
    as many: (the tokens left now, 0 if one was taken, else the seconds to wait)."""
    left = min(float(per_minute), left + max(0.0, now - then) * per_minute / 60)
    if left < 1:
        return left, (1 - left) * 60 / per_minute
    return left - 1, 0.0


class RateLimit:
    """A token bucket per caller: ``per_minute`` requests a minute, in bursts of as many,
    counted in this process (one worker)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock, self.lock = clock, threading.Lock()
        self.buckets: dict[str, tuple[float, float]] = {}  # key → (tokens left, when)

    def wait(self, key: str, per_minute: int) -> float:
        """0 if the request may go now (and it is counted), else the seconds to wait."""
        with self.lock:
            now = self.clock()
            left, wait = _take(*self.buckets.get(key, (float(per_minute), now)), now, per_minute)
            self.buckets[key] = (left, now)
            return wait


class SharedRateLimit:
    """The same buckets in an SQLite file, so that every worker process of a server (or
    every server on the host given the same file) counts a caller against one bucket.
    Each count is one short write transaction (``BEGIN IMMEDIATE``: processes take turns);
    only tokens configured with ``per_minute`` reach it. The clock is the wall clock, the
    one every process shares; a clock set back refills nothing."""

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.time) -> None:
        self.path, self.clock = str(path), clock
        self.local = threading.local()  # one connection per thread: sqlite3's rule
        self._connection().execute("CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, "
                                   "tokens REAL NOT NULL, at REAL NOT NULL)")

    def wait(self, key: str, per_minute: int) -> float:
        """0 if the request may go now (and it is counted), else the seconds to wait."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute("SELECT tokens, at FROM buckets WHERE key = ?",
                                     (key,)).fetchone()
            now = self.clock()
            left, then = row or (float(per_minute), now)
            left, wait = _take(left, then, now, per_minute)
            connection.execute("INSERT INTO buckets VALUES (?, ?, ?) ON CONFLICT (key) DO "
                               "UPDATE SET tokens = excluded.tokens, at = excluded.at",
                               (key, left, now))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return wait

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self.local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                         check_same_thread=True)
            connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for writers
            connection.execute("PRAGMA synchronous = OFF")  # counts, not records: no fsync
            self.local.connection = connection
        return connection
