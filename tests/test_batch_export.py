"""Batch export (SPEC section 6) on the hand-made district: every file read back and checked by hand."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.batch_export import exporter
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE, KIND_ADDRESSES, DistrictInputs
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files import result_files
from citycomponents_plugin.core.files.atomic import TEMP_PREFIX
from citycomponents_plugin.core.files.delimited import txt_field
from citycomponents_plugin.core.levels import LEVEL_LABELS, LEVEL_ORDER, Level

import district_fixtures as dfx

REPO = Path(__file__).resolve().parent.parent
MANIFEST_KEYS = ["generator", "created", "inputs", "engine", "assign_by", "components_read", "assigned", "unassigned",
                 "levels", "files", "replacements", "status", "warnings", "audit"]
EXPECTED = {Level.STREET: dfx.EXPECTED_STREET, Level.SUPERVISOR: dfx.EXPECTED_SUPERVISOR,
            Level.COMMITTEE: dfx.EXPECTED_COMMITTEE, Level.GRID: dfx.EXPECTED_BY_GRID}
# (标识码, 名称, 单元网格) of every component in a grid: each must appear exactly once per level.
ASSIGNED_ROWS = sorted((c[0], c[1], dfx.EXPECTED_GRID[i]) for i, c in enumerate(dfx.COMPONENTS)
                       if dfx.EXPECTED_GRID[i] is not None)


def _inputs(layers: dict, **kw) -> DistrictInputs:
    base = dict(grids=layers["单元网格"], components=[layers["城市部件"]], committees=layers["社区居委会"],
                streets=layers["街道办事处"], supervisors=layers["监督员责任区"])
    base.update(kw)
    return DistrictInputs(**base)


@pytest.fixture(scope="module")
def district_path(tmp_path_factory, qgis_app) -> Path:
    return dfx.write_district(tmp_path_factory.mktemp("district") / "d.gpkg", component_epsg=4490)


@pytest.fixture(scope="module")
def index(district_path):
    return build_index(_inputs(dfx.load_layers(district_path)))


@pytest.fixture(scope="module")
def full_export(index, tmp_path_factory) -> Path:
    """One complete export, all formats, UTF-8: read by several tests."""
    out = tmp_path_factory.mktemp("full") / "导出"
    exporter.export_district(index, str(out), formats=["xlsx", "txt", "csv"])
    return out


class Recorder:
    """A feedback that records what the exporter reports and can cancel after N region files."""

    def __init__(self, cancel_after_regions: int = -1):
        self.cancel_after = cancel_after_regions
        self.regions = 0
        self.progress: list = []
        self.texts: list = []
        self.warnings: list = []
        self.infos: list = []

    def setProgress(self, value: float) -> None:
        self.progress.append(value)

    def setProgressText(self, text: str) -> None:
        self.texts.append(text)
        if text.split(" ")[0] in LEVEL_LABELS.values():
            self.regions += 1

    def pushInfo(self, text: str) -> None:
        self.infos.append(text)

    def pushWarning(self, text: str) -> None:
        self.warnings.append(text)

    def isCanceled(self) -> bool:
        return 0 <= self.cancel_after <= self.regions


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _sheet_rows(path: Path, sheet: str) -> list:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in wb[sheet].iter_rows()]


def _listed_files(manifest: dict) -> list:
    return manifest["files"] + [f for entries in manifest["levels"].values() for e in entries for f in e["files"]]


def _files_on_disk(folder: Path) -> set:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _read_txt(path: Path, encoding: str = "utf-8-sig") -> list:
    return [line.split("\t") for line in path.read_bytes().decode(encoding).split("\r\n") if line]


# ----- the complete run ----------------------------------------------------------------------------
def test_manifest_follows_the_contract(full_export, district_path):
    m = _manifest(full_export)
    assert list(m) == MANIFEST_KEYS
    assert m["generator"].startswith("citycomponents_plugin ")
    assert m["created"][:2] == "20" and "T" in m["created"]
    assert m["inputs"]["GRIDS"] == {"source": f"{district_path}|layername=单元网格", "features": 6}
    assert m["inputs"]["COMPONENTS"] == [{"source": f"{district_path}|layername=城市部件", "features": 13}]
    assert (m["assign_by"], m["components_read"], m["assigned"], m["unassigned"]) == ("location", 13, 11, 2)
    assert m["engine"] == "local"
    assert list(m["levels"]) == ["grid", "committee", "street", "supervisor"]
    assert m["files"] == ["汇总.xlsx", "部件总表.csv", "部件总表.xlsx"] and m["status"] == "complete"
    for level in LEVEL_ORDER:
        entries = m["levels"][level.value]
        assert {e["key"]: e["by_type"] for e in entries} == EXPECTED[level]
        for e in entries:
            assert e["total"] == sum(e["by_type"].values())
            counts = list(e["by_type"].values())
            assert counts == sorted(counts, reverse=True)  # most numerous first, like the statistics
            base = f"{level.label}/{e['key']}"
            assert e["files"] == [f"{base}.xlsx", f"{base}.txt", f"{base}统计结果.txt", f"{base}.csv"]
    grid = m["levels"]["grid"][0]
    assert (grid["key"], grid["name"]) == (dfx.G1, dfx.G1)
    # Exactly the listed files (and the manifest) are on disk: nothing half-written, no temp files.
    assert _files_on_disk(full_export) == set(_listed_files(m)) | {"manifest.json"}
    umask = os.umask(0o022)
    os.umask(umask)
    for rel in ("manifest.json", "汇总.xlsx", "街道/景山.txt"):  # not mkstemp's private 0600
        assert stat.S_IMODE((full_export / rel).stat().st_mode) == 0o666 & ~umask


def test_every_component_once_per_level_in_xlsx_txt_and_csv(full_export):
    m = _manifest(full_export)
    for level in LEVEL_ORDER:
        from_xlsx, from_txt, from_csv = [], [], []
        for e in m["levels"][level.value]:
            xlsx = full_export / e["files"][0]
            wb = openpyxl.load_workbook(xlsx)
            assert wb.sheetnames == ["统计", "明细"]
            detail = list(wb["明细"].iter_rows())
            assert [c.value for c in detail[0]] == ["标识码", "名称", "单元网格"]
            for row in detail[1:]:
                assert all(c.data_type == "s" for c in row)  # codes are text cells, never numbers
                ident, _, grid = (c.value for c in row)
                assert len(grid) == 14 and (len(ident) == 16 or ident == "=1+2")
                from_xlsx.append(tuple(c.value for c in row))
            # Detail order: grid code, then 标识码.
            keys = [(r[2].value, r[0].value) for r in detail[1:]]
            assert keys == sorted(keys)
            stat = _sheet_rows(xlsx, "统计")
            assert stat[0] == ["部件名称", "部件总数"] and stat[-1] == ["合计", e["total"]]
            assert dict((r[0], r[1]) for r in stat[1:-1]) == e["by_type"]
            assert [r[0] for r in stat[1:-1]] == list(e["by_type"])
            txt = _read_txt(full_export / e["files"][1])
            assert txt[0] == ["标识码", "名称", "单元网格"]
            from_txt += [tuple(r) for r in txt[1:]]
            stat_txt = _read_txt(full_export / e["files"][2])
            assert stat_txt == [["部件名称", "部件总数"]] + [[k, str(v)] for k, v in e["by_type"].items()]
            with open(full_export / e["files"][3], encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
            assert rows[0] == ["标识码", "名称", "单元网格"]
            from_csv += [tuple(r) for r in rows[1:]]
        assert sorted(from_xlsx) == ASSIGNED_ROWS, level
        # Text files keep the formula-like 标识码 as text with a leading apostrophe (documented).
        text_rows = sorted((("'" + r[0]) if r[0] == "=1+2" else r[0], r[1], r[2]) for r in ASSIGNED_ROWS)
        assert sorted(from_txt) == text_rows and sorted(from_csv) == text_rows, level


def test_xlsx_house_style_and_formula_stays_text(full_export):
    path = full_export / "社区居委会" / "乙社区.xlsx"
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{'C' if ws.title == '明细' else 'B'}{ws.max_row - (ws.title == '统计')}"
        assert ws["A1"].font.b and ws["B1"].font.b
    detail = wb["明细"]
    assert detail.column_dimensions["A"].width >= 16 and detail.column_dimensions["C"].width >= 14
    assert detail.column_dimensions["B"].width >= 10  # 4 CJK characters count as 8
    cell = [row[0] for row in detail.iter_rows(min_row=2) if row[0].value == "=1+2"][0]
    assert cell.data_type == "s"
    assert wb["统计"]["B2"].number_format == "#,##0" and wb["统计"]["A5"].font.b
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml and "=1+2" in xml


def test_summary_workbook_matches_hand_answers(full_export):
    wb = openpyxl.load_workbook(full_export / "汇总.xlsx")
    assert wb.sheetnames == ["街道", "监督员责任区", "社区居委会", "单元网格", "未落入网格"]
    for level in LEVEL_ORDER:
        ws = wb[level.label]
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        header, body, totals = rows[0], rows[1:-1], rows[-1]
        assert header[:3] == ["代码", "名称", "合计"]
        types = header[3:]
        assert set(types) == {"上水井盖", "路灯", "污水井盖"}
        got = {r[1]: {t: n for t, n in zip(types, r[3:]) if n} for r in body}
        assert got == EXPECTED[level]
        assert all(r[2] == sum(r[3:]) for r in body)
        # 合计 stands in the 名称 column: the 代码 column holds only codes.
        assert totals[0] is None and totals[1] == "合计" and totals[2] == 11 and totals[3:] == [sum(r[i] for r in body)
                                                                         for i in range(3, len(header))]
        assert ws.auto_filter.ref == f"A1:F{len(body) + 1}"
        if level == Level.GRID:
            assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(2, len(body) + 2))
            assert [r[0] for r in body] == sorted(dfx.GRID_SQUARES)
    committee_codes = {r[1].value: r[0].value for r in wb["社区居委会"].iter_rows(min_row=2)}
    assert committee_codes["甲社区"] == "110101001001" and committee_codes["丙社区"] == "110101002001"
    unassigned = [[c.value for c in row] for row in wb["未落入网格"].iter_rows()]
    assert unassigned == [["标识码", "名称", "图层", "原因"],
                          ["1101010102000002", "污水井盖", "城市部件", "不在任何网格内"],
                          ["1101010102000003", "污水井盖", "城市部件", "无几何"]]


def test_ledger_lists_every_component_read(full_export):
    raw = (full_export / "部件总表.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["标识码", "名称", "图层", "单元网格", "社区居委会", "街道", "监督员责任区"]
    assert len(rows) - 1 == len(dfx.COMPONENTS)
    assert Counter(r[0] for r in rows[1:]) == Counter(("'" + c[0]) if c[0] == "=1+2" else c[0]
                                                      for c in dfx.COMPONENTS)
    by_id = {(r[0], r[1]): r for r in rows[1:]}
    assert by_id[("1101010101000003", "上水井盖")][3:] == [dfx.G3, "乙社区", "东华门", "甲乙区"]
    assert by_id[("1101010101000001", "污水井盖")][3:] == [dfx.G5, "丙社区", "景山", "丙南"]
    assert by_id[("1101010102000002", "污水井盖")][3:] == ["", "", "", ""]  # outside every grid


def test_progress_is_reported(index, tmp_path):
    fb = Recorder()
    exporter.export_district(index, str(tmp_path / "out"), levels=[Level.COMMITTEE], feedback=fb)
    assert fb.progress[-1] == 100 and fb.progress == sorted(fb.progress)
    assert "社区居委会 乙社区 (2/3)" in fb.texts
    assert any("Wrote" in t for t in fb.infos)


# ----- options -------------------------------------------------------------------------------------
def test_type_filter_keeps_empty_regions_listed_without_files(index, tmp_path):
    out = tmp_path / "out"
    m = exporter.export_district(index, str(out), levels=[Level.GRID, Level.SUPERVISOR], formats=["txt"],
                                 types=["污水井盖"])
    grids = {e["key"]: e for e in m["levels"]["grid"]}
    assert len(grids) == 6 and m["levels"]["committee"] == [] and m["levels"]["street"] == []
    assert grids[dfx.G1] == {"key": dfx.G1, "name": dfx.G1, "code": dfx.G1, "total": 0, "by_type": {},
                             "files": []}
    assert grids[dfx.G4]["files"] == [f"单元网格/{dfx.G4}.txt", f"单元网格/{dfx.G4}统计结果.txt"]
    assert not (out / "单元网格" / f"{dfx.G1}.txt").exists()
    assert {e["key"]: e["total"] for e in m["levels"]["supervisor"]} == {"丙北": 0, "丙南": 1, "甲乙区": 1}
    summary = _sheet_rows(out / "汇总.xlsx", "单元网格")
    assert summary[0] == ["代码", "名称", "合计", "污水井盖"] and len(summary) == 8  # header, 6 grids, totals
    assert summary[-1][2] == 2


def test_gbk_text_files_and_unencodable_characters(tmp_path, qgis_app):
    rows = [list(c) for c in dfx.COMPONENTS]
    rows[1][1] = "路灯😀"  # 1101010118000001 in G2: GBK has no emoji
    path = dfx.write_district(tmp_path / "d.gpkg", components=[tuple(r) for r in rows])
    index = build_index(_inputs(dfx.load_layers(path)))
    fb = Recorder()
    out = tmp_path / "out"
    m = exporter.export_district(index, str(out), formats=["xlsx", "txt", "csv"], encoding="gbk", feedback=fb)
    assert m["status"] == "complete"
    for rel in _listed_files(m):
        if rel.endswith((".txt", ".csv")) and rel != "部件总表.csv":
            data = (out / rel).read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("gbk")  # every text file decodes as GBK
    assert _read_txt(out / "单元网格" / f"{dfx.G2}.txt", "gbk")[1] == ["1101010118000001", "路灯?", dfx.G2]
    assert _read_txt(out / "单元网格" / f"{dfx.G1}.txt", "gbk")[1][1] == "上水井盖"
    warning = " ".join(fb.warnings)
    assert "1101010118000001" in warning and "GBK" in warning
    # xlsx and the ledger (always UTF-8) keep the character.
    assert _sheet_rows(out / "单元网格" / f"{dfx.G2}.xlsx", "明细")[1][1] == "路灯😀"
    assert "路灯😀" in (out / "部件总表.csv").read_text(encoding="utf-8-sig")


def test_unknown_type_level_format_and_encoding_are_clear_errors(index, district_path, tmp_path):
    out = str(tmp_path / "out")
    with pytest.raises(CityComponentsError, match="Unknown component type.*路 灯"):
        exporter.export_district(index, out, types=["路 灯"])
    with pytest.raises(CityComponentsError, match="FORMATS"):
        exporter.export_district(index, out, formats=["pdf"])
    with pytest.raises(CityComponentsError, match="ENCODING"):
        exporter.export_district(index, out, encoding="latin-1")
    no_streets = build_index(_inputs(dfx.load_layers(district_path), streets=None))
    with pytest.raises(CityComponentsError, match="STREETS"):
        exporter.export_district(no_streets, out, levels=[Level.STREET])
    assert not os.path.exists(out)
    m = exporter.export_district(no_streets, out, formats=["txt"])  # default levels: those present
    assert m["levels"]["street"] == [] and len(m["levels"]["committee"]) == 3
    assert _sheet_rows(Path(out) / "汇总.xlsx", "社区居委会")[0][:3] == ["代码", "名称", "合计"]
    assert "街道" not in openpyxl.load_workbook(Path(out) / "汇总.xlsx").sheetnames


def test_stored_code_mode_and_reasons(district_path, tmp_path):
    index = build_index(_inputs(dfx.load_layers(district_path), assign_by=ASSIGN_BY_STORED_CODE))
    m = exporter.export_district(index, str(tmp_path / "out"), levels=[Level.GRID], formats=["txt"])
    assert m["assign_by"] == "stored_code" and m["unassigned"] == 1
    rows = _sheet_rows(tmp_path / "out" / "汇总.xlsx", "未落入网格")
    assert rows[1] == ["1101010102000002", "污水井盖", "城市部件", "所在单元网格为空或不是网格编码"]


def test_addresses_use_their_own_headers(district_path, tmp_path):
    layers = dfx.load_layers(district_path)
    poi = dfx.memory_layer("Point?crs=EPSG:4548&field=名称:string&field=类别:string&field=地址:string", "兴趣点",
                           [(["东来顺", "餐饮", "王府井大街1号"], (10, 10)),
                            (["=HYPERLINK()", "银行", "-1号"], (20, 10))])
    index = build_index(_inputs(layers, components=[poi], kind=KIND_ADDRESSES))
    out = tmp_path / "out"
    exporter.export_district(index, str(out), levels=[Level.STREET], formats=["xlsx", "txt"])
    detail = _sheet_rows(out / "街道" / "东华门.xlsx", "明细")
    assert detail == [["名称", "类别", "地址", "单元网格"], ["东来顺", "餐饮", "王府井大街1号", dfx.G1],
                      ["=HYPERLINK()", "银行", "-1号", dfx.G1]]
    assert _sheet_rows(out / "街道" / "东华门.xlsx", "统计")[0] == ["类别", "总数"]
    assert _read_txt(out / "街道" / "东华门.txt")[2] == ["'=HYPERLINK()", "银行", "'-1号", dfx.G1]
    ledger = (out / "部件总表.csv").read_text(encoding="utf-8-sig").splitlines()
    assert ledger[0] == "名称,类别,地址,图层,单元网格,社区居委会,街道,监督员责任区"


# ----- safety --------------------------------------------------------------------------------------
def test_overwrite_false_protects_existing_results(index, tmp_path):
    out = tmp_path / "out"
    exporter.export_district(index, str(out), levels=[Level.STREET])
    before = {p: (out / p).stat().st_mtime_ns for p in _files_on_disk(out)}
    with pytest.raises(CityComponentsError, match=r"manifest\.json.*OVERWRITE.*empty folder"):
        exporter.export_district(index, str(out), levels=[Level.STREET])
    (out / "manifest.json").unlink()
    with pytest.raises(CityComponentsError, match="汇总.xlsx.*OVERWRITE"):
        exporter.export_district(index, str(out), levels=[Level.STREET])
    assert {p: (out / p).stat().st_mtime_ns for p in _files_on_disk(out)} == \
        {p: t for p, t in before.items() if p != "manifest.json"}
    # A region file alone is enough to refuse.
    other = tmp_path / "other"
    (other / "街道").mkdir(parents=True)
    (other / "街道" / "景山.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CityComponentsError, match="街道/景山.txt"):
        exporter.export_district(index, str(other), levels=[Level.STREET])
    # OVERWRITE replaces our files and leaves the user's alone.
    (out / "说明.docx").write_bytes(b"user file")
    m = exporter.export_district(index, str(out), levels=[Level.STREET], overwrite=True)
    assert m["status"] == "complete" and (out / "说明.docx").read_bytes() == b"user file"
    assert (out / "manifest.json").exists()


def test_unwritable_output_folder_is_a_clear_error(index, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(CityComponentsError, match="cannot be created.*OUTPUT_FOLDER"):
        exporter.export_district(index, str(blocker / "out"))
    with pytest.raises(CityComponentsError, match="is an existing file, not a folder"):
        exporter.export_district(index, str(blocker))


def test_cancel_leaves_a_consistent_folder(index, tmp_path):
    out = tmp_path / "out"
    fb = Recorder(cancel_after_regions=4)  # streets (2) and two of the three supervisor areas
    m = exporter.export_district(index, str(out), formats=["xlsx", "txt"], feedback=fb)
    assert m == _manifest(out) and m["status"] == "cancelled"
    assert [e["key"] for e in m["levels"]["street"]] == ["东华门", "景山"]
    assert len(m["levels"]["supervisor"]) == 2 and m["levels"]["committee"] == m["levels"]["grid"] == []
    listed = _listed_files(m)
    assert _files_on_disk(out) == set(listed) | {"manifest.json"}  # no temp file, nothing unlisted
    for rel in listed:
        if rel.endswith(".xlsx"):
            openpyxl.load_workbook(out / rel)
        elif rel.endswith(".txt"):
            assert _read_txt(out / rel)
    assert any("Cancelled" in w for w in fb.warnings)


def test_plain_qgsfeedback_works_and_cancels(index, tmp_path):
    """The dialog may pass a QgsFeedback (no pushInfo/setProgressText): progress works, cancel() is honoured."""
    from qgis.core import QgsFeedback

    fb = QgsFeedback()
    m = exporter.export_district(index, str(tmp_path / "a"), levels=[Level.STREET], feedback=fb)
    assert m["status"] == "complete" and fb.progress() == 100
    fb = QgsFeedback()
    fb.cancel()
    m = exporter.export_district(index, str(tmp_path / "b"), feedback=fb)
    assert m["status"] == "cancelled" and _listed_files(m) == []
    assert _files_on_disk(tmp_path / "b") == {"manifest.json"}


def test_a_failure_midway_leaves_no_temp_or_half_written_file(index, tmp_path, monkeypatch):
    calls = {"n": 0}

    def failing(real):
        def write(target, sheets):
            calls["n"] += 1
            if calls["n"] == 3:
                target.write(b"PK half a workbook")
                raise OSError(28, "No space left on device")
            real(target, sheets)
        return write

    monkeypatch.setattr(exporter, "write_workbook", failing(exporter.write_workbook))  # 汇总.xlsx
    # every region's workbook
    monkeypatch.setattr(result_files, "write_workbook", failing(result_files.write_workbook))
    out = tmp_path / "out"
    with pytest.raises(CityComponentsError, match="disk is full"):
        exporter.export_district(index, str(out), levels=[Level.STREET])
    on_disk = _files_on_disk(out)
    assert not any(Path(p).name.startswith(TEMP_PREFIX) for p in on_disk)
    assert "街道/景山.xlsx" not in on_disk
    # The manifest says the run failed, and lists exactly the complete files.
    manifest = _manifest(out)
    assert manifest["status"] == "failed" and "No space left" in manifest["error"]
    listed = set(manifest["files"]) | {f for e in manifest["levels"]["street"] for f in e["files"]}
    assert listed == set(on_disk) - {"manifest.json"}
    for rel in on_disk:
        if rel.endswith(".xlsx"):
            openpyxl.load_workbook(out / rel)


def _hostile_district(path: Path) -> Path:
    """The fixture district plus a committee layer whose names try to leave the folder or clash."""
    dfx.write_district(path)
    names = {dfx.G1: "../x", dfx.G2: "C:\\x", dfx.G3: "CON", dfx.G4: "a/b", dfx.G5: "甲", dfx.G6: "甲统计结果"}
    ds = ogr.Open(str(path), 1)
    lyr = ds.CreateLayer("恶意社区", dfx._srs(4548), ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("社区名称", ogr.OFTString))
    for code, name in names.items():
        x, y = dfx.GRID_SQUARES[code]
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat["社区名称"] = name
        feat.SetGeometry(ogr.CreateGeometryFromWkt(dfx._rect(x, y, x + 100, y + 100)))
        lyr.CreateFeature(feat)
    ds = None
    return path


def test_hostile_region_names_stay_inside_the_folder(tmp_path, qgis_app):
    layers = dfx.load_layers(_hostile_district(tmp_path / "h.gpkg"))
    index = build_index(_inputs(layers, committees=layers["恶意社区"]))
    out = tmp_path / "deep" / "out"
    m = exporter.export_district(index, str(out), levels=[Level.COMMITTEE], formats=["xlsx", "txt", "csv"])
    files = {e["key"]: e["files"] for e in m["levels"]["committee"]}
    assert set(files) == {"../x", "C:\\x", "CON", "a/b", "甲", "甲统计结果"}
    bases = {k: v[0][len("社区居委会/"):-len(".xlsx")] for k, v in files.items()}
    assert bases == {"../x": "_x", "C:\\x": "C__x", "CON": "CON_", "a/b": "a_b", "甲": "甲",
                     "甲统计结果": "甲统计结果_2"}
    listed = _listed_files(m)
    assert len(listed) == len(set(listed)) == 3 + 6 * 4  # 汇总.xlsx, 部件总表.csv and .xlsx
    root = os.path.realpath(out)
    for rel in listed:
        assert os.path.commonpath([root, os.path.realpath(out / rel)]) == root and (out / rel).is_file()
    assert _files_on_disk(out) == set(listed) | {"manifest.json"}
    assert sorted(os.listdir(tmp_path / "deep")) == ["out"]  # nothing escaped next to the folder
    assert _read_txt(out / "社区居委会" / "甲统计结果_2统计结果.txt")[1:] == [["路灯", "2"]]
    summary = {r[1]: r[2] for r in _sheet_rows(out / "汇总.xlsx", "社区居委会")[1:-1]}
    assert summary == {"../x": 3, "C:\\x": 1, "CON": 1, "a/b": 3, "甲": 1, "甲统计结果": 2}


def test_grids_in_no_region_are_a_separate_summary_row(tmp_path, qgis_app):
    """A committee layer that covers only G1: the other grids' components are not lost from the sheet."""
    layers = dfx.load_layers(_hostile_district(tmp_path / "h.gpkg"))
    committees = layers["恶意社区"]
    assert committees.setSubsetString("社区名称 = 'CON'")
    index = build_index(_inputs(layers, committees=committees))
    fb = Recorder()
    out = tmp_path / "out"
    m = exporter.export_district(index, str(out), levels=[Level.COMMITTEE], formats=["txt"], feedback=fb)
    # The pseudo-region is a region of the index (SPEC 4.4): listed in the manifest with its files too.
    assert [(e["key"], e["total"]) for e in m["levels"]["committee"]] == [("CON", 1), ("(不属于任何社区居委会)", 10)]
    assert m["levels"]["committee"][1]["files"] == ["社区居委会/(不属于任何社区居委会).txt",
                                                    "社区居委会/(不属于任何社区居委会)统计结果.txt"]
    rows = _sheet_rows(out / "汇总.xlsx", "社区居委会")
    assert rows[2][:3] == [None, "(不属于任何社区居委会)", 10] and rows[-1][:3] == [None, "合计", 11]
    assert [w["id"] for w in m["warnings"]] == ["grids_outside_level"]
    assert "5 unit grid(s) lie in no region of layer '恶意社区'" in m["warnings"][0]["text"]


