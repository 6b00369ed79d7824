"""Every row of a department file is accounted for against a count made apart from the
reader: the CSV's physical lines, the sheet's rows as its XML numbers them. A file that
loses rows exits 1 with the reason, never 0."""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from aidrules.model.identity import make_id_number
from aidrules.monitoring import import_feed, load_mapping
from aidrules.monitoring.records_csv import MAX_CELL_LINES

BILLS = load_mapping("feeds/medical_insurance.yaml")
HEADER = ["身份证号码", "姓名", "结算日期", "个人自付金额", "医疗机构"]


def bill(n: int) -> list[str]:
    """A good row; each n a different person, so no row repeats another."""
    person = make_id_number("230781", date(1960, 1, 1) + timedelta(days=n), 10 + n % 900)
    return [person, "王伟", "2025-03-01", f"{100 + n}.00", "铁力市人民医院"]


def write_csv(path: Path, rows: list[list[str]], ending: str = "\n") -> Path:
    path.write_bytes(ending.join(",".join(r) for r in [HEADER, *rows]).encode() + ending.encode())
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def accounted(path: Path):
    events, rejects, report = import_feed(BILLS, path)
    assert report.rows == report.imported + report.rejected + report.blank
    return events, rejects, report


def test_an_unmatched_quote_costs_its_own_line_and_no_other(tmp_path):
    rows = [bill(n) for n in range(200)]
    rows[20][1] = '"王伟'  # opens a quote that never closes
    events, rejects, report = accounted(write_csv(tmp_path / "quote.csv", rows))
    assert (report.rows, report.imported, report.rejected) == (200, 199, 1)
    assert [(r.line, r.reason.split(":")[0]) for r in rejects] == [(22, "unmatched quote")]
    assert report.lines == 201 and report.problems == []


def test_a_line_rejected_for_an_unmatched_quote_keeps_its_text(tmp_path):
    rows = [bill(n) for n in range(3)]
    rows[1][1] = '"王伟'
    _, rejects, _ = accounted(write_csv(tmp_path / "quote.csv", rows))
    assert rejects[0].raw == (",".join(rows[1]),)


def test_an_unmatched_quote_near_the_end_of_the_file_is_rejected_alone(tmp_path):
    rows = [bill(n) for n in range(5)]
    rows[3][4] = '"铁力市人民医院'
    _, rejects, report = accounted(write_csv(tmp_path / "quote.csv", rows))
    assert (report.imported, [r.line for r in rejects]) == (4, [5])


def test_a_stray_quote_closed_lines_later_does_not_merge_the_rows_between(tmp_path):
    rows = [bill(n) for n in range(10)]
    rows[2][1], rows[4][1] = '"王伟', '王伟"'
    events, rejects, report = accounted(write_csv(tmp_path / "quote.csv", rows))
    assert report.rows == 10 and report.imported == 9 and [r.line for r in rejects] == [4]
    assert [e.line for e in events] == [2, 3, 5, 6, 7, 8, 9, 10, 11]
    assert events[3].name == '王伟"'  # a quote inside an unquoted cell is a character


def test_a_quoted_cell_over_several_lines_is_one_row(tmp_path):
    rows = [bill(n) for n in range(3)]
    rows[1][4] = '"铁力市人民医院\n住院部"'
    events, rejects, report = accounted(write_csv(tmp_path / "multi.csv", rows))
    assert rejects == [] and events[1].detail("hospital") == "铁力市人民医院\n住院部"
    assert (events[1].line, report.lines, report.problems) == (4, 5, [])


def test_a_quoted_cell_may_not_run_over_more_than_the_limit(tmp_path):
    rows = [bill(n) for n in range(3)]
    rows[1][4] = '"' + "\n" * (MAX_CELL_LINES + 1) + '"'
    _, rejects, report = accounted(write_csv(tmp_path / "long.csv", rows))
    assert rejects[0].line == 3 and rejects[0].reason.startswith("unmatched quote")
    assert report.imported == 2 and report.problems == []


def test_cr_only_line_endings_are_read_as_lines(tmp_path):
    events, rejects, report = accounted(write_csv(tmp_path / "mac.csv",
                                                  [bill(n) for n in range(4)], ending="\r"))
    assert (len(events), rejects, report.lines, report.problems) == (4, [], 5, [])
    assert events[-1].line == 5


def test_crlf_line_endings_are_read_as_lines(tmp_path):
    events, _, report = accounted(write_csv(tmp_path / "dos.csv", [bill(n) for n in range(4)],
                                            ending="\r\n"))
    assert len(events) == 4 and report.lines == 5


def test_an_unmatched_quote_in_the_header_is_a_file_level_problem(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text('"身份证号码,姓名\n' + ",".join(bill(1)) + "\n", encoding="utf-8")
    _, rejects, report = accounted(path)
    assert report.problems[0].startswith("the header row cannot be read: unmatched quote")
    assert report.rows == 1 and report.rejected == 1


def test_a_stale_dimension_does_not_hide_the_rows_after_it(tmp_path):
    path = write_xlsx(tmp_path / "stale.xlsx", [bill(n) for n in range(200)])
    rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E151"',
                                           xml))
    events, rejects, report = accounted(path)
    assert (report.rows, len(events), rejects, report.lines) == (200, 200, [], 201)
    assert report.problems == []


def test_a_formula_without_a_cached_value_is_rejected_not_read_as_empty(tmp_path):
    rows = [bill(n) for n in range(3)]
    rows[1][3] = "=100+20"  # openpyxl writes the formula and no cached value
    events, rejects, _ = accounted(write_xlsx(tmp_path / "formula.xlsx", rows))
    assert len(events) == 2
    assert [(r.line, r.reason.split(":")[0]) for r in rejects] == [
        (3, "formula without a cached value")]
    assert "个人自付金额" in rejects[0].reason


