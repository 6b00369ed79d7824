"""The access log: one line a request, with the path but never the query string (it may
name a household) nor the body."""

from __future__ import annotations

import copy
import logging
import os
import time
from typing import Any

log = logging.getLogger("aidrules.service.access")


class AccessLog:
    """ASGI middleware: ``client - "METHOD /path" status ms pid`` (the worker process)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        status, began = 500, time.perf_counter()

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, sending)
        finally:
            client = scope.get("client") or ("-", 0)
            log.info('%s:%s - "%s %s" %d %.1f ms pid %d', client[0], client[1],
                     scope["method"], scope["path"], status,
                     (time.perf_counter() - began) * 1000, os.getpid())


def logging_config() -> dict[str, Any]:
    """uvicorn's logging, its own access log replaced by this one."""
    from uvicorn.config import LOGGING_CONFIG
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["aidrules.service"] = {"handlers": ["default"], "level": "INFO",
                                             "propagate": False}
    return config
