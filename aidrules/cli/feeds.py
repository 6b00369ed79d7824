"""``aidrules feeds import`` and ``aidrules county generate``: thin commands over the library.

Registered in :mod:`aidrules.cli` with ``app.add_typer``; the library is
:mod:`aidrules.monitoring`."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from aidrules.cli.console import day, err, fail, say
from aidrules.compose import located
from aidrules.errors import AidrulesError
from aidrules.monitoring.feed import FeedImport, shown_cells
from aidrules.monitoring.mapping import load_mapping
from aidrules.monitoring.records import Event, Reject
from aidrules.monitoring.register import read_register
from aidrules.monitoring.screening import Monitor
from aidrules.monitoring.synthetic import generate
from aidrules.monitoring.warnings import load_warning_rules

feeds_app = typer.Typer(name="feeds", help="Import department feeds (数据预警).",
                        no_args_is_help=True)
county_app = typer.Typer(name="county", help="A synthetic county for tests and benchmarks.",
                         no_args_is_help=True)
PROGRESS_EVERY = 2000  # rows between progress-bar updates


@feeds_app.command("import")
def import_command(
    mapping: Annotated[Path, typer.Argument(help="The feed's mapping file (feeds/*.yaml).")],
    file: Annotated[Path, typer.Argument(help="The department's CSV or .xlsx file.")],
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Write every rejected row (line, reason, cells) to this CSV.")] = None,
    register: Annotated[Path | None, typer.Option(
        "--register", help="Match against this register (households.csv, people.csv) and "
        "screen with the warning rules.")] = None,
    warnings: Annotated[Path | None, typer.Option("--warnings", help="The warning rules; "
        "default: $AIDRULES_WARNINGS, aidrules.toml, ./warnings, or the shipped ones.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Screen as of (YYYY-MM-DD).")] = None,
    policies: Annotated[Path | None, typer.Option(
        "--policies", help="The policy tree the warning thresholds come from; default: as "
        "for assess.")] = None,
    jurisdiction: Annotated[str, typer.Option(
        "--jurisdiction", help="Whose warning thresholds apply, e.g. heilongjiang/yichun/tieli."
    )] = "national",
) -> None:
    """Import one feed: count events and rejects; optionally match and raise warnings.

    Exit 0: the file was read; rejected rows (if any) are counted and listed. Exit 1: the
    file, the mapping, the register or the warning rules could not be read, or the file
    has a file-level problem (empty, a mapped column missing), with one line on stderr.
    """
    today = day(on) or date.today()
    try:
        monitor = None if register is None else _monitor(
            register, located("warnings", warnings), located("policies", policies), jurisdiction)
        feed = FeedImport(load_mapping(mapping), file)
        events = _read(feed, rejects, keep=register is not None)
    except (AidrulesError, OSError) as exc:
        fail(str(exc))
    report = feed.report
    say(f"{file}: {report.rows} rows: {report.imported} imported, {report.rejected} rejected, "
         f"{report.blank} blank; {report.lines} {_units(feed)} in the file, each in a row or "
         "the header")
    for reason, count in sorted(report.reasons.items()):
        say(f"  rejected, {reason}: {count}")
    if report.problems:
        fail(f"{file}: " + "; ".join(report.problems))
    if monitor is not None:
        _screen(monitor, events, today)


def _units(feed: FeedImport) -> str:
    return "sheet rows" if feed.table.is_excel else "lines"


def _read(feed: FeedImport, rejects_path: Path | None, keep: bool) -> list[Event]:
    """The events (kept only when they are to be screened: otherwise memory stays flat)."""
    events: list[Event] = []
    writer = None
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]}"
                  " rows"), TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task(feed.table.path.name, total=feed.table.size, rows=0)
        with _rejects_file(rejects_path) as rejects_file:
            if rejects_file is not None:
                writer = csv.writer(rejects_file)
                writer.writerow(("line", "reason", "cells"))
            for n, item in enumerate(feed, start=1):
                if isinstance(item, Reject) and writer is not None:
                    cells = shown_cells(item, feed.header, feed.mapping)
                    writer.writerow(map(spreadsheet_safe, (
                        str(item.line), item.reason, " | ".join(cells))))
                elif keep and isinstance(item, Event):
                    events.append(item)
                if n % PROGRESS_EVERY == 0:
                    progress.update(task, completed=feed.table.position, rows=n)
    return events


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet would read as a formula, written as text (OWASP: a leading ')."""
    return "'" + text if text.startswith(_FORMULA_START) else text


class _rejects_file:
    def __init__(self, path: Path | None) -> None:
        self.path, self.file = path, None

    def __enter__(self):
        if self.path is not None:
            self.file = self.path.open("w", encoding="utf-8-sig", newline="")
        return self.file

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()


def _monitor(register_dir: Path, warnings_dir: Path, policies: Path,
             jurisdiction: str) -> Monitor:
    """The register and the warning rules, checked before the file is read."""
    needed = [name for name in ("households.csv", "people.csv")
              if not (register_dir / name).is_file()]
    if needed:
        fail(f"{register_dir}: not a register: no " + " or ".join(needed))
    if not warnings_dir.is_dir():
        fail(f"{warnings_dir}: no warning rules (no such directory); pass --warnings DIR")
    return Monitor(read_register(register_dir),
                   load_warning_rules(warnings_dir, policies, jurisdiction))


def _screen(monitor: Monitor, events: list[Event], today: date) -> None:
    result = monitor.screen(events, today)
    say(f"matched {result.matched}, discovered {len(result.discovered)}, name mismatches "
         f"{len(result.mismatches)}, warnings {len(result.warnings)}")
    for mismatch in result.mismatches:
        say(f"  name mismatch: {mismatch}")
    for (rule, colour), count in sorted(Counter((w.rule_id, w.colour)
                                                for w in result.warnings).items()):
        say(f"  {colour:6} {rule}: {count}")


@county_app.command("generate")
def generate_command(
    out_dir: Annotated[Path, typer.Argument(help="Where to write register/ and feeds/.")],
    households: Annotated[int, typer.Option("--households", min=1, max=1_000_000)] = 1000,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    month: Annotated[str, typer.Option("--month", help="The feeds' month, YYYY-MM.")] = "2025-03",
    broken_rate: Annotated[float, typer.Option("--broken-rate", min=0.0, max=1.0)] = 0.02,
) -> None:
    """Write a seeded synthetic county and one month of its department feeds."""
    manifest = generate(out_dir, households, seed, date.fromisoformat(month + "-01"),
                        broken_rate)
    say(f"{out_dir}: {manifest['households']} households, {manifest['people']} people")
    for feed in manifest["feeds"].values():
        say(f"  feeds/{manifest['month']}/{feed['file']}: {feed['good']} good rows, "
             f"{feed['broken']} broken on purpose")