def test_without_openpyxl_every_workbook_is_still_written(index, tmp_path, monkeypatch):
    """openpyxl is only the tests' reader: the plugin writes its workbooks itself."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl -> ImportError
    fb = Recorder()
    m = exporter.export_district(index, str(tmp_path / "out"), levels=[Level.STREET], formats=["xlsx", "txt"],
                                 feedback=fb)
    assert m["status"] == "complete" and m["files"] == ["汇总.xlsx", "部件总表.csv", "部件总表.xlsx"]
    assert "街道/东华门.xlsx" in m["levels"]["street"][0]["files"]
    assert not fb.warnings
    monkeypatch.undo()
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "out" / "街道" / "东华门.xlsx")
    assert wb.sheetnames == ["统计", "明细"] and wb["明细"].max_row > 1


def test_credentials_never_reach_the_manifest(index, tmp_path, monkeypatch):
    monkeypatch.setattr(index, "grid_source", "dbname='gis' host=db user='u' password='hunter2' table=\"g\"")
    exporter.export_district(index, str(tmp_path / "out"), levels=[Level.GRID], formats=["txt"])
    text = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    assert "hunter2" not in text and "password" not in text and "host=db" in text


# ----- entry points --------------------------------------------------------------------------------
def _params(path: Path, out: Path, **extra) -> dict:
    return dfx.district_params(path, OUTPUT_FOLDER=str(out), **extra)


def test_processing_run(provider, district_path, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    out = tmp_path / "out"
    res = processing.run("citycomponents:batchexport", _params(district_path, out))
    assert res["OUTPUT_FOLDER"] == str(out) and res["MANIFEST"] == str(out / "manifest.json")
    assert (res["COMPONENTS_READ"], res["ASSIGNED"], res["UNASSIGNED"]) == (13, 11, 2)
    m = _manifest(out)
    # 汇总.xlsx, 部件总表.csv and .xlsx, the edition record 部件版本.json; per region xlsx + txt + 统计结果.txt
    assert res["FILES"] == len(_listed_files(m)) == 4 + 3 * (2 + 3 + 3 + 6)
    assert {e["key"]: e["by_type"] for e in m["levels"]["supervisor"]} == dfx.EXPECTED_SUPERVISOR
    with pytest.raises(QgsProcessingException, match="OVERWRITE"):
        processing.run("citycomponents:batchexport", _params(district_path, out))
    res = processing.run("citycomponents:batchexport",
                         _params(district_path, out, LEVELS=[3], FORMATS=[2], ENCODING=1, OVERWRITE=True,
                                 TYPES="路灯"))
    m = _manifest(out)
    assert m["levels"]["committee"] == [] and sum(e["total"] for e in m["levels"]["grid"]) == 6
    assert res["FILES"] == 3 + 4  # 汇总, ledger, 部件版本.json; four grids have street lamps
    assert (out / "单元网格" / f"{dfx.G1}.csv").read_bytes().decode("gbk").startswith("标识码,名称,单元网格")


@pytest.mark.skipif(shutil.which("qgis_process.bin") is None, reason="qgis_process.bin not installed")
def test_qgis_process_command_line(provider, district_path, tmp_path):
    env = dict(os.environ, QGIS_PLUGINPATH=str(REPO), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
               QT_QPA_PLATFORM="offscreen")
    subprocess.run(["qgis_process.bin", "plugins", "enable", "citycomponents_plugin"], env=env, check=True,
                   capture_output=True, timeout=120)
    out = tmp_path / "out"
    cmd = ["qgis_process.bin", "run", "citycomponents:batchexport", "--json", "--",
           f"GRIDS={district_path}|layername=单元网格", f"COMMITTEES={district_path}|layername=社区居委会",
           f"COMPONENTS={district_path}|layername=城市部件", "LEVELS=2,3", "FORMATS=0,1",
           f"OUTPUT_FOLDER={out}"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    result = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert result["FILES"] == 4 + 3 * (3 + 6) and result["UNASSIGNED"] == 2  # 4: with 部件版本.json
    m = _manifest(out)
    assert {e["key"]: e["by_type"] for e in m["levels"]["committee"]} == dfx.EXPECTED_COMMITTEE


def test_sample_district_conservation(sample_gpkg, tmp_path):
    """On the generated sample (SCALE=0.1): every level's files hold each assigned component exactly once."""
    names = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")
    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in names}
    index = build_index(_inputs(layers))
    out = tmp_path / "out"
    m = exporter.export_district(index, str(out), formats=["txt"])
    assigned = Counter(zip(map(txt_field, index.comp_id[index.comp_grid >= 0].tolist()),
                           index.grid_code_of(index.comp_grid >= 0)))
    assert m["assigned"] == index.assigned == sum(assigned.values()) and index.unassigned > 0
    summary = openpyxl.load_workbook(out / "汇总.xlsx")
    for level in LEVEL_ORDER:
        entries = m["levels"][level.value]
        assert len(entries) == len(index.regions(level))
        assert sum(e["total"] for e in entries) == index.assigned
        seen: Counter = Counter()
        for e in entries:
            rows = _read_txt(out / e["files"][0])[1:] if e["files"] else []
            assert len(rows) == e["total"]
            seen.update((r[0], r[2]) for r in rows)
        assert seen == assigned, level
        totals = [row for row in summary[level.label].iter_rows(values_only=True)][-1]
        assert totals[0] is None and totals[1] == "合计" and totals[2] == index.assigned
    assert len(summary["未落入网格"]["A"]) == index.unassigned + 1


def test_control_character_in_a_type_name_does_not_break_the_summary(tmp_path, qgis_app):
    """Type names become 汇总.xlsx column headers: an illegal XML character there must not crash."""
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string&field=名称:string", "部件",
                            [(["1101010101000001", "井盖\x01"], (5, 5))])
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[comp]))
    out = tmp_path / "out"
    manifest = exporter.export_district(index, str(out), formats=("xlsx",))
    assert manifest["status"] == "complete"
    header = _sheet_rows(out / "汇总.xlsx", LEVEL_LABELS[Level.GRID])[0]
    assert "井盖?" in header

