"""Save the dialog's current result like the original tool: `<name>.txt`, `<name>统计结果.txt`, and `<name>.xlsx`.

The same rows the tables show, written with the batch exporter's writers (core/batch_export), so one region
saved from the dialog is byte-for-byte the format of the batch export: tab-separated text with a title row,
CRLF, UTF-8 with BOM or GBK, formula-like values neutralized; a workbook with the sheets 统计 and 明细, codes
as text cells, header frozen, autofilter, widths set; every file written under a temporary name and renamed.
"""

from __future__ import annotations

import os
from typing import Iterable

from citycomponents_plugin.core.batch_export.exporter import DETAIL_SHEET, STAT_SHEET, TOTAL_LABEL
from citycomponents_plugin.core.files.atomic import atomic_file, write_bytes_atomic
from citycomponents_plugin.core.files.delimited import LineEncoder, text_file_chunks, txt_line
from citycomponents_plugin.core.files.workbook import (
    SheetData,
    display_width,
    display_widths,
    prepare_row,
    write_workbook,
)

STATISTICS_SUFFIX = "统计结果"
COMPONENT_STAT_HEADERS = ("部件名称", "部件总数")
ADDRESS_STAT_HEADERS = ("类别", "总数")


def statistics_headers(detail_headers: list) -> tuple:
    """The batch export's statistics headers: 部件名称/部件总数, or 类别/总数 for addresses and POIs."""
    return ADDRESS_STAT_HEADERS if "类别" in detail_headers else COMPONENT_STAT_HEADERS


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


def write_workbook_file(final: str, statistics: list, headers: list, rows: list) -> None:
    """Sheets 统计 (with a 合计 row) and 明细, as the batch export writes them."""
    stat_headers = statistics_headers(headers)
    total = sum(c for _n, c in statistics)
    stat_width = max([display_width(stat_headers[0])] + [display_width(n) for n, _c in statistics])
    widths = [max([display_width(h)] + display_widths([str(r[c]) for r in rows]).tolist())
              for c, h in enumerate(headers)]
    sheets = [
        SheetData(STAT_SHEET, stat_headers, [prepare_row(s) for s in statistics], len(statistics),
                  [stat_width, display_width(stat_headers[1])], count_columns=(1,), footer=(TOTAL_LABEL, total)),
        SheetData(DETAIL_SHEET, headers, [prepare_row(r) for r in rows], len(rows), widths),
    ]
    with atomic_file(final) as fh:
        write_workbook(fh, sheets)


def write_text_files(base: str, statistics: list, headers: list, rows: list, encoding: str = "utf-8") -> list:
    """`<base>.txt` (detail) and `<base>统计结果.txt` (statistics), like the original's two exports."""
    encoder = LineEncoder(encoding)
    detail = base + ".txt"
    write_bytes_atomic(detail, text_file_chunks(encoder.bom, encoder.encode(txt_line(headers)),
                                                [encoder.encode(txt_line(r)) for r in rows]))
    stats = base + STATISTICS_SUFFIX + ".txt"
    write_bytes_atomic(stats, text_file_chunks(encoder.bom, encoder.encode(txt_line(statistics_headers(headers))),
                                               [encoder.encode(txt_line(s)) for s in statistics]))
    return [detail, stats]


def save_result(path: str, statistics: list, headers: list, rows: list, formats: Iterable[str] = ("xlsx", "txt"),
                encoding: str = "utf-8") -> list:
    """Write the chosen formats next to `path`; returns the files written. Raises CityComponentsError."""
    base = base_path(path)
    formats = list(formats)
    written = []
    if "xlsx" in formats:
        write_workbook_file(base + ".xlsx", statistics, headers, rows)
        written.append(base + ".xlsx")
    if "txt" in formats:
        written += write_text_files(base, statistics, headers, rows, encoding)
    return written
