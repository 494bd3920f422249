"""Codes in number fields, overlapping grids, upper levels with gaps and GBK shapefiles: counted right,
reported with the exact message, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.batch_export import exporter
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.fields import dbf_truncations, detect_field
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE, DistrictInputs
from citycomponents_plugin.core.engine.overlaps import ComponentOverlap, GridOverlap
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import UPPER_LEVELS, Level
from citycomponents_plugin.core.messages import english
from tests.faults.damage import write_dbf

import district_fixtures as dfx
from district_fixtures import G1, G2, G3, G4, G5, G6


def _layers(path: Path) -> dict:
    dfx.write_district(path)
    return dfx.load_layers(path)


def _inputs(layers: dict, **kw) -> DistrictInputs:
    base = {"grids": layers["单元网格"], "components": [layers["城市部件"]], "committees": layers["社区居委会"],
            "streets": layers["街道办事处"], "supervisors": layers["监督员责任区"]}
    base.update(kw)
    return DistrictInputs(**base)


def _conserved(index) -> None:
    """SPEC 4.4: at every level the regions' totals add up to the assigned count; assigned + unassigned = read."""
    assert index.assigned + index.unassigned == index.components_read
    for level in index.levels_present():
        assert int(index.crosstab(level).sum()) == index.assigned, level
        assert sum(len(m) for m in index.members_by_region(level)) == index.assigned, level


# ----- codes in number fields ---------------------------------------------------------------------
def _numeric_district(path: Path, field_type: int) -> dict:
    """The fixture district with the grid code and the stored grid code in number fields."""
    dfx.write_district(path)
    ds = ogr.Open(str(path), 1)
    grid = ds.CreateLayer("网格_数值", dfx._srs(4548), ogr.wkbPolygon)
    grid.CreateField(ogr.FieldDefn("网格编码", field_type))
    for code, (x, y) in sorted(dfx.GRID_SQUARES.items()):
        feat = ogr.Feature(grid.GetLayerDefn())
        feat["网格编码"] = float(code) if field_type == ogr.OFTReal else int(code)
        feat.SetGeometry(ogr.CreateGeometryFromWkt(dfx._rect(x, y, x + 100, y + 100)))
        grid.CreateFeature(feat)
    pts = ds.CreateLayer("部件_数值", dfx._srs(4548), ogr.wkbPoint)
    pts.CreateField(ogr.FieldDefn("标识码", ogr.OFTString))
    pts.CreateField(ogr.FieldDefn("名称", ogr.OFTString))
    pts.CreateField(ogr.FieldDefn("所在单元网格", field_type))
    for ident, kind, x, y, stored in dfx.COMPONENTS:
        feat = ogr.Feature(pts.GetLayerDefn())
        feat["标识码"], feat["名称"] = ident, kind
        if stored:
            feat["所在单元网格"] = float(stored) if field_type == ogr.OFTReal else int(stored)
        if x is not None:
            feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({dfx.X0 + x} {dfx.Y0 + y})"))
        pts.CreateFeature(feat)
    ds = None
    return dfx.load_layers(path)


@pytest.mark.parametrize("field_type, type_name", [(ogr.OFTReal, "Real"), (ogr.OFTInteger64, "Integer64")])
def test_codes_in_number_fields_read_as_digits_with_a_warning(tmp_path, qgis_app, field_type, type_name):
    layers = _numeric_district(tmp_path / "n.gpkg", field_type)
    inputs = _inputs(layers, grids=layers["网格_数值"], components=[layers["部件_数值"]])
    index = build_index(inputs)
    assert [g.key for g in index.grids] == sorted(dfx.GRID_SQUARES)  # no '.0', no exponent
    assert index.find_region(Level.GRID, "11010100100101").key == G1  # REGION written as digits
    assert index.assigned == 11 and len(index.report.grid_code_mismatch) == 1  # row 9: stored G1, in G3
    numeric = [w for w in index.warnings if w.id == "numeric_code_field"]
    assert [(w.values["layer"], w.values["field"], w.values["example"]) for w in numeric] == [
        ("网格_数值", "网格编码", G1), ("部件_数值", "所在单元网格", G1)]
    assert all(w.values["type"].startswith(type_name[:4]) or w.values["type"] for w in numeric)
    assert "Codes belong in text fields" in english(numeric[0])
    _conserved(index)


