"""The direct XML writer (region workbooks, the ledger) against openpyxl's write-only writer: the same
workbook for the operator, cell by cell (value, type, bold, number format), widths, panes, filter."""

from __future__ import annotations

import io

import openpyxl

from citycomponents_plugin.core.files.workbook import SheetData, prepare_row, write_text_workbook, write_workbook


def _content(data: bytes) -> list:
    out = []
    for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        cells = [[(c.value, c.data_type, bool(c.font.b), c.number_format) for c in row] for row in ws.iter_rows()]
        widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
        out.append((ws.title, ws.freeze_panes, ws.auto_filter.ref, widths, cells))
    return out


def _sheets() -> list:
    stats = [("路灯", 1234), ("上水井盖", 3), ("=1+2", 0)]
    details = [("1101010101000003", "上水井盖", "11010100100101"), ("#N/A", " 前后有空格 ", "a&b<c>"),
               ("0012", None, "x\u0001y"), ("1101010101000004", "污水井盖", 7)]
    return [
        SheetData("统计", ("部件名称", "部件总数"), [prepare_row(s) for s in stats], len(stats), [8, 8],
                  count_columns=(1,), footer=("合计", 1237)),
        SheetData("明细", ("标识码", "名称", "单元网格"), [prepare_row(d) for d in details], len(details),
                  [16, 12, 14]),
    ]


def _write(writer) -> bytes:
    buf = io.BytesIO()
    writer(buf, _sheets())
    return buf.getvalue()


def test_direct_writer_gives_openpyxl_s_workbook():
    fast, reference = _content(_write(write_text_workbook)), _content(_write(write_workbook))
    assert fast == reference


def test_direct_writer_hand_checked_cells():
    stats, details = _content(_write(write_text_workbook))
    assert stats[1:3] == ("A2", "A1:B4")
    assert stats[4][0] == [("部件名称", "s", True, "General"), ("部件总数", "s", True, "General")]
    assert stats[4][1] == [("路灯", "s", False, "General"), (1234, "n", False, "#,##0")]
    assert stats[4][3] == [("=1+2", "s", False, "General"), (0, "n", False, "#,##0")]  # text, never a formula
    assert stats[4][4] == [("合计", "s", True, "General"), (1237, "n", True, "#,##0")]  # footer below the filter
    assert [row[0][0] for row in details[4][1:]] == ["1101010101000003", "#N/A", "0012", "1101010101000004"]
    assert details[4][2][1][0] == " 前后有空格 " and details[4][2][2][0] == "a&b<c>"
    assert details[4][4][2] == (7, "n", False, "General")  # a number outside the count columns stays a number
