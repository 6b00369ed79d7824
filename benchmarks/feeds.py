"""Benchmark: a month of department feeds for a synthetic county, imported and screened.

    .venv/bin/python benchmarks/feeds.py --households 100000 --seed 1

Prints rows per second for the import, events and households per second for the
screening, the process's peak resident memory after each phase (getrusage), and the
peak Python allocation of a streaming-only import (tracemalloc), which shows that
reading a file does not grow with its size. Not a test: figures depend on the machine."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from aidrules.monitoring import (
    Event,
    FeedImport,
    Monitor,
    load_mapping,
    load_warning_rules,
    read_register,
)
from aidrules.monitoring.synthetic import generate

MONTH = date(2025, 3, 1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def feeds(out: Path, manifest: dict):
    for name, feed in manifest["feeds"].items():
        yield load_mapping(f"feeds/{name}.yaml"), out / "feeds" / manifest["month"] / feed["file"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        manifest = generate(out, args.households, args.seed, MONTH)
        print(f"generate: {args.households} households, {manifest['people']} people in "
              f"{time.perf_counter() - started:.1f} s")

        started, rows, events = time.perf_counter(), 0, []
        by_format: dict[str, list[float]] = {}
        for mapping, path in feeds(out, manifest):
            begun = time.perf_counter()
            reading = FeedImport(mapping, path)
            events += [item for item in reading if isinstance(item, Event)]
            rows += reading.report.rows
            tally = by_format.setdefault(path.suffix, [0, 0.0])
            tally[0] += reading.report.rows
            tally[1] += time.perf_counter() - begun
        elapsed = time.perf_counter() - started
        for suffix, (n, seconds) in sorted(by_format.items()):
            print(f"import {suffix}: {n} rows in {seconds:.2f} s = {n / seconds:,.0f} rows/s")
        print(f"import: {rows} rows ({len(events)} events) in {elapsed:.2f} s = "
              f"{rows / elapsed:,.0f} rows/s; peak RSS {peak_rss_mb():.0f} MB")

        started = time.perf_counter()
        register = read_register(out / "register")
        print(f"register: {len(register.people)} people read in "
              f"{time.perf_counter() - started:.2f} s; peak RSS {peak_rss_mb():.0f} MB")
        started = time.perf_counter()
        result = Monitor(register, load_warning_rules("warnings")).screen(events, date(2025, 3, 31))
        elapsed = time.perf_counter() - started
        print(f"screen: {len(events)} events, {result.matched} matched, "
              f"{len(result.discovered)} discovered, {len(result.warnings)} warnings in "
              f"{elapsed:.2f} s = {len(events) / elapsed:,.0f} events/s; "
              f"peak RSS {peak_rss_mb():.0f} MB")

        tracemalloc.start()
        started, rows = time.perf_counter(), 0
        for mapping, path in feeds(out, manifest):
            reading = FeedImport(mapping, path)
            for _ in reading:
                pass
            rows += reading.report.rows
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"streaming import (events not kept, under tracemalloc): {rows} rows, "
              f"peak Python allocation {peak / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