def test_assign_by_stored_code_works_with_real_codes(tmp_path, qgis_app):
    layers = _numeric_district(tmp_path / "n.gpkg", ogr.OFTReal)
    index = build_index(_inputs(layers, grids=layers["网格_数值"], components=[layers["部件_数值"]],
                                assign_by=ASSIGN_BY_STORED_CODE))
    # Every component with a stored code (12 of 13: row 7 has none) is assigned by it, row 9 to G1.
    assert index.assigned == 12 and index.unassigned == 1
    g1 = index.find_region(Level.GRID, G1)
    assert len(index.region_members(Level.GRID, g1)) == 4  # rows 0, 2, 3 and 9
    _conserved(index)


def test_region_statistics_answers_a_grid_code_written_as_digits(provider, tmp_path, qgis_app):
    import processing

    path = tmp_path / "n.gpkg"
    _numeric_district(path, ogr.OFTReal)
    params = dfx.district_params(path, GRIDS=f"{path}|layername=网格_数值", COMPONENTS=[f"{path}|layername=部件_数值"],
                                 LEVEL=3, REGION="11010100100101", STATISTICS="TEMPORARY_OUTPUT",
                                 DETAILS="TEMPORARY_OUTPUT")
    res = processing.run("citycomponents:regionstatistics", params)
    assert res["TOTAL"] == 3 and json.loads(res["BY_TYPE"]) == dfx.EXPECTED_BY_GRID[G1]
    res = processing.run("citycomponents:regionstatistics", {**params, "ASSIGN_BY": 1})
    assert res["TOTAL"] == 4


# ----- overlapping grids --------------------------------------------------------------------------
DUPLICATE = "11010100100199"


def test_a_duplicated_grid_is_reported_and_takes_nothing_twice(tmp_path, qgis_app):
    path = tmp_path / "o.gpkg"
    dfx.write_district(path)
    ds = ogr.Open(str(path), 1)
    lyr = ds.GetLayerByName("单元网格")
    feat = ogr.Feature(lyr.GetLayerDefn())
    feat["网格编码"] = DUPLICATE  # G1's square again, under another code
    feat.SetGeometry(ogr.CreateGeometryFromWkt(dfx._rect(0, 0, 100, 100)))
    lyr.CreateFeature(feat)
    ds = None
    index = build_index(_inputs(dfx.load_layers(path)))
    # Row 0 (50, 50) is strictly inside G1 and its copy; rows 2 and 3 lie on G1's edge/vertex (not inside).
    assert index.report.several_grids == [ComponentOverlap(0, [G1, DUPLICATE])]
    assert index.report.overlapping_grids == [GridOverlap(G1, DUPLICATE, pytest.approx(10000.0), 1.0)]
    ids = [w.id for w in index.warnings]
    assert ids.count("components_in_several_grids") == 1 and ids.count("overlapping_grids") == 1
    text = english(index.warnings[ids.index("components_in_several_grids")])
    assert "1101010101000001 (11010100100101, 11010100100199)" in text
    assert "11010100100101 / 11010100100199: 10000.0 m²" in english(index.warnings[ids.index("overlapping_grids")])
    # Counted once, in the smaller code; the copy holds nothing.
    assert index.assigned == 11
    assert len(index.region_members(Level.GRID, index.find_region(Level.GRID, G1))) == 3
    assert len(index.region_members(Level.GRID, index.find_region(Level.GRID, DUPLICATE))) == 0
    _conserved(index)


def test_the_plain_fixture_has_no_overlaps(tmp_path, qgis_app):
    index = build_index(_inputs(_layers(tmp_path / "d.gpkg")))
    assert index.report.several_grids == [] and index.report.overlapping_grids == []
    assert index.warnings == []


