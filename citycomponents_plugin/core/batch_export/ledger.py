"""部件总表.xlsx: the component ledger for Excel, codes as text cells, split across sheets past Excel's row limit.

Why beside 部件总表.csv: Excel opening the csv by double-click reads a 16-digit 标识码 as a number
(1.10101E+15, digits lost). The csv stays plain text for tools; this workbook is the one to open in Excel.
"""

from __future__ import annotations

from typing import Sequence

from citycomponents_plugin.core.files.atomic import atomic_file
from citycomponents_plugin.core.files.workbook import SheetData, display_width, write_workbook

LEDGER_XLSX_NAME = "部件总表.xlsx"
LEDGER_SHEET = "部件总表"
EXCEL_MAX_ROWS = 1_048_576  # rows in one Excel sheet, the header row included
WIDTH_SAMPLE = 5000  # rows looked at for the column widths


def ledger_sheet_titles(count: int) -> list:
    """部件总表, 部件总表 (2), ... for `count` sheets."""
    return [LEDGER_SHEET if n == 0 else f"{LEDGER_SHEET} ({n + 1})" for n in range(count)]


def write_ledger_workbook(path: str, headers: Sequence[str], rows: Sequence[Sequence],
                          max_rows: int = EXCEL_MAX_ROWS) -> int:
    """Write the ledger; returns the number of sheets. Each sheet has the header and at most
    `max_rows - 1` components (a parameter so that the split can be tested on a few rows)."""
    per_sheet = max(max_rows - 1, 1)
    sample = rows[:WIDTH_SAMPLE]
    widths = [max([display_width(h)] + [display_width(str(r[c])) for r in sample]) for c, h in enumerate(headers)]
    count = max(1, -(-len(rows) // per_sheet))
    sheets = []
    for n, title in enumerate(ledger_sheet_titles(count)):
        part = rows[n * per_sheet:(n + 1) * per_sheet]
        sheets.append(SheetData(title, headers, part, len(part), widths))
    with atomic_file(path) as fh:
        write_workbook(fh, sheets)
    return count
