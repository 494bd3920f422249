"""Write-only openpyxl workbooks with the house style: codes as text, bold frozen header, autofilter, widths.

Values from the data are data: a string openpyxl would store as a formula (`=1+2`) or an error
(`#N/A`) is forced to a text cell. Codes are always strings, so Excel never turns a 16-digit 标识码
into 1.10101E+15. Rows are prepared once per component (`prepare_row`) and streamed, so a workbook
costs about what a bare write-only loop costs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Optional, Sequence, Union

import numpy as np

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.sanitize import XLSX_UNSAFE, Replacements, xlsx_text

COUNT_FORMAT = "#,##0"
MIN_WIDTH, MAX_WIDTH = 6, 60
# openpyxl reads these strings as error cells and a leading '=' as a formula (openpyxl.cell.cell).
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# A value starting with '=' or '#' (formula, error code) or holding a character XML cannot hold (sanitize.py),
# in "\n"-joined values.
_XLSX_SLOW = re.compile(r"(?:^|\n)[=#]|" + XLSX_UNSAFE.pattern)


def load_openpyxl():
    """The openpyxl module, or an error that says how to install it."""
    try:
        import openpyxl  # optional dependency: imported where needed
    except ImportError as exc:
        raise CityComponentsError("openpyxl_missing", "FORMATS") from exc
    return openpyxl


def openpyxl_available() -> bool:
    try:
        load_openpyxl()
    except CityComponentsError:
        return False
    return True


class TextRow(tuple):
    """A prepared row holding a value openpyxl would misread (formula/error): written cell by cell as text."""


def needs_text_cell(value: object) -> bool:
    return isinstance(value, str) and ((len(value) > 1 and value[0] == "=") or value in _ERROR_CODES)


def clean_text(value: str) -> str:
    """Replace characters XML 1.0 cannot hold and noncharacters (openpyxl or lxml would refuse the file)."""
    return xlsx_text(value)


def prepare_row(values: Sequence, replacements: Optional[Replacements] = None, owner: tuple = ()) -> tuple:
    """Cleaned values as a tuple; a TextRow when some value must be forced to text.

    Called once per component: the common all-text row is checked with one regex over the joined values.
    A replaced value is recorded in `replacements` (when given) under `owner`.
    """
    row = tuple(values)
    try:
        joined = "\n".join(row)
    except TypeError:  # numbers in the row
        joined = None
    if joined is not None and not _XLSX_SLOW.search(joined):
        return row
    if replacements is not None:
        replacements.check_xlsx(owner, row)
    row = tuple(clean_text(v) if isinstance(v, str) else v for v in row)
    if any(needs_text_cell(v) for v in row):
        return TextRow(row)
    return row


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and other wide characters count as two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def display_widths(values: Sequence[str]) -> np.ndarray:
    """display_width of each value, fast for many values (ASCII by length, others once per distinct value)."""
    count = len(values)
    widths = np.fromiter(map(len, values), dtype=np.int32, count=count)
    ascii_ = np.fromiter(map(str.isascii, values), dtype=bool, count=count)
    cache: dict = {}
    for i in np.nonzero(~ascii_)[0].tolist():
        v = values[i]
        w = cache.get(v)
        if w is None:
            w = cache[v] = display_width(v)
        widths[i] = w
    return widths


def column_width(chars: int) -> float:
    return float(min(max(chars + 2, MIN_WIDTH), MAX_WIDTH))


@dataclass
class SheetData:
    """One sheet: header, prepared rows (streamed), display widths per column, count columns (0-based)."""

    title: str
    headers: Sequence[str]
    rows: Iterable
    row_count: int
    widths: Sequence[int]
    count_columns: Sequence[int] = ()
    footer: Optional[Sequence] = None  # a bold totals row below the autofilter range


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


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
        elif col in self.count_columns and isinstance(value, int):
            c.number_format = COUNT_FORMAT
        if bold:
            c.font = self.bold
        return c

    def row(self, values: Sequence, bold: bool = False) -> list:
        return [self.cell(col, v, bold) for col, v in enumerate(values)]


def write_workbook(target: Union[str, BinaryIO], sheets: Sequence[SheetData]) -> None:
    """Write the sheets into a new write-only workbook, to a path or a binary file (the caller makes it atomic)."""
    openpyxl = load_openpyxl()
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
        append = ws.append
        if sheet.count_columns:
            counted = maker.count_columns
            for row in sheet.rows:
                # A zero looks the same in any number format: only non-zero counts pay for a styled cell
                # (most of a grid cross-tab is zeros).
                append([maker.cell(c, v) if ((c in counted and v) or type(row) is TextRow) else v
                        for c, v in enumerate(row)])
        else:
            for row in sheet.rows:
                if type(row) is TextRow:
                    row = maker.row(row)
                append(row)
        if sheet.footer is not None:
            ws.append(maker.row(prepare_row(sheet.footer), bold=True))
    wb.save(target)
