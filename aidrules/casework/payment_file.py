"""The payment roll as a file (CSV or Excel), in the layout docs/payments.md describes:
one line per household, aid and month paid for, then one totals line. Identity numbers
are masked (first 6 and last 4 kept) unless the file is the one for the paying bank,
which asks for them whole (``full_ids=True``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from aidrules.casework.payments import Payment, Totals, totals
from aidrules.model import mask_id_text

COLUMNS = (
    ("no", "序号"), ("household", "户编号"), ("head_name", "户主姓名"),
    ("id_number", "身份证号码"), ("members", "家庭人数"), ("aid", "救助类别"),
    ("month", "所属月份"), ("basis", "计发依据"), ("arrears", "补发"),
    ("gross", "应发金额"), ("recovered", "扣回多发"), ("net", "实发金额"),
    ("overpayment", "多发记录号"), ("payment", "明细号"),
)
BASIS_WORDS = {"month": "按月", "grace": "渐退期", "year": "按年", "once": "一次性"}


@attrs.frozen
class RollLine:
    """A roll line with what the file shows of the household."""
    payment: Payment
    payment_id: int
    head_name: str
    head_id_number: str  # whole: masked on the way out unless the bank's file
    size: int


def rows(lines: Sequence[RollLine], aid_names: dict[str, str], full_ids: bool = False
         ) -> list[list[str]]:
    """The header (Chinese, then English ids), the lines, and the totals line."""
    table = [[zh for _, zh in COLUMNS], [en for en, _ in COLUMNS]]
    for number, line in enumerate(lines, 1):
        p = line.payment
        table.append([
            str(number), p.household, line.head_name,
            line.head_id_number if full_ids else mask_id_text(line.head_id_number),
            str(line.size), aid_names.get(p.aid, p.aid), f"{p.month:%Y-%m}",
            BASIS_WORDS.get(p.basis, p.basis), "是" if p.arrears else "否",
            _money(p.gross), _money(p.recovered), _money(p.net),
            "" if p.overpayment is None else str(p.overpayment), str(line.payment_id)])
    table.append(totals_row(totals([line.payment for line in lines])))
    return table


def totals_row(sums: Totals) -> list[str]:
    """合计: the lines and households counted, the money summed (arrears in the basis cell)."""
    return ["合计", f"{sums.households} 户", "", "", "", "", "", f"补发 {_money(sums.arrears)}",
            f"{sums.lines} 笔", _money(sums.gross), _money(sums.recovered), _money(sums.net),
            "", ""]


def write_csv(path: Path, lines: Sequence[RollLine], aid_names: dict[str, str],
              full_ids: bool = False) -> None:
    """UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows(lines, aid_names, full_ids))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def write_xlsx(path: Path, lines: Sequence[RollLine], aid_names: dict[str, str], month: date,
               jurisdiction: str, full_ids: bool = False) -> None:
    """One sheet named after the month; money cells are numbers with two decimals (the
    exact fen as written), identity numbers text."""
    import openpyxl  # only for Excel files

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    table = rows(lines, aid_names, full_ids)
    money = {index for index, (name, _) in enumerate(COLUMNS)
             if name in ("gross", "recovered", "net")}
    for number, row in enumerate(table):
        body = number >= 2  # below the two header rows: the lines and the totals
        sheet.append([Decimal(cell) if body and i in money else cell
                      for i, cell in enumerate(row)])
        if body:
            for i in money:
                sheet.cell(row=number + 1, column=i + 1).number_format = "0.00"
    sheet.freeze_panes = "A3"
    book.properties.title = f"{jurisdiction} {month:%Y-%m} 发放名册"
    book.save(path)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"
