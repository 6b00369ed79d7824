"""A cap on the size of a request body, checked before the body is read whole."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from aidrules.service.problems import MEDIA_TYPE, BodyTooLarge

Scope = dict[str, Any]


def too_large(limit: int) -> dict[str, Any]:
    return {"type": "about:blank", "title": "Content Too Large", "status": 413,
            "detail": f"the body is over {limit} bytes"}


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes (by its Content-Length, or
    as it streams in when none is given)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self._declared(scope) > self.limit:
            return await self._refuse(send)
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(too_large(self.limit)["detail"])
            return message
        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self._refuse(send)

    @staticmethod
    def _declared(scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                return int(value) if value.isdigit() else 0
        return 0

    async def _refuse(self, send: Any) -> None:
        body = json.dumps(too_large(self.limit)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class RateLimit:
    """A token bucket per caller: ``per_minute`` requests a minute, in bursts of as many.
    Kept in each worker process (with N workers a caller gets up to N times the rate)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock, self.lock = clock, threading.Lock()
        self.buckets: dict[str, tuple[float, float]] = {}  # key → (tokens left, when)

    def wait(self, key: str, per_minute: int) -> float:
        """0 if the request may go now (and it is counted), else the seconds to wait."""
        with self.lock:
            now = self.clock()
            left, then = self.buckets.get(key, (float(per_minute), now))
            left = min(float(per_minute), left + (now - then) * per_minute / 60)
            if left < 1:
                self.buckets[key] = (left, now)
                return (1 - left) * 60 / per_minute
            self.buckets[key] = (left - 1, now)
            return 0.0
