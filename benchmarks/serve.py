"""Requests per second and latency (p50, p99) of POST /v1/assess through `aidrules serve`
on loopback, the server with 2 worker processes.

    python benchmarks/serve.py                       # 2,000 requests, 8 at a time, ≤ 60 s
    python benchmarks/serve.py --requests 500 --concurrency 4 --workers 1

Bounded in count and time, and only ever against 127.0.0.1: the server is started here on
a free port and stopped at the end. The bodies are the shipped example applications in
turn, so every aid type and status is reached; each answer must be 200.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from aidrules.model import application_to_dict, read_application

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "benchmark-officer"


def bodies() -> list[bytes]:
    files = sorted((ROOT / "examples/applications").glob("*.yaml"))
    return [json.dumps(application_to_dict(read_application(f)), default=str).encode()
            for f in files]


def started(workers: int, folder: Path) -> tuple[subprocess.Popen, str]:
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    tokens = folder / "tokens.toml"
    tokens.write_text(f'[[tokens]]\nsha256 = "{digest}"\nrole = "officer"\nname = "bench"\n')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "aidrules", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--tokens", str(tokens)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    return process, f"http://127.0.0.1:{port}"


async def until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url + "/openapi.json")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    raise SystemExit("the server did not start within 60 s")


async def run(url: str, payloads: list[bytes], count: int, concurrency: int,
              limit: float) -> tuple[list[float], float]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    latencies: list[float] = []
    next_index = iter(range(count))
    deadline = time.monotonic() + limit

    async def worker(client: httpx.AsyncClient) -> None:
        for i in next_index:
            if time.monotonic() > deadline:
                return
            began = time.perf_counter()
            response = await client.post("/v1/assess", content=payloads[i % len(payloads)],
                                         headers=headers)
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise SystemExit(f"answer {response.status_code}: {response.text[:200]}")

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        for payload in payloads:  # warm up: each worker compiles the ruleset once
            await client.post("/v1/assess", content=payload, headers=headers)
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        return latencies, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60, help="stop sending after this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, url = started(args.workers, Path(folder))
        try:
            asyncio.run(until_up(url))
            latencies, elapsed = asyncio.run(run(url, bodies(), args.requests,
                                                 args.concurrency, args.seconds))
        finally:
            process.terminate()
            process.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"POST /v1/assess, {args.workers} worker(s), {args.concurrency} concurrent, "
          f"{len(latencies)} requests in {elapsed:.1f} s: {len(latencies) / elapsed:.0f} "
          f"requests/s; p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