# ----- upper levels with gaps: the (不属于任何<level>) pseudo-region ---------------------------------
def _delete_features(src: Path, dst: Path, table: str, count: int) -> list:
    shutil.copyfile(src, dst)
    ds = ogr.Open(str(dst), 1)
    lyr = ds.GetLayerByName(table)
    fids = [f.GetFID() for f in lyr][:count]
    for fid in fids:
        assert lyr.DeleteFeature(fid) == 0
    ds = None
    return fids


def _sample_inputs(path: Path) -> DistrictInputs:
    def layer(name):
        return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    return DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")], committees=layer("社区居委会"),
                          streets=layer("街道办事处"), supervisors=layer("监督员责任区"))


def test_the_readme_conservation_claim_holds_on_the_sample(sample_gpkg, qgis_app):
    index = build_index(_sample_inputs(sample_gpkg))
    _conserved(index)
    assert all(data.pseudo == -1 for data in index.levels.values())  # every grid is covered


def test_three_committees_deleted_keep_every_level_conserved(sample_gpkg, tmp_path, qgis_app):
    path = tmp_path / "gaps.gpkg"
    _delete_features(sample_gpkg, path, "社区居委会", 3)
    index = build_index(_sample_inputs(path))
    committees = index.regions(Level.COMMITTEE)
    assert len(committees) == 126 - 3 + 1
    pseudo = committees[-1]
    assert pseudo.key == "(不属于任何社区居委会)" and pseudo.pseudo
    assert pseudo.index == index.levels[Level.COMMITTEE].pseudo
    in_pseudo = len(index.region_members(Level.COMMITTEE, pseudo))
    assert in_pseudo > 0
    _conserved(index)
    warning = next(w for w in index.warnings if w.id == "grids_outside_level")
    assert warning.values["level"] == "社区居委会" and warning.values["components"] == in_pseudo
    assert index.region_codes(Level.COMMITTEE)[-1] == ""
    # Every consumer lists it: the manifest (totals add up) and 汇总.xlsx.
    out = tmp_path / "out"
    manifest = exporter.export_district(index, str(out), levels=[Level.COMMITTEE], formats=["txt"])
    entries = manifest["levels"]["committee"]
    assert entries[-1]["key"] == "(不属于任何社区居委会)" and entries[-1]["total"] == in_pseudo
    assert sum(e["total"] for e in entries) == manifest["assigned"] == index.assigned
    assert "grids_outside_level" in [w["id"] for w in manifest["warnings"]]
    from openpyxl import load_workbook

    sheet = load_workbook(out / "汇总.xlsx", read_only=True)["社区居委会"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[-2][1] == "(不属于任何社区居委会)" and rows[-2][2] == in_pseudo
    assert rows[-1][1] == "合计" and rows[-1][2] == index.assigned


def test_a_level_covering_nothing_puts_every_grid_in_its_pseudo_region(tmp_path, qgis_app):
    """A street layer far from the grids: one pseudo-region holds all 11 assigned components."""
    layers = _layers(tmp_path / "d.gpkg")
    far = dfx.memory_layer("Polygon?crs=EPSG:4548&field=街道名称:string", "远处街道",
                           [(("远处",), dfx._rect(5000, 5000, 5100, 5100))])
    index = build_index(_inputs(layers, streets=far))
    assert [r.key for r in index.regions(Level.STREET)] == ["远处", "(不属于任何街道)"]
    assert [len(m) for m in index.members_by_region(Level.STREET)] == [0, 11]
    _conserved(index)
    assert index.report.weak_grids[Level.STREET][0][1] == ""  # no real region: the audit sees a gap


def test_booklets_for_all_areas_leave_out_the_pseudo_area_unless_named(tmp_path, qgis_app):
    """Grids outside every supervisor area have no supervisor: "all areas" means the supervisors' areas."""
    from citycomponents_plugin.core.booklet.booklet_export import resolve_areas

    layers = _layers(tmp_path / "d.gpkg")
    far = dfx.memory_layer("Polygon?crs=EPSG:4548&field=责任区名称:string", "远处责任区",
                           [(("远处",), dfx._rect(5000, 5000, 5100, 5100))])
    index = build_index(_inputs(layers, supervisors=far))
    assert [r.key for r in index.regions(Level.SUPERVISOR)] == ["远处", "(不属于任何监督员责任区)"]
    assert [r.key for r in resolve_areas(index)] == ["远处"]
    assert [r.key for r in resolve_areas(index, ["(不属于任何监督员责任区)"])] == ["(不属于任何监督员责任区)"]


# ----- encodings and DBF-truncated names ----------------------------------------------------------
def test_dbf_truncations_are_worked_out_in_gbk_and_utf8():
    assert dbf_truncations("所在单元网格") == ["所在单元网", "所在单"]
    assert dbf_truncations("单元网格编码") == ["单元网格编", "单元网"]
    assert dbf_truncations("标识码") == []  # 6 bytes in GBK, 9 in UTF-8: fits
    assert dbf_truncations("监督员责任区编码") == ["监督员责任"]  # UTF-8's 监督员 is the supervisor's name field
    assert detect_field(["所在单元网"], ["所在单元网格"], dbf=True) == "所在单元网"
    assert detect_field(["所在单\ufffd"], ["所在单元网格"], dbf=True) == "所在单\ufffd"
    assert detect_field(["所在单元网"], ["所在单元网格"]) is None  # not a DBF: no truncation


def _shapefile(folder: Path, encoding: str, fields: tuple, keep_cpg: bool) -> Path:
    """The fixture's components as a shapefile whose .dbf is written in `encoding` (by hand, as a GBK tool
    writes it: GDAL's own encoding depends on process-wide settings); a .cpg naming it when `keep_cpg`."""
    folder.mkdir()
    shp = folder / "部件.shp"
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(shp))
    lyr = ds.CreateLayer("部件", dfx._srs(4548), ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("n", ogr.OFTInteger))
    for n, (_ident, _kind, x, y, _stored) in enumerate(dfx.COMPONENTS):
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat["n"] = n
        if x is not None:
            feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({dfx.X0 + x} {dfx.Y0 + y})"))
        lyr.CreateFeature(feat)
    ds = None
    write_dbf(shp.with_suffix(".dbf"), list(fields), [row[:2] + (row[4],) for row in dfx.COMPONENTS], encoding)
    cpg = shp.with_suffix(".cpg")
    if keep_cpg:
        cpg.write_text("UTF-8" if encoding == "utf-8" else encoding.upper())
    elif cpg.exists():
        os.unlink(cpg)
    return shp


