"""The XML workbook writer against openpyxl's own write-only writer (tests/workbook_oracle.py): the same
workbook for the operator, cell by cell (value, type, bold, number format), widths, panes, filter."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
from workbook_oracle import openpyxl_workbook

from citycomponents_plugin.core.files.workbook import SheetData, prepare_row, write_workbook


def _content(data: bytes) -> list:
    out = []
    for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        # An empty cell is empty whatever type attribute it carries (openpyxl writes "" as t="inlineStr").
        cells = [[(c.value, c.data_type if c.value is not None else None, bool(c.font.b), c.number_format)
                  for c in row] for row in ws.iter_rows()]
        widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
        out.append((ws.title, ws.freeze_panes, ws.auto_filter.ref, widths, cells))
    return out


def _sheets() -> list:
    stats = [("路灯", 1234), ("上水井盖", 3), ("=1+2", 0), ("雨水井盖", np.int64(12))]
    details = [("1101010101000003", "上水井盖", "11010100100101"), ("#N/A", " 前后有空格 ", "a&b<c>"),
               ("0012", None, "x\u0001y"), ("1101010101000004", "污水井盖", 7), ("", "1101010101000005", "")]
    audit = [("01", 0.25, True, np.float64(1.5)), ("02", np.int32(-4), False, None)]
    return [
        SheetData("统计", ("部件名称", "部件总数"), [prepare_row(s) for s in stats], len(stats), [8, 8],
                  count_columns=(1,), footer=("合计", 1249)),
        SheetData("明细", ("标识码", "名称", "单元网格"), [prepare_row(d) for d in details], len(details),
                  [16, 12, 14]),
        SheetData("检查 & <记录>", ("网格", "面积比", "有效", "距离"), [prepare_row(a) for a in audit], len(audit),
                  [4, 6, 4, 4]),
        SheetData("空", ("部件名称", "部件总数"), [], 0, [8, 8], count_columns=(1,), footer=("合计", 0)),
    ]


def _write(writer) -> bytes:
    buf = io.BytesIO()
    writer(buf, _sheets())
    return buf.getvalue()


def test_the_xml_writer_gives_openpyxl_s_workbook():
    assert _content(_write(write_workbook)) == _content(_write(openpyxl_workbook))


def test_the_xml_writer_hand_checked_cells():
    stats, details, audit, empty = _content(_write(write_workbook))
    assert stats[1:3] == ("A2", "A1:B5")
    assert stats[4][0] == [("部件名称", "s", True, "General"), ("部件总数", "s", True, "General")]
    assert stats[4][1] == [("路灯", "s", False, "General"), (1234, "n", False, "#,##0")]
    assert stats[4][3] == [("=1+2", "s", False, "General"), (0, "n", False, "#,##0")]  # text, never a formula
    assert stats[4][4][1] == (12, "n", False, "#,##0")  # a numpy count is a number, not "np.int64(12)"
    assert stats[4][5] == [("合计", "s", True, "General"), (1249, "n", True, "#,##0")]  # footer below the filter
    assert [row[0][0] for row in details[4][1:]] == ["1101010101000003", "#N/A", "0012", "1101010101000004", None]
    assert details[4][2][1][0] == " 前后有空格 " and details[4][2][2][0] == "a&b<c>"
    assert details[4][4][2] == (7, "n", False, "General")  # a number outside the count columns stays a number
    assert audit[0] == "检查 & <记录>"
    assert [c[:2] for c in audit[4][1]] == [("01", "s"), (0.25, "n"), (True, "b"), (1.5, "n")]
    assert [c[:2] for c in audit[4][2]] == [("02", "s"), (-4, "n"), (False, "b"), (None, None)]
    assert empty[2] == "A1:B1" and empty[4][1] == [("合计", "s", True, "General"), (0, "n", True, "#,##0")]


def test_a_workbook_written_after_a_spatialite_cleanup_in_the_middle(tmp_path, sample_gpkg):
    """A GeoPackage opened with SQLite SQL (libspatialite) and closed while a workbook is being written:
    with openpyxl's lxml buffer this crashed the process on libxml2 2.9 (QGIS 3.40 on Debian 13)."""
    from osgeo import ogr

    def rows():
        for i in range(3):
            ds = ogr.Open(str(sample_gpkg))
            ds.ReleaseResultSet(ds.ExecuteSQL("SELECT 1", dialect="SQLITE"))
            ds = None
            yield (f"{i:04d}", i)

    target = tmp_path / "汇总.xlsx"
    write_workbook(str(target), [SheetData("统计", ("部件名称", "部件总数"), rows(), 3, [8, 8], count_columns=(1,))])
    ws = openpyxl.load_workbook(target).active
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [["0000", 0], ["0001", 1], ["0002", 2]]
