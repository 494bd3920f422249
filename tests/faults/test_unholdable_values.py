"""Values no format can hold (SPEC 8): replaced where they are written, reported with where they came from,
and the run goes on. Also 部件总表.xlsx: codes as text, split across sheets past Excel's row limit."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from osgeo import ogr

from citycomponents_plugin.core.batch_export import exporter
from citycomponents_plugin.core.batch_export.ledger import write_ledger_workbook
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.files.delimited import neutralize
from citycomponents_plugin.core.files.safe_names import safe_file_base
from citycomponents_plugin.core.files.sanitize import encodable_text, shown, xlsx_text
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

DIRTY_COMMITTEES = {dfx.G1: "甲\uffff社区", dfx.G2: "乙\u202e社区", dfx.G3: "NUL.txt", dfx.G4: "com1.Tar.gz",
                    dfx.G5: "丙\x01社区", dfx.G6: "CONIN$"}
PLANE_B = "\U00020bb7"  # 𠮷: not in GBK
EXTRA = [("1101010118009999", "路\ufffe灯", 60, 60, dfx.G1), ("1101010118009998", PLANE_B + "井盖", 70, 60, dfx.G1)]


class Log:
    def __init__(self) -> None:
        self.warnings: list = []

    def pushWarning(self, text: str) -> None:  # noqa: N802 - QGIS name
        self.warnings.append(text)

    def pushInfo(self, _text: str) -> None:  # noqa: N802
        pass


def test_the_rules():
    assert xlsx_text("a\uffffb\ufdd0c\U0001fffed\x0be\tf") == "a?b?c?d?e\tf"
    assert encodable_text(PLANE_B + "井盖", "gbk") == "?井盖" and encodable_text("井盖", "gbk") == "井盖"
    assert [safe_file_base(n) for n in DIRTY_COMMITTEES.values()] == [
        "甲_社区", "乙_社区", "NUL_.txt", "com1_.Tar.gz", "丙_社区", "CONIN$_"]
    assert [safe_file_base(n) for n in ("LPT9", "aux .x", "Con", "CONOUT$.log", "\u2066x\u2069")] == [
        "LPT9_", "aux_ .x", "Con_", "CONOUT$_.log", "_x_"]
    assert shown("甲\uffff\u202e") == "甲\\uFFFF\\u202E"


def _dirty_district(path: Path) -> Path:
    dfx.write_district(path, components=dfx.COMPONENTS + EXTRA)
    ds = ogr.Open(str(path), 1)
    lyr = ds.CreateLayer("脏社区", dfx._srs(4548), ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("社区名称", ogr.OFTString))
    for code, name in DIRTY_COMMITTEES.items():
        x, y = dfx.GRID_SQUARES[code]
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat["社区名称"] = name
        feat.SetGeometry(ogr.CreateGeometryFromWkt(dfx._rect(x, y, x + 100, y + 100)))
        lyr.CreateFeature(feat)
    ds = None
    return path


def test_one_bad_value_never_stops_the_batch_and_every_replacement_is_reported(tmp_path, qgis_app):
    layers = dfx.load_layers(_dirty_district(tmp_path / "d.gpkg"))
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                       committees=layers["脏社区"]))
    out, log = tmp_path / "out", Log()
    m = exporter.export_district(index, str(out), levels=[Level.COMMITTEE], formats=["xlsx", "txt", "csv"],
                                 encoding="gbk", feedback=log)
    assert m["status"] == "complete"
    assert [e["files"][0] for e in m["levels"]["committee"]] == [
        "社区居委会/CONIN$_.xlsx", "社区居委会/NUL_.txt.xlsx", "社区居委会/com1_.Tar.gz.xlsx",
        "社区居委会/丙_社区.xlsx", "社区居委会/乙_社区.xlsx", "社区居委会/甲_社区.xlsx"]
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert saved["replacements"] == m["replacements"]
    got = {(tuple(sorted((k, v) for k, v in r.items() if k not in ("value", "written", "in"))), r["value"],
            r["written"], r["in"]) for r in m["replacements"]}

    def region(name: str) -> tuple:
        return ("level", "社区居委会"), ("region", name)

    expected = {
        (region("甲\uffff社区"), "甲\uffff社区", "甲_社区", "file names"),
        (region("乙\u202e社区"), "乙\u202e社区", "乙_社区", "file names"),
        (region("NUL.txt"), "NUL.txt", "NUL_.txt", "file names"),
        (region("com1.Tar.gz"), "com1.Tar.gz", "com1_.Tar.gz", "file names"),
        (region("丙\x01社区"), "丙\x01社区", "丙_社区", "file names"),
        (region("CONIN$"), "CONIN$", "CONIN$_", "file names"),
        (region("甲\uffff社区"), "甲\uffff社区", "甲?社区", "xlsx files"),  # the row of 汇总.xlsx
        (region("丙\x01社区"), "丙\x01社区", "丙?社区", "xlsx files"),
        ((("type", "路\ufffe灯"),), "路\ufffe灯", "路?灯", "xlsx files"),
        ((("type", "路\ufffe灯"),), "路\ufffe灯", "路?灯", "text files"),
        ((("type", PLANE_B + "井盖"),), PLANE_B + "井盖", "?井盖", "text files"),
        ((("component", "1101010118009999"),), "路\ufffe灯", "路?灯", "xlsx files"),
        ((("component", "1101010118009999"),), "路\ufffe灯", "路?灯", "text files"),
        ((("component", "1101010118009998"),), PLANE_B + "井盖", "?井盖", "text files"),
    }
    assert got == expected
    assert "社区居委会 '甲\\uFFFF社区': the value '甲\\uFFFF社区' is written as '甲?社区' in xlsx files " \
           "(characters XML cannot hold)." in log.warnings
    assert "Component 1101010118009998: the value '" + PLANE_B + "井盖' is written as '?井盖' in text files " \
           "(characters the encoding lacks)." in log.warnings
    openpyxl = pytest.importorskip("openpyxl")
    summary = openpyxl.load_workbook(out / "汇总.xlsx")["社区居委会"]
    assert sorted(r[1] for r in summary.iter_rows(min_row=2, max_row=7, values_only=True)) == sorted(
        ["甲?社区", "乙\u202e社区", "NUL.txt", "com1.Tar.gz", "丙?社区", "CONIN$"])
    detail = openpyxl.load_workbook(out / "社区居委会" / "甲_社区.xlsx")["明细"]
    names = {r[0]: r[1] for r in detail.iter_rows(min_row=2, values_only=True)}
    assert names["1101010118009999"] == "路?灯" and names["1101010118009998"] == PLANE_B + "井盖"
    txt = (out / "社区居委会" / "甲_社区.txt").read_bytes().decode("gbk")
    assert "1101010118009999\t路?灯\t" in txt and "1101010118009998\t?井盖\t" in txt


def test_the_excel_ledger_keeps_codes_as_text_and_splits_past_the_row_limit(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    headers = ["标识码", "名称", "单元网格"]
    rows = [(f"{1101010118000000 + n:016d}", "路灯 & <灯>", "0110101001001" + str(n)) for n in range(7)]
    rows[3] = ("1101010118000003", " 前后有空格 ", "=1+2")
    path = tmp_path / "部件总表.xlsx"
    assert write_ledger_workbook(str(path), headers, rows, max_rows=4) == 3
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["部件总表", "部件总表 (2)", "部件总表 (3)"]
    sheets = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    assert [len(s) for s in sheets] == [4, 4, 2] and all(s[0] == tuple(headers) for s in sheets)
    assert [r for s in sheets for r in s[1:]] == rows  # every row once, in order, exactly as given
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for c in row]
    assert {c.data_type for c in cells} == {"s"}  # text cells: 16 digits never become 1.10101E+15
    first = wb.worksheets[0]
    assert first.freeze_panes == "A2" and first.auto_filter.ref == "A1:C4" and first["A1"].font.b
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None


def test_the_ledgers_of_a_batch_agree_and_the_csv_stays_plain_text(tmp_path, qgis_app):
    openpyxl = pytest.importorskip("openpyxl")
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                       committees=layers["社区居委会"]))
    out = tmp_path / "out"
    m = exporter.export_district(index, str(out), levels=[Level.COMMITTEE], formats=["xlsx"])
    assert m["files"] == ["汇总.xlsx", "部件总表.csv", "部件总表.xlsx"]
    csv_rows = [line.split(",") for line in (out / "部件总表.csv").read_text(encoding="utf-8-sig").splitlines()]
    xlsx_rows = [tuple("" if v is None else v for v in r)
                 for r in openpyxl.load_workbook(out / "部件总表.xlsx").active.iter_rows(values_only=True)]
    # The same rows; the csv neutralizes formula-like values ('=1+2), the xlsx keeps them as text cells.
    assert [tuple(r) for r in csv_rows] == [tuple(neutralize(v) for v in r) for r in xlsx_rows]
    assert len(xlsx_rows) == 1 + 13 and ("'=1+2" in csv_rows[8]) and ("=1+2" in xlsx_rows[8])
    # The csv is for tools: the code as plain digits, no apostrophe, no ="..." wrapper.
    assert csv_rows[1][0] == "1101010101000001"
