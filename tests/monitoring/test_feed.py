"""Importing department feeds: every good row kept, every bad one rejected with its reason."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from aidrules.monitoring import Event, FeedImport, import_feed, load_mapping

HERE = Path(__file__).parent / "feeds"
BILLS = load_mapping("feeds/medical_insurance.yaml")
A, B, C = "23078119700102011X", "230781198506300226", "230781200112010330"


def read(name, mapping=BILLS):
    events, rejects, report = import_feed(mapping, HERE / name)
    assert report.imported == len(events) and report.rejected == len(rejects)
    assert report.rows == report.imported + report.rejected + report.blank
    return events, [(r.line, r.reason) for r in rejects], report


def test_a_good_row_becomes_an_event_with_exact_money_and_its_row_key():
    events, _, _ = read("bad_ids.csv")
    bill = events[0]
    assert bill == Event("medical_insurance", "medical_bill", A, "王伟", date(2025, 3, 1),
                         Decimal("25000.00"), (("hospital", "铁力市人民医院"),))
    assert bill.key[:5] == ("medical_insurance", A, "2025-03-01", "medical_bill", "25000.00")
    assert bill.line == 2


def test_the_row_key_covers_the_name_and_every_detail():
    bill = read("bad_ids.csv")[0][0]
    same = attrs.evolve(bill, line=9)
    assert same.key == bill.key
    assert attrs.evolve(bill, name="王卫").key != bill.key
    assert attrs.evolve(bill, details=(("hospital", "伊春市中心医院"),)).key != bill.key


def test_bad_identity_numbers_are_rejected_with_what_is_wrong():
    events, rejects, _ = read("bad_ids.csv")
    assert [e.id_number for e in events] == [A, B]
    assert events[1].amount == Decimal("1234.50")  # "1 234.50": a space as thousands separator
    assert rejects == [
        (3, "bad identity number: identity number check character is '0' but should be 'X'"),
        (4, "bad identity number: identity number must have 18 characters, got 17"),
        (5, "bad identity number: identity number holds birth date '19701302', which is not "
            "a real date"),
    ]


def test_dates_in_a_format_the_mapping_does_not_accept_are_rejected():
    events, rejects, _ = read("bad_dates.csv")
    assert [e.on for e in events] == [date(2025, 3, 1), date(2025, 3, 5)]
    formats = "%Y-%m-%d %Y/%m/%d %Y%m%d"
    assert rejects == [
        (3, f"unknown date format: '03.01.2025' matches none of {formats}"),
        (4, f"unknown date format: 'an empty cell' matches none of {formats}"),
        (5, f"unknown date format: '2025-02-30' matches none of {formats}"),
    ]


def test_amounts_must_be_exact_yuan_and_fen():
    events, rejects, _ = read("bad_amounts.csv")
    assert [e.amount for e in events] == [Decimal("1200.50")]
    assert rejects == [
        (2, "bad amount: '约100' is not a number"),
        (3, "bad amount: '-5' must be from zero to under a trillion yuan"),
        (4, "bad amount: '12.345' has more than two decimals (fen)"),
        (5, "bad amount: the amount cell is empty"),
    ]


def test_rows_with_extra_or_missing_cells_are_rejected_and_blank_rows_counted():
    events, rejects, report = read("extra_and_missing_cells.csv")
    assert [(e.line, e.amount) for e in events] == [(7, Decimal("7.00"))]
    assert rejects == [
        (2, "extra cells: the row has 6 cells, the header 5"),
        (3, "missing cells: the row has 4 cells, the header 5"),
        (4, "missing cells: the row has 3 cells, the header 5"),
        (5, "missing name: the name cell is empty"),
    ]
    assert report.blank == 1 and report.rows == 6


def test_an_extra_column_in_the_header_is_ignored():
    events, rejects, report = read("extra_column.csv")
    assert [e.amount for e in events] == [Decimal("100.00"), Decimal("200.00")]
    assert rejects == [] and report.problems == []


def test_a_missing_column_rejects_every_row_with_the_column_named():
    events, rejects, report = read("missing_column.csv")
    assert events == []
    assert rejects == [(2, "missing column: 个人自付金额"), (3, "missing column: 个人自付金额")]
    assert report.problems == ["missing column(s) in the header: 个人自付金额"]


@pytest.mark.parametrize("name", ["empty.csv", "header_only.csv"])
def test_an_empty_file_imports_nothing_and_says_so(name):
    events, rejects, report = read(name)
    assert events == rejects == [] and report.rows == 0
    assert report.problems == (["the file is empty: no header row"] if name == "empty.csv"
                               else [])


@pytest.mark.parametrize("name", ["gbk.csv", "bom.csv"])
def test_gbk_and_utf8_with_bom_are_detected(name):
    events, rejects, _ = read(name)
    assert rejects == [] and events[0].name == "王伟"
    assert events[-1].detail("hospital").startswith(("铁力市", "医院"))


def test_a_gbk_file_declared_utf8_rejects_every_row_as_unreadable(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(Path("feeds/medical_insurance.yaml").read_text(encoding="utf-8")
                       + "encoding: utf-8\n", encoding="utf-8")
    events, rejects, report = read("gbk.csv", load_mapping(mapping))
    assert events == []
    # the header itself does not decode, so its columns are missing; no row is lost
    assert report.rejected == 2 and report.problems


def test_a_line_in_another_encoding_is_rejected_and_the_rest_kept():
    events, rejects, _ = read("mixed_encoding.csv")
    assert [e.id_number for e in events] == [A, C]
    assert rejects == [(3, "not utf-8 text: the row holds bytes the file's encoding cannot "
                           "read")]


def test_a_row_the_csv_reader_cannot_split_is_rejected_and_the_next_one_kept():
    events, rejects, _ = read("bad_quoting.csv")
    assert [e.on for e in events] == [date(2025, 3, 2)]
    assert rejects == [(2, "unreadable row: a line break inside a cell that is not in quotes")]


def test_a_utf16_tab_separated_export_is_read_but_its_columns_are_not_found():
    events, rejects, report = read("utf16_tabs.csv")
    assert events == [] and [line for line, _ in rejects] == [2]
    assert report.problems[0].startswith("missing column(s) in the header: 身份证号码")


def test_excel_dates_numbers_and_identity_numbers_stored_as_numbers():
    events, rejects, report = read("bills.xlsx")
    assert [(e.id_number, e.on, e.amount) for e in events] == [
        (A, date(2025, 3, 1), Decimal("25000.50")), (C, date(2025, 3, 3), Decimal("300.10"))]
    assert rejects == [
        (3, "bad identity number: stored as a number in the spreadsheet, which keeps only "
            "15 digits; format the column as text"),
        (6, "unknown date format: '3/4/2025' matches none of %Y-%m-%d %Y/%m/%d %Y%m%d"),
    ]
    assert report.blank == 1


def test_importing_streams_and_the_report_counts_as_it_goes():
    feed = FeedImport(BILLS, HERE / "bad_ids.csv")
    items = iter(feed)
    next(items)
    assert feed.report.imported == 1 and feed.table.position > 0
    rest = list(items)
    assert len(rest) == 4 and feed.table.position == feed.table.size


def test_every_row_of_every_test_feed_is_accounted_for():
    for path in sorted(HERE.iterdir()):
        _, _, report = import_feed(BILLS, path)
        lines = path.read_bytes().count(b"\n") if path.suffix == ".csv" else None
        if lines:
            assert report.rows == lines - 1, path.name


def test_date_formats_are_tried_in_the_mappings_order(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("source: s\nevent: death\ncolumns: {id_number: 身份证号, name: 姓名, "
                       "date: 日期}\ndate_formats: ['%Y%m%d', '%Y%d%m', '%Y-%m-%d']\n",
                       encoding="utf-8")
    feed = tmp_path / "f.csv"
    feed.write_text(f"身份证号,姓名,日期\n{A},王伟,20250102\n{A},王伟,20251301\n"
                    f"{A},王伟,2025-1-3\n{A},王伟,2025/01/04\n", encoding="utf-8")
    events, rejects, _ = import_feed(load_mapping(mapping), feed)
    assert [e.on for e in events] == [date(2025, 1, 2), date(2025, 1, 13), date(2025, 1, 3)]
    assert [r.reason for r in rejects] == [
        "unknown date format: '2025/01/04' matches none of %Y%m%d %Y%d%m %Y-%m-%d"]