def test_a_gbk_shapefile_without_cpg_says_gbk_not_no_layers(tmp_path, qgis_app):
    shp = _shapefile(tmp_path / "gbk", "gbk", ("标识码", "名称", "所在单元网格"), keep_cpg=False)
    layers = _layers(tmp_path / "d.gpkg")
    with pytest.raises(CityComponentsError) as info:
        build_index(_inputs(layers, components=[QgsVectorLayer(str(shp), "部件", "ogr")]))
    err = info.value
    assert err.message.id == "fields_garbled" and err.message.parameter == "COMPONENTS"
    assert "GBK" in str(err) and f"{shp}|option:ENCODING=GBK" in str(err)


def test_the_gbk_shapefile_opened_as_gbk_reads_right_with_its_truncated_names(tmp_path, qgis_app):
    shp = _shapefile(tmp_path / "gbk", "gbk", ("标识码", "名称", "所在单元网格"), keep_cpg=False)
    layer = QgsVectorLayer(f"{shp}|option:ENCODING=GBK", "部件", "ogr")
    assert layer.fields().names() == ["标识码", "名称", "所在单元网"]
    index = build_index(_inputs(_layers(tmp_path / "d.gpkg"), components=[layer]))
    assert index.layers[0].grid_attr_field == "所在单元网"  # the stored-grid check does not disappear
    assert len(index.report.grid_code_mismatch) == 1 and index.assigned == 11
    assert sorted(index.type_names) == ["上水井盖", "污水井盖", "路灯"]
    assert "dbf_not_utf8" not in [w.id for w in index.warnings]


