"""The engine against the hand-made district: every answer here was worked out by hand (see district_fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr
from qgis.core import QgsGeometry, QgsPointXY, QgsVectorLayer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE, KIND_ADDRESSES, DistrictInputs
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx


def _inputs(layers: dict, **kw) -> DistrictInputs:
    base = dict(grids=layers["单元网格"], components=[layers["城市部件"]], committees=layers["社区居委会"],
                streets=layers["街道办事处"], supervisors=layers["监督员责任区"])
    base.update(kw)
    return DistrictInputs(**base)


def _by_region(index, level: Level) -> dict:
    return {r.key: dict(index.statistics(index.region_members(level, r))) for r in index.regions(level)}


@pytest.fixture(params=[4548, 4490], ids=["same-crs", "components-in-4490"])
def district(request, tmp_path, qgis_app):
    path = dfx.write_district(tmp_path / "d.gpkg", component_epsg=request.param)
    return dfx.load_layers(path)


def test_each_point_in_exactly_one_grid_with_edge_rule(district):
    index = build_index(_inputs(district))
    got = {i: (index.grids[g].key if g >= 0 else None) for i, g in enumerate(index.comp_grid.tolist())}
    assert got == dfx.EXPECTED_GRID
    assert _by_region(index, Level.GRID) == dfx.EXPECTED_BY_GRID


def test_upper_levels_by_largest_share_despite_offsets(district):
    index = build_index(_inputs(district))
    assert _by_region(index, Level.COMMITTEE) == dfx.EXPECTED_COMMITTEE
    assert _by_region(index, Level.STREET) == dfx.EXPECTED_STREET
    # 丙社区 is split in two supervisor areas: each grid lands in one of them.
    assert _by_region(index, Level.SUPERVISOR) == dfx.EXPECTED_SUPERVISOR
    sup = index.levels[Level.SUPERVISOR]
    assert {r.key: r.person for r in sup.regions} == {"甲乙区": "张伟", "丙北": "王芳", "丙南": "李娜"}


def test_strict_within_would_fail_here(district):
    """Guard on the fixture itself: the offsets really make `within` miss grids."""
    grids = {f["网格编码"]: f.geometry() for f in district["单元网格"].getFeatures()}
    committees = {f["社区名称"]: f.geometry() for f in district["社区居委会"].getFeatures()}
    assert not grids[dfx.G3].within(committees["乙社区"])
    assert not grids[dfx.G5].within(committees["丙社区"])


def test_conservation_at_every_level(district):
    index = build_index(_inputs(district))
    assert index.components_read == len(dfx.COMPONENTS)
    assert index.assigned == 11 and index.unassigned == 2
    for level in index.levels_present():
        total = int(index.crosstab(level).sum())
        assert total == index.assigned, level
        members = np.concatenate(index.members_by_region(level))
        assert len(members) == len(set(members.tolist())) == index.assigned


def test_statistics_sorted_by_count_then_name(district):
    index = build_index(_inputs(district))
    street = index.find_region(Level.STREET, "东华门")
    assert index.statistics(index.region_members(Level.STREET, street)) == [
        ("路灯", 4), ("上水井盖", 3), ("污水井盖", 1)]


def test_details_sorted_by_grid_then_id(district):
    index = build_index(_inputs(district))
    area = index.find_region(Level.SUPERVISOR, "甲乙区")
    rows = index.detail_rows(index.region_members(Level.SUPERVISOR, area))
    assert rows == sorted(rows, key=lambda r: (r[2], r[0]))
    assert rows[0] == ("1101010101000001", "上水井盖", dfx.G1)
    assert [r[2] for r in rows].count(dfx.G1) == 3
    assert ("=1+2", "路灯", dfx.G4) in rows


def test_type_filter(district):
    index = build_index(_inputs(district))
    street = index.find_region(Level.STREET, "东华门")
    members = index.region_members(Level.STREET, street, types=["路灯"])
    assert index.statistics(members) == [("路灯", 4)]
    with pytest.raises(CityComponentsError, match="路灯"):
        index.type_mask(["路 灯x"])


def test_report_counts_dirt(district):
    index = build_index(_inputs(district))
    rep = index.report
    assert rep.null_geometry.tolist() == [8]
    assert rep.unassigned.tolist() == [7, 8]
    assert rep.duplicate_ids == {"1101010101000001": 2}
    assert rep.malformed_ids.tolist() == [12]
    assert rep.grid_code_mismatch.tolist() == [9]
    assert set(rep.on_grid_edge.tolist()) == {2, 3, 6, 11}
    assert all(not weak for weak in rep.weak_grids.values())


def test_attribute_mode_uses_stored_code(district):
    index = build_index(_inputs(district, assign_by=ASSIGN_BY_STORED_CODE))
    got = {i: (index.grids[g].key if g >= 0 else None) for i, g in enumerate(index.comp_grid.tolist())}
    expected = {i: (row[4] or None) for i, row in enumerate(dfx.COMPONENTS)}
    assert got == expected
    assert got[8] == dfx.G2  # a NULL geometry still has a stored code
    assert index.unassigned == 1


def test_region_lookup_suggests_close_names(district):
    index = build_index(_inputs(district))
    assert index.find_region(Level.COMMITTEE, "甲社区").key == "甲社区"
    with pytest.raises(CityComponentsError, match="Did you mean: 甲社区"):
        index.find_region(Level.COMMITTEE, "甲社")


def test_iterator_path_equals_arrow_path(district):
    """Memory layers (and PostGIS) go through the feature iterator: same answer as the Arrow reader."""
    comp = district["城市部件"]
    mem = QgsVectorLayer(f"Point?crs={comp.crs().authid()}", "城市部件", "memory")
    mem.dataProvider().addAttributes(comp.fields().toList())
    mem.updateFields()
    mem.dataProvider().addFeatures(list(comp.getFeatures()))
    a = build_index(_inputs(district))
    b = build_index(_inputs(district, components=[mem]))
    assert a.comp_grid.tolist() == b.comp_grid.tolist()
    assert a.comp_id.tolist() == b.comp_id.tolist()
    assert a.comp_valid.tolist() == b.comp_valid.tolist() == [row[2] is not None for row in dfx.COMPONENTS]
    assert [a.type_names[t] for t in a.comp_type] == [b.type_names[t] for t in b.comp_type]
    np.testing.assert_allclose(a.comp_x[a.comp_valid], b.comp_x[b.comp_valid], rtol=0, atol=1e-6)
    np.testing.assert_allclose(a.comp_y[a.comp_valid], b.comp_y[b.comp_valid], rtol=0, atol=1e-6)


def test_per_type_layers_take_type_from_layer_name(tmp_path, qgis_app):
    path = tmp_path / "per_type.gpkg"
    dfx.write_district(path)
    ds = ogr.Open(str(path), 1)
    dfx.write_components(ds, "路灯", 4548, [("1101010118000101", "", 10, 10, dfx.G1),
                                             ("1101010118000102", "", 110, 10, dfx.G2)])
    ds = None
    layers = dfx.load_layers(path)
    index = build_index(_inputs(layers, components=[layers["城市部件"], layers["路灯"]]))
    g1 = index.find_region(Level.GRID, dfx.G1)
    assert dict(index.statistics(index.region_members(Level.GRID, g1))) == {"上水井盖": 2, "路灯": 2}
    assert index.components_read == len(dfx.COMPONENTS) + 2


def test_gbk_shapefile(tmp_path, qgis_app):
    """A legacy shapefile in GBK (with a .cpg) reads its Chinese names correctly."""
    shp = tmp_path / "bujian.shp"
    drv = ogr.GetDriverByName("ESRI Shapefile")
    saved = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)  # QGIS blanks it process-wide, which disables recoding
    ds = drv.CreateDataSource(str(shp))
    lyr = ds.CreateLayer("bujian", dfx._srs(4548), ogr.wkbPoint, options=["ENCODING=GBK"])
    for f in ("标识码", "名称"):
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for ident, name, x, y in [("1101010101000009", "上水井盖", 20, 20), ("1101010118000009", "路灯", 120, 20)]:
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat["标识码"], feat["名称"] = ident, name
        feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({dfx.X0 + x} {dfx.Y0 + y})"))
        lyr.CreateFeature(feat)
    ds = None
    gdal.SetConfigOption("SHAPE_ENCODING", saved)
    assert (tmp_path / "bujian.cpg").read_text().strip().upper() in ("GBK", "CP936", "936")
    assert "上水井盖".encode("gbk") in (tmp_path / "bujian.dbf").read_bytes()
    grids_path = dfx.write_district(tmp_path / "d.gpkg")
    layers = dfx.load_layers(grids_path)
    comp = QgsVectorLayer(str(shp), "bujian", "ogr")
    index = build_index(_inputs(layers, components=[comp]))
    assert index.type_names == ["上水井盖", "路灯"]
    assert index.grid_code_of(np.arange(2)) == [dfx.G1, dfx.G2]


def test_multipoint_counts_once_at_first_point(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    two_points = QgsGeometry.fromMultiPointXY([QgsPointXY(dfx.X0 + 50, dfx.Y0 + 50),
                                               QgsPointXY(dfx.X0 + 150, dfx.Y0 + 50)])
    mp = dfx.memory_layer("MultiPoint?crs=EPSG:4548&field=标识码:string&field=名称:string", "multi",
                          [(["1101010118000200", "路灯"], two_points)])
    index = build_index(_inputs(layers, components=[mp]))
    assert index.components_read == 1
    assert index.grid_code_of(np.array([0])) == [dfx.G1]
    assert index.report.multipart == 1


def test_invalid_grid_polygon_is_repaired_and_reported(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    bowtie = (f"POLYGON(({dfx.X0} {dfx.Y0},{dfx.X0 + 100} {dfx.Y0 + 100},"
              f"{dfx.X0 + 100} {dfx.Y0},{dfx.X0} {dfx.Y0 + 100},{dfx.X0} {dfx.Y0}))")
    grids = dfx.memory_layer("Polygon?crs=EPSG:4548&field=网格编码:string", "grids", [([dfx.G1], bowtie)])
    # The bow-tie crosses itself at (50, 50); repaired, it is two triangles: a left one with the apex at
    # (50, 50) over x = 0 and a right one over x = 100. (20, 50) and (80, 50) lie inside them; (50, 20) and
    # (50, 80) lie inside the bow-tie's bounding box but in neither triangle.
    probes = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string&field=名称:string", "probes",
                              [([f"p{x}_{y}", "路灯"], (x, y)) for x, y in ((20, 50), (80, 50), (50, 20), (50, 80))])
    index = build_index(DistrictInputs(grids=grids, components=[layers["城市部件"], probes]))
    assert [code for _fid, code in index.grid_repaired] == [dfx.G1]
    assert index.components_read == len(dfx.COMPONENTS) + 4
    located = dict(zip(index.comp_id.tolist(), index.grid_code_of(np.arange(index.components_read))))
    assert [located[p] for p in ("p20_50", "p80_50", "p50_20", "p50_80")] == [dfx.G1, dfx.G1, "", ""]


# ----- bad input: clear messages, never a crash -----------------------------------------------------
def test_grid_layer_must_be_polygons(district):
    with pytest.raises(CityComponentsError, match="'城市部件'.*polygon"):
        build_index(_inputs(district, grids=district["城市部件"]))


def test_component_layer_must_be_points(district):
    with pytest.raises(CityComponentsError, match="'社区居委会'.*point"):
        build_index(_inputs(district, components=[district["社区居委会"]]))


def test_no_detectable_field_lists_candidates(district, tmp_path):
    grids = dfx.memory_layer("Polygon?crs=EPSG:4548&field=foo:string", "网格",
                             [(["x"], "POLYGON((0 0,1 0,1 1,0 0))")])
    with pytest.raises(CityComponentsError) as err:
        build_index(_inputs(district, grids=grids))
    msg = str(err.value)
    assert "网格编码" in msg and "BGID" in msg and "GRID_CODE_FIELD" in msg and "foo" in msg


def test_field_override_must_exist(district):
    with pytest.raises(CityComponentsError, match="no field 'XYZ'.*ID_FIELD"):
        build_index(_inputs(district, id_field="XYZ"))


def test_duplicate_grid_codes_are_an_error(district):
    grids = dfx.memory_layer("Polygon?crs=EPSG:4548&field=网格编码:string", "网格",
                             [([dfx.G1], "POLYGON((0 0,1 0,1 1,0 0))"), ([dfx.G1], "POLYGON((2 0,3 0,3 1,2 0))")])
    with pytest.raises(CityComponentsError, match=f"duplicate.*'{dfx.G1}'"):
        build_index(_inputs(district, grids=grids))


def test_undefined_crs_is_an_error(district):
    grids = dfx.memory_layer("Polygon?crs=&field=网格编码:string", "无坐标系网格",
                             [([dfx.G1], "POLYGON((0 0,1 0,1 1,0 0))")])
    assert not grids.crs().isValid()
    with pytest.raises(CityComponentsError, match="'无坐标系网格'.*no defined CRS"):
        build_index(_inputs(district, grids=grids))


def test_missing_file_is_an_error(district, tmp_path):
    missing = QgsVectorLayer(str(tmp_path / "nope.gpkg") + "|layername=x", "丢失的图层", "ogr")
    with pytest.raises(CityComponentsError, match="丢失的图层"):
        build_index(_inputs(district, components=[missing]))


def test_empty_grid_layer_is_an_error(district):
    grids = QgsVectorLayer("Polygon?crs=EPSG:4548&field=网格编码:string", "空网格", "memory")
    with pytest.raises(CityComponentsError, match="'空网格'.*no features"):
        build_index(_inputs(district, grids=grids))


def test_addresses_kind(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    poi = dfx.memory_layer("Point?crs=EPSG:4548&field=名称:string&field=类别:string&field=地址:string", "兴趣点",
                           [(["东来顺", "餐饮", "王府井大街1号"], (10, 10)),
                            (["工商银行", "银行", "王府井大街2号"], (20, 10)),
                            (["全聚德", "餐饮", "前门大街3号"], (150, 150))])
    index = build_index(_inputs(layers, components=[poi], kind=KIND_ADDRESSES))
    assert index.detail_headers() == ["名称", "类别", "地址", "单元网格"]
    street = index.find_region(Level.STREET, "东华门")
    members = index.region_members(Level.STREET, street)
    assert index.statistics(members) == [("餐饮", 2), ("银行", 1)]
    assert index.detail_rows(members)[0] == ("东来顺", "餐饮", "王府井大街1号", dfx.G1)


def test_inputs_are_not_modified(tmp_path, qgis_app):
    path = dfx.write_district(tmp_path / "d.gpkg")
    before = Path(path).read_bytes()
    layers = dfx.load_layers(path)
    build_index(_inputs(layers))
    del layers
    assert Path(path).read_bytes() == before


def test_grids_outside_every_region_are_reported(tmp_path, qgis_app):
    """Drop 丙社区: G5 and G6 go to the neighbours whose slivers cover them (the largest share, < 1%),
    reported as weak; every component is still counted once at that level."""
    path = dfx.write_district(tmp_path / "d.gpkg")
    layers = dfx.load_layers(path)
    committees = layers["社区居委会"]
    assert committees.setSubsetString("社区名称 <> '丙社区'")
    index = build_index(_inputs(layers, committees=committees))
    weak = index.report.weak_grids[Level.COMMITTEE]
    assert [(code, key) for code, key, _share in weak] == [(dfx.G5, "甲社区"), (dfx.G6, "乙社区")]
    assert all(0 < share < 0.01 for _code, _key, share in weak)
    assert int(index.crosstab(Level.COMMITTEE).sum()) == index.assigned
    assert not index.report.weak_grids[Level.STREET]


def test_layers_opened_by_path_are_known_by_their_table_name(tmp_path, qgis_app):
    """Processing names a layer opened from 'file.gpkg|layername=路灯' after the file; the operator means 路灯."""
    path = tmp_path / "district.gpkg"
    dfx.write_district(path)
    ds = ogr.Open(str(path), 1)
    dfx.write_components(ds, "路灯", 4548, [("1101010118000101", "", 10, 10, dfx.G1)])
    ds = None
    lamps = QgsVectorLayer(f"{path}|layername=路灯", "district", "ogr")  # as Processing names it
    grids = QgsVectorLayer(f"{path}|layername=单元网格", "district", "ogr")
    index = build_index(DistrictInputs(grids=grids, components=[lamps]))
    assert index.type_names == ["路灯"] and index.layers[0].name == "路灯"
    with pytest.raises(CityComponentsError, match="No 单元网格 named 'x' in layer '单元网格'"):
        index.find_region(Level.GRID, "x")