def test_a_row_holding_only_an_uncached_formula_is_not_blank(tmp_path):
    path = write_xlsx(tmp_path / "formula.xlsx", [bill(1), [None, None, None, "=1+1"]])
    _, rejects, report = accounted(path)
    assert report.blank == 0 and rejects[0].reason.startswith("formula without a cached value")


def test_a_formula_with_a_cached_value_reads_as_its_value(tmp_path):
    path = write_xlsx(tmp_path / "cached.xlsx", [bill(1)])
    rewrite_sheet(path, lambda xml: xml.replace(b"<v>101.00</v>", b"<f>100+1</f><v>101</v>")
                  if b"<v>101.00</v>" in xml else re.sub(
                      rb"<c r=\"D2\" t=\"inlineStr\"><is><t>101.00</t></is></c>",
                      b'<c r="D2"><f>100+1</f><v>101</v></c>', xml))
    events, rejects, _ = accounted(path)
    assert rejects == [] and str(events[0].amount) == "101.00"


def test_sheet_rows_numbered_out_of_order_are_a_file_level_problem(tmp_path):
    path = write_xlsx(tmp_path / "order.xlsx", [bill(n) for n in range(3)])
    rewrite_sheet(path, lambda xml: xml.replace(b'<row r="4"', b'<row r="2"'))
    _, _, report = accounted(path)
    assert any("numbered at or before an earlier row" in p for p in report.problems)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_an_xlsx_whose_xml_declares_a_doctype_is_refused_in_one_line(tmp_path, part):
    from aidrules.monitoring.tables import FeedFileError
    path = write_xlsx(tmp_path / "dtd.xlsx", [bill(1)])
    rewrite_sheet(path, lambda xml: with_doctype(xml).replace("王伟".encode(), b"&a;").replace(
        b'name="Sheet"', b'name="&a;"'), part=part)
    with pytest.raises(FeedFileError, match="not a readable Excel workbook") as raised:
        import_feed(BILLS, path)
    assert "\n" not in str(raised.value) and "root:" not in str(raised.value)


def test_a_sheet_declaring_a_doctype_is_refused_even_if_no_entity_is_used(tmp_path):
    from aidrules.monitoring.tables import FeedFileError
    path = write_xlsx(tmp_path / "dtd.xlsx", [bill(1)])
    rewrite_sheet(path, with_doctype)
    with pytest.raises(FeedFileError, match="declares a DOCTYPE"):
        import_feed(BILLS, path)


def with_doctype(xml: bytes) -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
    if xml.startswith(b"<?xml"):
        return xml.replace(b"?>", b"?>" + doctype, 1)
    return doctype + xml


def rewrite_sheet(path: Path, change, part: str = "xl/worksheets/sheet1.xml") -> None:
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_sheet_row_the_reader_does_not_see_is_a_file_level_problem(tmp_path):
    """A <row> outside the sheet's namespace is skipped by openpyxl but counted from the XML."""
    path = write_xlsx(tmp_path / "hidden.xlsx", [bill(n) for n in range(3)])
    rewrite_sheet(path, lambda xml: xml.replace(b'<row r="4"', b'<row xmlns="" r="4"'))
    _, _, report = accounted(path)
    assert report.rows == 2 and report.lines == 4
    assert report.problems == ["rows not accounted for: the file has 4 sheet rows, the rows "
                               "read cover 3"]


def test_a_quoted_cell_over_a_line_holding_a_lone_cr_is_read_without_a_traceback(tmp_path):
    """Found by the fuzz suite: the line after an opened quote could not be split alone."""
    path = tmp_path / "cr.csv"
    path.write_bytes(",".join(HEADER).encode() + b'\n"""","""","""","""","\n\r"\n')
    _, rejects, report = accounted(path)
    assert report.lines == 3 and report.problems == [] and report.rows == len(rejects) == 1


# Found by benchmarks/fuzz_feeds.py: damaged sheets that openpyxl's reader or zlib raised on.
@pytest.mark.parametrize("cell", [
    b'<c r="A2" t="s"><v>99</v></c>',  # a shared string the workbook does not have
    b'<c r="A2" t="d"><v>x</v></c>',  # a date that is no date
    b'<c r="A2" t="n"><v>7"3</v></c>',  # a number that is no number
    b'<c r="ZZZZZZ2"><v>1</v></c>',  # a column past XFD
    b'<c r="&gt;"><v>1</v></c>',  # a reference that is no reference
])
def test_a_sheet_with_a_cell_openpyxl_cannot_read_is_refused_in_one_line(tmp_path, cell):
    from aidrules.monitoring.tables import FeedFileError
    path = write_xlsx(tmp_path / "cell.xlsx", [bill(1)])
    rewrite_sheet(path, lambda xml: re.sub(rb'<c r="A2"[^>]*>.*?</c>', cell, xml, count=1))
    with pytest.raises(FeedFileError, match="not a readable Excel workbook") as raised:
        import_feed(BILLS, path)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_whose_compressed_data_is_damaged_is_refused_in_one_line(tmp_path, part):
    from aidrules.monitoring.tables import FeedFileError
    path = write_xlsx(tmp_path / "zip.xlsx", [bill(n) for n in range(50)])
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + info.compress_size // 3, start + info.compress_size // 3 + 6):
        data[at] ^= 0x5A  # the deflate stream damaged, the zip's directory intact
    path.write_bytes(bytes(data))
    with pytest.raises(FeedFileError, match="not a readable Excel workbook") as raised:
        import_feed(BILLS, path)
    assert "\n" not in str(raised.value)
