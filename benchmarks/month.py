"""Benchmark: one month of monitoring for a synthetic county, stored in an SQLite ledger.

    .venv/bin/python benchmarks/month.py --households 100000 --seed 1 [--monitor-low-income
        [--per-case]]

Runs aidrules.month.run_month (import every feed into the ledger, screen, register the
warned households, store warnings and verification tasks), then runs it again on the same
files (a no-op). Prints rows per second, warnings and households stored per second, the
ledger file's size and the process's peak resident memory (getrusage). With
``--monitor-low-income`` the assisted households (about 12 %) are first put under
monitoring with their facts, screened in one pass, as the demo does
(``--per-case``: each assessed one by one, as before, to compare). Not a test: figures depend
on the machine."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from aidrules.columnar import Screener
from aidrules.engine import Assessor
from aidrules.ledger import Ledger
from aidrules.model import application_from_dict
from aidrules.monitoring import load_mapping, load_warning_rules, read_register
from aidrules.monitoring.synthetic import Facts, generate
from aidrules.month import FeedFile, monitor, run_month
from aidrules.rulebook import load_rulebook

MONTH, TODAY = date(2025, 3, 1), date(2025, 3, 31)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--monitor-low-income", action="store_true")
    parser.add_argument("--per-case", action="store_true",
                        help="put them under monitoring assessed one by one (as before "
                             "the screening), to compare")
    args = parser.parse_args()
    assessor = Assessor(load_rulebook("rules", "policies"))
    screener = Screener(assessor.book)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        manifest = generate(out, args.households, args.seed, MONTH)
        print(f"generate: {args.households:,} households, {manifest['people']:,} people in "
              f"{time.perf_counter() - started:.1f} s")
        feeds = [FeedFile(load_mapping(f"feeds/{name}.yaml"),
                          out / "feeds" / manifest["month"] / feed["file"])
                 for name, feed in manifest["feeds"].items()]
        register, facts = read_register(out / "register"), Facts(out / "register")
        print(f"register and facts read; peak RSS {peak_rss_mb():.0f} MB")
        ledger = Ledger.open(out / "ledger.db", assessor=assessor)

        def facts_of(household_id: str):
            return application_from_dict(facts.application(household_id, TODAY))

        if args.monitor_low_income:
            started, cpu = time.perf_counter(), time.process_time()
            low_income = ((h, row["grid"], facts_of(h)) for h, row in facts.households.items()
                          if row["status"] != "none")
            count = (ledger.register_households(low_income, MONTH) if args.per_case
                     else monitor(ledger, low_income, MONTH, screener))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"low-income households under monitoring "
                  f"({'assessed one by one' if args.per_case else 'screened in one pass'}): "
                  f"{count:,} in {elapsed:.1f} s ({cpu:.1f} s CPU) = "
                  f"{count / elapsed:,.0f} households/s")

        started = time.perf_counter()
        month = run_month(ledger, register, load_warning_rules("warnings"), feeds, TODAY,
                          facts_of, engine=assessor.engine, screener=screener)
        elapsed = time.perf_counter() - started
        rows = sum(i.report.rows for i in month.imports)
        rejects = sum(i.report.rejected for i in month.imports)
        tasks = sum(1 for w in month.warnings if w.task_id is not None)
        print(f"month: {rows:,} rows ({rejects:,} rejects kept), "
              f"{len(month.warnings):,} warnings, {tasks:,} verification tasks, "
              f"{month.discovered:,} discovered, {month.registered:,} households registered "
              f"on warning, in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s end to end; "
              f"peak RSS {peak_rss_mb():.0f} MB")
        for phase, seconds in month.seconds.items():
            print(f"  {phase}: {seconds:.2f} s")
        imported = month.seconds["import"]
        print(f"  import into the ledger: {rows / imported:,.0f} rows/s")

        started = time.perf_counter()
        again = run_month(ledger, register, load_warning_rules("warnings"), feeds, TODAY,
                          facts_of, engine=assessor.engine, screener=screener)
        print(f"the same month again: {len(again.warnings)} warnings, "
              f"{sum(i.stored.is_repeat for i in again.imports)} of {len(feeds)} files "
              f"recognised, in {time.perf_counter() - started:.1f} s")
        size = (out / "ledger.db").stat().st_size
        print(f"ledger: {size / 2**20:.1f} MB; peak RSS {peak_rss_mb():.0f} MB")
        ledger.close()


if __name__ == "__main__":
    main()
