"""Hostile department files, shared by the fuzz tests (test_fuzz_feeds.py) and the longer
run (benchmarks/fuzz_feeds.py): CSV with stray quotes, every line ending, NULs, huge
fields, formulas, junk bytes and four encodings; xlsx sheets with formulas and no cached
value, stale dimensions, dates, numbers and empty rows. And the invariant every import
keeps: no exception but a file-level :class:`FeedFileError`, and every record counted,
``imported + rejected + blank = rows`` and the lines counted here, apart from the reader,
equal to the lines the rows cover."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from aidrules.model.identity import validate_id_number
from aidrules.monitoring import import_feed, load_mapping
from aidrules.monitoring.tables import FeedFileError
from aidrules.testing import id_numbers

ROOT = Path(__file__).resolve().parents[2]
BILLS = load_mapping(ROOT / "feeds" / "medical_insurance.yaml")
HEADER = ["身份证号码", "姓名", "结算日期", "个人自付金额", "医疗机构"]
TRICKS = ['"', '""', '"王伟', '王伟"', "=1+1", "+1", "-1", "@SUM(A1)", "\x00", "\r", "\n",
          "\r\n", ",", "\ufeff", "\t", " ", "2025-03-01", "2025/3/1", "20250301", "100.00",
          "1,234.50", "¥100元", "NaN", "sNaN", "1e999999", "-0", "王伟", "铁力市人民医院"]


def cells() -> st.SearchStrategy[str]:
    return st.one_of(id_numbers(), st.sampled_from(TRICKS), st.text(max_size=12),
                     st.text(alphabet='",\r\n\x00 =+-@x', max_size=8))


def _rows(cell: st.SearchStrategy) -> st.SearchStrategy[list[list]]:
    good = id_numbers().map(lambda n: [n, "王伟", "2025-03-01", "100.00", "医院"])
    return st.lists(st.one_of(good, st.lists(cell, max_size=7)), max_size=25)


@st.composite
def csv_files(draw) -> bytes:
    """The bytes of a CSV file meant to break the reader."""
    header = draw(st.sampled_from([HEADER, HEADER, HEADER[::-1], HEADER[:3]]))
    rows = [header, *draw(_rows(cells()))]
    if len(rows) > 1 and rows[-1] and draw(st.integers(0, 9)) == 0:  # one huge cell
        rows[-1][0] = "长" * draw(st.sampled_from([1_000, 131_073, 200_000]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):  # written as a program would, quotes doubled
        out = io.StringIO()
        csv.writer(out, lineterminator=ending).writerows(rows)
        text = out.getvalue()
    else:  # joined by hand, quotes and line breaks left as they are
        text = "".join(",".join(row) + ending for row in rows)
    if draw(st.booleans()):
        text = text[:draw(st.integers(0, len(text)))]  # cut anywhere
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])))
    if draw(st.booleans()):  # junk bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=6)) + data[at:]
    return data


def xlsx_cells() -> st.SearchStrategy:
    text = st.one_of(cells(), st.sampled_from(["=1+1", "=A1*2", "=NOW()"])).map(
        lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
    return st.one_of(text, st.none(), st.integers(-10**15, 10**18),
                     st.floats(allow_nan=False, allow_infinity=False),
                     st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
                     st.booleans())


@st.composite
def xlsx_files(draw) -> tuple[bytes, int]:
    """The bytes of a workbook and the number of rows its sheet has (the header's included)."""
    rows = [HEADER, *draw(_rows(xlsx_cells()))]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if draw(st.booleans()):  # a <dimension> that stops early, as some exporters write it
        data = _rewrite(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"',
                                                 b'<dimension ref="A1:B2"', xml))
    return data, max(i for i, row in enumerate(rows, start=1) if row)


@st.composite
def broken_xlsx_files(draw) -> bytes:
    """A workbook whose sheet XML is cut, repeated or spliced with junk, or whose bytes are."""
    data, _ = draw(xlsx_files())
    if draw(st.integers(0, 4)) == 0:  # the zip itself damaged
        at = int(draw(st.floats(0, 1, exclude_max=True)) * len(data))  # workbooks differ
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1:]  # in time
    splices = draw(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.sampled_from([
        b"", b"<", b">", b'"', b"&", b"<row>", b'<row r="0">', b'<row r="x">', b'<c r="ZZZZZZ1">',
        b'<c r="A1" t="s"><v>99</v></c>', b'<c t="d"><v>x</v></c>', b'<c t="n"><v>1e999</v></c>',
        b"<f>1</f>", b"</c>", b"</row>", b"\x00", b"<!DOCTYPE x>", b"&#0;"])), min_size=1,
        max_size=4))
    return _rewrite(data, lambda xml: _splice(xml, splices))


def _splice(xml: bytes, splices) -> bytes:
    for start, length, junk in splices:
        at = int(start * len(xml))
        xml = xml[:at] + junk + xml[at + int(length * 40):]
    return xml


def _rewrite(data: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = change(parts[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for part, content in parts.items():
            new.writestr(part, content)
    return out.getvalue()


def csv_lines(data: bytes) -> int:
    """Physical lines, counted from the bytes: LF (CRLF) endings, or CR where the first
    megabyte has no LF; UTF-16 (a BOM) counted in characters."""
    head = data[:1 << 20]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
        head = data[:1 << 20]  # the sniff reads the decoded first megabyte of bytes: close
    ending = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
    return data.count(ending) + (1 if data and not data.endswith(ending) else 0)


def check_import(path: Path, lines: int | None) -> str:
    """Import ``path`` through the medical-bills mapping and check the invariant; returns
    'read' or 'refused' (a file-level error with its one-line message). Without ``lines``
    (a damaged file, nothing to count it by), rows not covering the file may be reported."""
    try:
        events, rejects, report = import_feed(BILLS, path)
    except FeedFileError as exc:
        assert "\n" not in str(exc)
        return "refused"
    assert report.rows == report.imported + report.rejected + report.blank, report
    assert (report.imported, report.rejected) == (len(events), len(rejects)), report
    if lines is not None:
        assert report.lines == lines, (report.lines, lines, report)
        assert not [p for p in report.problems if p.startswith("rows not accounted")], report
    for event in events:
        assert validate_id_number(event.id_number) == event.id_number
        assert event.amount is None or 0 <= event.amount < 10**12
    assert all(r.reason and r.line >= 1 for r in rejects)
    return "read"
