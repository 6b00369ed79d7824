"""Hostile department files through the real import: no traceback, and every record
counted (imported + rejected + blank = rows; the lines counted apart from the reader are
the lines the rows cover). Bounded for CI; benchmarks/fuzz_feeds.py runs longer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.monitoring.hostile import (
    broken_xlsx_files,
    check_import,
    csv_files,
    csv_lines,
    xlsx_files,
)

FUZZ = settings(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(FUZZ, max_examples=500)
@given(csv_files())
def test_any_csv_is_read_or_refused_with_every_line_in_a_row(data):
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "feed.csv"
        path.write_bytes(data)
        assert check_import(path, csv_lines(data)) == "read"


@settings(FUZZ, max_examples=60)
@given(xlsx_files())
def test_any_sheet_is_read_with_every_row_counted(made):
    data, rows = made
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "feed.xlsx"
        path.write_bytes(data)
        assert check_import(path, rows) == "read"


@settings(FUZZ, max_examples=100)
@given(broken_xlsx_files())
def test_a_damaged_workbook_is_read_or_refused_in_one_line(data):
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "feed.xlsx"
        path.write_bytes(data)
        assert check_import(path, None) in ("read", "refused")
