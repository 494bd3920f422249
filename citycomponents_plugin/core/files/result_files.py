"""One region's result files: `<name>.xlsx`, `<name>.txt` and `<name>统计结果.txt`, written by one set of writers.

Why one set: the batch export writes these files for every region and the dialog's Save for the region on
screen; an operator comparing them must find the same headers, the same 合计 row and the same format.
The workbook has the sheets 统计 (with a 合计 row) and 明细, codes as text cells, header frozen, autofilter,
widths set; the text files are tab-separated with a title row, CRLF, UTF-8 with BOM or GBK, formula-like
values neutralized. Every file is written under a temporary name and renamed.
"""

from __future__ import annotations

import os
from typing import Iterable, Sequence

import numpy as np

from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES
from citycomponents_plugin.core.files.atomic import atomic_file, write_bytes_atomic
from citycomponents_plugin.core.files.delimited import LineEncoder, text_file_chunks, txt_line
from citycomponents_plugin.core.files.workbook import (
    SheetData,
    display_width,
    display_widths,
    prepare_row,
    write_workbook,
)

STAT_SHEET, DETAIL_SHEET = "统计", "明细"
TOTAL_LABEL = "合计"
STATISTICS_SUFFIX = "统计结果"
COMPONENT_STAT_HEADERS = ("部件名称", "部件总数")
ADDRESS_STAT_HEADERS = ("类别", "总数")


def statistics_headers(kind: int) -> tuple:
    """部件名称/部件总数, or 类别/总数 for addresses and points of interest (KIND 1)."""
    return ADDRESS_STAT_HEADERS if kind == KIND_ADDRESSES else COMPONENT_STAT_HEADERS


def column_display_widths(rows: Sequence[Sequence[str]], columns: int) -> list:
    """Per detail column, the display width of every row's value (computed once, maxed per region)."""
    return [display_widths([row[col] for row in rows]) for col in range(columns)]


def write_region_workbook(path: str, stat_headers: Sequence[str], statistics: list, detail_headers: Sequence[str],
                          detail_rows: Iterable, row_count: int, row_widths: Sequence[np.ndarray],
                          extra_sheets: Sequence[SheetData] = ()) -> None:
    """Sheets 统计 (count descending, then a bold 合计 of the counts) and 明细 (the detail rows).

    `detail_rows` are prepare_row() rows, streamed; `row_widths` the display widths of their values per
    column (column_display_widths), so a caller with many regions computes them once per component.
    """
    total = sum(count for _name, count in statistics)
    stat_width = max([display_width(stat_headers[0])] + [display_width(name) for name, _count in statistics])
    widths = [max([display_width(h)] + ([int(w.max())] if len(w) else [])) for h, w in zip(detail_headers, row_widths)]
    sheets = [
        SheetData(STAT_SHEET, stat_headers, [prepare_row(s) for s in statistics], len(statistics),
                  [stat_width, display_width(stat_headers[1])], count_columns=(1,), footer=(TOTAL_LABEL, total)),
        SheetData(DETAIL_SHEET, detail_headers, detail_rows, row_count, widths),
        *extra_sheets,  # the batch export's 变更 sheet (PREVIOUS_EDITION)
    ]
    with atomic_file(path) as fh:
        write_workbook(fh, sheets)


def write_region_texts(detail_path: str, statistics_path: str, encoder: LineEncoder, detail_headers: Sequence[str],
                       detail_lines: Iterable[bytes], stat_headers: Sequence[str], statistics: list) -> None:
    """The detail txt (`detail_lines` already encoded) and the 统计结果 txt, like the original's two exports."""
    write_bytes_atomic(detail_path, text_file_chunks(encoder.bom, encoder.encode(txt_line(detail_headers)),
                                                     detail_lines))
    stat_lines = [encoder.encode(txt_line((name, count)), name) for name, count in statistics]
    write_bytes_atomic(statistics_path, text_file_chunks(encoder.bom, encoder.encode(txt_line(stat_headers)),
                                                         stat_lines))


# ----- the dialog's Save ---------------------------------------------------------------------------
def base_path(path: str) -> str:
    """The chosen file name without a known extension (the operator may type name.xlsx or name.txt)."""
    root, ext = os.path.splitext(path)
    return root if ext.lower() in (".xlsx", ".txt", ".csv") else path


def target_files(path: str, formats: Iterable[str]) -> list:
    """Files a save writes for these formats ("xlsx", "txt")."""
    base = base_path(path)
    formats = list(formats)
    files = [base + ".xlsx"] if "xlsx" in formats else []
    if "txt" in formats:
        files += [base + ".txt", base + STATISTICS_SUFFIX + ".txt"]
    return files


def save_result(path: str, stat_headers: Sequence[str], statistics: list, headers: list, rows: list,
                formats: Iterable[str] = ("xlsx", "txt"), encoding: str = "utf-8") -> list:
    """Write one region's result in the chosen formats next to `path`, as the batch export writes a region.

    Returns the files written (target_files order). Raises CityComponentsError.
    """
    formats = list(formats)
    files = target_files(path, formats)
    if files and files[0].endswith(".xlsx"):
        write_region_workbook(files[0], stat_headers, statistics, headers, [prepare_row(r) for r in rows], len(rows),
                              column_display_widths(rows, len(headers)))
    if "txt" in formats:
        encoder = LineEncoder(encoding)
        write_region_texts(files[-2], files[-1], encoder, headers, [encoder.encode(txt_line(r)) for r in rows],
                           stat_headers, statistics)
    return files
