"""Workbooks in the house style: codes as text, bold frozen header, autofilter, widths, counts formatted.

Values from the data are data: a string that looks like a formula (`=1+2`) or an error (`#N/A`) is a
text cell. Codes are always strings, so Excel never turns a 16-digit 标识码 into 1.10101E+15. Rows are
prepared once per component (`prepare_row`) and streamed straight into the zip, as XML written here
(see the writer below for why not openpyxl); openpyxl stays the reader and the tests' oracle.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Optional, Sequence, Union

import numpy as np

from citycomponents_plugin.core.files.sanitize import XLSX_UNSAFE, Replacements, xlsx_text

COUNT_FORMAT = "#,##0"
MIN_WIDTH, MAX_WIDTH = 6, 60
def clean_text(value: str) -> str:
    """Replace characters XML 1.0 cannot hold and noncharacters (openpyxl or lxml would refuse the file)."""
    return xlsx_text(value)


def prepare_row(values: Sequence, replacements: Optional[Replacements] = None, owner: tuple = ()) -> tuple:
    """Cleaned values as a tuple.

    Called once per component: the common all-text row is checked with one regex over the joined values
    (a character XML cannot hold, sanitize.py). Formula-like values (`=1+2`, `#N/A`) need nothing: the
    writer writes every string as a text cell. A replaced value is recorded in `replacements` (when given)
    under `owner`.
    """
    row = tuple(values)
    try:
        joined = "\n".join(row)
    except TypeError:  # numbers in the row
        joined = None
    if joined is not None and not XLSX_UNSAFE.search(joined):
        return row
    if replacements is not None:
        replacements.check_xlsx(owner, row)
    return tuple(clean_text(v) if isinstance(v, str) else v for v in row)


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
    """Excel's column name of a 1-based column number: 1 A, 26 Z, 27 AA."""
    name = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


# ----- the writer --------------------------------------------------------------------------------------
# openpyxl costs about 150 us a row (a ledger of 168,000 components would take half a minute), and its
# write-only sheets keep an lxml output buffer open until the save: on libxml2 2.9 a libspatialite cleanup
# in between (any SQLite/GeoPackage data source closed, in any thread) frees the buffer's encoder and the
# save crashes the process. So every workbook is written here as XML through zipfile, in the house style.
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
           f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{COUNT_FORMAT}"/></numFmts>'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>'
           '</cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_XML_ESCAPES = re.compile(r"[&<>]")


def _xml_text(value: str) -> str:
    value = xlsx_text(value)
    if _XML_ESCAPES.search(value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


_CELL_SEP = '</t></is></c><c t="inlineStr"><is><t>'
# In "\t"-joined values: something to escape, a value with leading/trailing space, an empty value (an
# empty cell, as openpyxl writes it), a character XML lacks.
_TEXT_SLOW = re.compile(r"[&<>]|(?:^|\t)[ \n\r]|[ \n\r](?:\t|$)|(?:^|\t)(?:\t|$)|" + XLSX_UNSAFE.pattern)


def _text_row(values: Sequence, style: str = "") -> str:
    texts = [v if type(v) is str else ("" if v is None else str(v)) for v in values]
    if not style and texts and not _TEXT_SLOW.search("\t".join(texts)):
        return '<row><c t="inlineStr"><is><t>' + _CELL_SEP.join(texts) + "</t></is></c></row>"
    return "<row>" + "".join(_text_cell(v, style) for v in values) + "</row>"


def _text_cell(value: object, style: str = "") -> str:
    text = _xml_text("" if value is None else str(value))
    if not text:
        return f"<c{style}/>"
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'


def _number(value: object) -> Optional[str]:
    """The cell text of a number (numpy's too), None for anything else; bools and NaN/inf are not numbers."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value)) if math.isfinite(value) else None


def _mixed_row(values: Sequence, counted: frozenset, bold: bool = False) -> str:
    """A row with numbers: numbers as number cells (counts in COUNT_FORMAT), the rest as text; None empty."""
    if all(type(v) is str for v in values):
        return _text_row(values, ' s="1"' if bold else "")
    cells = []
    bold_style = ' s="1"' if bold else ""
    for col, v in enumerate(values):
        number = _number(v)
        if number is not None:
            style = (3 if bold else 2) if col in counted else (1 if bold else 0)
            cells.append(f'<c s="{style}"><v>{number}</v></c>' if style else f"<c><v>{number}</v></c>")
        elif isinstance(v, (bool, np.bool_)):
            cells.append(f'<c t="b"{bold_style}><v>{int(v)}</v></c>')
        elif v is None:
            cells.append("<c/>")
        else:
            cells.append(_text_cell(v, bold_style))
    return "<row>" + "".join(cells) + "</row>"


def write_workbook(target: Union[str, BinaryIO], sheets: Sequence[SheetData]) -> None:
    """Write the sheets as a new workbook, to a path or a binary file (the caller makes it atomic).

    The house style: text cells (codes and formula-like values stay text), numbers as numbers (counts in
    COUNT_FORMAT), bold frozen header, autofilter, widths, a bold footer row below the filter."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        count = len(sheets)
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
                            for n in range(1, count + 1))
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>{overrides}</Types>'))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheet_list = "".join(f'<sheet name={quoteattr(xlsx_text(s.title))} sheetId="{n}" r:id="rId{n}"/>'
                             for n, s in enumerate(sheets, start=1))
        zf.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} xmlns:r="{_REL_NS}">'
            f"<sheets>{sheet_list}</sheets></workbook>"))
        rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                       for n in range(1, count + 1))
        zf.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'))
        zf.writestr("xl/styles.xml", _STYLES)
        for n, sheet in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as fh:
                cols = "".join(f'<col min="{c}" max="{c}" width="{column_width(w)}" customWidth="1"/>'
                               for c, w in enumerate(sheet.widths, start=1))
                last = f"{_letter(max(len(sheet.headers), 1))}{sheet.row_count + 1}"
                header = _text_row(sheet.headers, ' s="1"')
                fh.write((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
                          '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                          'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                          f"<cols>{cols}</cols><sheetData>{header}").encode())
                chunk: list = []
                counted = frozenset(sheet.count_columns)
                for row in sheet.rows:
                    chunk.append(_mixed_row(row, counted))
                    if len(chunk) == 5000:
                        fh.write("".join(chunk).encode("utf-8"))
                        chunk = []
                if sheet.footer is not None:
                    chunk.append(_mixed_row(prepare_row(sheet.footer), counted, bold=True))
                fh.write(("".join(chunk) + f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>').encode("utf-8"))
