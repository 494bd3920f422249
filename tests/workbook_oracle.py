"""The house style written with openpyxl's own write-only writer: the oracle the XML writer is compared to."""

from __future__ import annotations

from typing import BinaryIO, Sequence, Union

import numpy as np
import openpyxl
from openpyxl.utils import get_column_letter as _letter

from citycomponents_plugin.core.files.workbook import COUNT_FORMAT, SheetData, column_width, prepare_row


class _CellMaker:
    """WriteOnlyCells for one sheet: text forced where needed, counts with a number format, bold."""

    def __init__(self, ws, count_columns: Sequence[int]):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.ws = ws
        self.cell_class = WriteOnlyCell
        self.bold = Font(bold=True)
        self.count_columns = frozenset(count_columns)

    def cell(self, col: int, value, bold: bool = False):
        c = self.cell_class(self.ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula or an error value
        elif col in self.count_columns and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            c.number_format = COUNT_FORMAT
        if bold:
            c.font = self.bold
        return c

    def row(self, values: Sequence, bold: bool = False) -> list:
        return [self.cell(col, v, bold) for col, v in enumerate(values)]


def openpyxl_workbook(target: Union[str, BinaryIO], sheets: Sequence[SheetData]) -> None:
    """The sheets as openpyxl writes them, cell by cell: strings as text, counts in COUNT_FORMAT, bold rows."""
    wb = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title)
        ncols = len(sheet.headers)
        for col, chars in enumerate(sheet.widths, start=1):
            ws.column_dimensions[_letter(col)].width = column_width(chars)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{_letter(max(ncols, 1))}{sheet.row_count + 1}"
        maker = _CellMaker(ws, sheet.count_columns)
        # Headers come from the data too (type names in cross-tabs): clean them like any value.
        ws.append(maker.row(prepare_row(sheet.headers), bold=True))
        for row in sheet.rows:
            ws.append(maker.row(row))
        if sheet.footer is not None:
            ws.append(maker.row(prepare_row(sheet.footer), bold=True))
    wb.save(target)
