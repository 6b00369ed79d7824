"""Fuzzing department feeds for longer than the tests do: hostile CSV files, workbooks and
damaged workbooks (tests/monitoring/hostile.py) through the real import, for a while.

    .venv/bin/python benchmarks/fuzz_feeds.py --seconds 300 [--timeout 10] [--out DIR]

Prints the inputs tried (by kind), how many were read and how many refused as a whole
file, and the failures: crashes (any exception but a one-line FeedFileError), miscounts
(the invariant broken: rows ≠ imported + rejected + blank, or the lines counted apart
from the reader not covered) and hangs (one input over --timeout seconds). Each failing
input is saved in --out to be replayed. Not a test: run from the checkout's top level."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.monitoring.hostile import (  # noqa: E402 - the checkout's tests are not installed
    broken_xlsx_files,
    check_import,
    csv_files,
    csv_lines,
    xlsx_files,
)


class Hang(Exception):
    pass


class TimeUp(Exception):
    pass


def inputs() -> st.SearchStrategy[tuple[str, bytes, int | None]]:
    return st.one_of(
        csv_files().map(lambda data: ("csv", data, csv_lines(data))),
        xlsx_files().map(lambda made: ("xlsx", made[0], made[1])),
        broken_xlsx_files().map(lambda data: ("damaged xlsx", data, None)))


class Run:
    def __init__(self, seconds: float, timeout: int, out: Path) -> None:
        self.until, self.timeout, self.out = time.monotonic() + seconds, timeout, out
        self.tried, self.outcomes, self.failures = Counter(), Counter(), []
        self.slowest = 0.0

    def one(self, kind: str, data: bytes, lines: int | None) -> None:
        if time.monotonic() > self.until:
            raise TimeUp
        self.tried[kind] += 1
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / ("feed.csv" if kind == "csv" else "feed.xlsx")
            path.write_bytes(data)
            started = time.monotonic()
            signal.alarm(self.timeout)
            try:
                self.outcomes[f"{kind}: {check_import(path, lines)}"] += 1
            except Hang:
                self.fail("hang", kind, data, f"over {self.timeout} s")
            except AssertionError as exc:
                self.fail("miscount", kind, data, str(exc)[:300])
            except Exception:  # noqa: BLE001 - every other exception is what we look for
                self.fail("crash", kind, data, traceback.format_exc(limit=-3))
            finally:
                signal.alarm(0)
            self.slowest = max(self.slowest, time.monotonic() - started)

    def fail(self, what: str, kind: str, data: bytes, detail: str) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        saved = self.out / f"{what}-{len(self.failures):04d}.{'csv' if kind == 'csv' else 'xlsx'}"
        saved.write_bytes(data)
        self.failures.append((what, saved, detail))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-feeds")
    args = parser.parse_args()
    run = Run(args.seconds, args.timeout, args.out)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Hang()))
    started = time.monotonic()

    @settings(database=None, deadline=None, max_examples=10**9, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs())
    def fuzz(made):
        run.one(*made)

    with contextlib.suppress(TimeUp):  # the time is up: Hypothesis passes it on
        fuzz()
    report(run, time.monotonic() - started)


def report(run: Run, elapsed: float) -> None:
    total = sum(run.tried.values())
    print(f"{total} inputs in {elapsed:.0f} s ({total / elapsed:.1f}/s); slowest "
          f"{run.slowest:.2f} s")
    for kind, count in sorted(run.tried.items()):
        print(f"  {kind}: {count} tried")
    for outcome, count in sorted(run.outcomes.items()):
        print(f"  {outcome}: {count}")
    kinds = Counter(what for what, _, _ in run.failures)
    print(f"crashes {kinds['crash']}, miscounts {kinds['miscount']}, hangs {kinds['hang']}")
    for what, saved, detail in run.failures[:20]:
        print(f"  {what}: {saved}\n    " + detail.strip().replace("\n", "\n    "))


if __name__ == "__main__":
    main()