def test_gbk_values_under_ascii_names_warn(tmp_path, qgis_app):
    shp = _shapefile(tmp_path / "gbk", "gbk", ("BSM", "OBJNAME", "BGID"), keep_cpg=False)
    index = build_index(_inputs(_layers(tmp_path / "d.gpkg"),
                                components=[QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert index.components_read == 13 and index.assigned == 11  # counted; the type names are garbage
    warning = next(w for w in index.warnings if w.id == "dbf_not_utf8")
    assert warning.values["layer"] == "部件" and warning.values["count"] == 13  # every 名称 is Chinese
    assert warning.values["field"] == "OBJNAME" and warning.values["cpg"] == "部件.cpg"
    text = english(warning)
    assert "Layer Properties > Source > Data source encoding" in text and "ENCODING" in text


def test_a_utf8_shapefile_with_cut_names_is_detected_and_not_warned(tmp_path, qgis_app):
    shp = _shapefile(tmp_path / "utf8", "utf-8", ("标识码", "名称", "所在单元网格"), keep_cpg=True)
    index = build_index(_inputs(_layers(tmp_path / "d.gpkg"),
                                components=[QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert index.layers[0].grid_attr_field.startswith("所在单")
    assert len(index.report.grid_code_mismatch) == 1
    assert index.warnings == []


def test_numbers_of_every_case_add_up(tmp_path, qgis_app):
    """The plain fixture through the same checks: the reference the other cases are compared with."""
    index = build_index(_inputs(_layers(tmp_path / "d.gpkg")))
    assert (index.components_read, index.assigned, index.unassigned) == (13, 11, 2)
    counts = {g.key: len(m) for g, m in zip(index.grids, index.members_by_region(Level.GRID))}
    assert counts == {G1: 3, G2: 1, G3: 1, G4: 3, G5: 1, G6: 2}
    assert set(UPPER_LEVELS) == set(index.levels)
    assert np.sum([len(m) for m in index.members_by_region(Level.COMMITTEE)]) == 11


def test_region_statistics_answers_for_the_pseudo_region(provider, tmp_path, qgis_app):
    """Only 丙社区 given: G1-G4 lie in no committee (丙 starts at x=200.4), so their 8 components are the
    committee region (不属于任何社区居委会); with 丙社区's 3 the committee level adds up to the 11 assigned."""
    import processing

    path = dfx.write_district(tmp_path / "d.gpkg")
    params = dfx.district_params(path, COMMITTEES=f"{path}|layername=社区居委会|subset=\"社区名称\" = '丙社区'",
                                 LEVEL=2, STATISTICS="TEMPORARY_OUTPUT", DETAILS="TEMPORARY_OUTPUT")
    pseudo = processing.run("citycomponents:regionstatistics", {**params, "REGION": "(不属于任何社区居委会)"})
    real = processing.run("citycomponents:regionstatistics", {**params, "REGION": "丙社区"})
    assert (pseudo["TOTAL"], real["TOTAL"]) == (8, 3)
    # G1: 上水井盖 x2 + 路灯; G2: 路灯; G3: 上水井盖 (row 9); G4: 路灯 x2 + 污水井盖.
    assert json.loads(pseudo["BY_TYPE"]) == {"路灯": 4, "上水井盖": 3, "污水井盖": 1}


def test_the_dialog_cascade_lists_the_pseudo_region(tmp_path, qgis_app):
    """Only 丙社区 given: the committee list offers (不属于任何社区居委会), and under street 东华门 (G1-G4)
    it is the only committee; its grids are G1-G4."""
    from citycomponents_plugin.gui import region_cascade as rc

    layers = _layers(tmp_path / "d.gpkg")
    committees = layers["社区居委会"]
    assert committees.setSubsetString("\"社区名称\" = '丙社区'")
    index = build_index(_inputs(layers, committees=committees))
    assert [r.key for r in rc.options(index, {}, Level.COMMITTEE)] == ["丙社区", "(不属于任何社区居委会)"]
    street = index.find_region(Level.STREET, "东华门")
    assert [r.key for r in rc.options(index, {Level.STREET: street}, Level.COMMITTEE)] == ["(不属于任何社区居委会)"]
    pseudo = index.regions(Level.COMMITTEE)[-1]
    assert [g.key for g in rc.options(index, {Level.COMMITTEE: pseudo}, Level.GRID)] == [G1, G2, G3, G4]
