"""Each step of the index build alone, on the hand-made district (answers worked out in district_fixtures)."""

from __future__ import annotations

import numpy as np
import pytest
from osgeo import ogr

from citycomponents_plugin.core.engine import build
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE, DistrictInputs
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

G1, G2, G3, G4, G5, G6 = dfx.G1, dfx.G2, dfx.G3, dfx.G4, dfx.G5, dfx.G6


@pytest.fixture
def layers(tmp_path, qgis_app):
    return dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))


def _inputs(layers: dict, **kw) -> DistrictInputs:
    base = dict(grids=layers["单元网格"], components=[layers["城市部件"]], committees=layers["社区居委会"],
                streets=layers["街道办事处"], supervisors=layers["监督员责任区"])
    base.update(kw)
    return DistrictInputs(**base)


def _add_code_field(path, layer_name: str, field: str, codes: dict, key_field: str) -> None:
    """Give an upper-level layer of the fixture file a code field (社区编码...)."""
    ds = ogr.Open(str(path), 1)
    lyr = ds.GetLayerByName(layer_name)
    lyr.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    for feat in lyr:
        feat[field] = codes[feat[key_field]]
        lyr.SetFeature(feat)
    ds = None


def test_read_grids_sorted_by_code_with_the_detected_field(layers):
    grids = build.read_grids(_inputs(layers))
    assert [g.key for g in grids.grids] == [G1, G2, G3, G4, G5, G6]
    assert [g.index for g in grids.grids] == list(range(6))
    assert grids.code_field == "网格编码"
    assert grids.crs.authid() == "EPSG:4548"
    assert all(g is not None for g in grids.geometries)
    assert grids.repaired == [] and grids.null_geometries == []


def test_read_level_places_each_grid_by_largest_share(layers):
    inputs = _inputs(layers)
    grids = build.read_grids(inputs)
    committees = build.read_level(Level.COMMITTEE, layers["社区居委会"], inputs, grids)
    placed = {grids.grids[g].key: committees.regions[r].key for g, r in enumerate(committees.grid_region.tolist())}
    assert placed == {G1: "甲社区", G2: "甲社区", G3: "乙社区", G4: "乙社区", G5: "丙社区", G6: "丙社区"}
    assert [r.key for r in committees.regions] == sorted(["甲社区", "乙社区", "丙社区"])
    assert committees.key_field == "社区名称"
    assert committees.code_field is None  # the fixture's committees have no code field
    # G3/G4 lose a 0.6 m strip to 甲 (0.6% of 100 m), G5 a 0.4 m strip to the gap: shares stay high.
    assert np.all(committees.grid_share > 0.99)
    assert build.weak_grids(committees, grids) == []
    supervisors = build.read_level(Level.SUPERVISOR, layers["监督员责任区"], inputs, grids)
    assert {r.key: r.person for r in supervisors.regions} == {"甲乙区": "张伟", "丙南": "李娜", "丙北": "王芳"}


def test_weak_grids_lists_a_grid_its_region_barely_covers(layers, qgis_app):
    inputs = _inputs(layers)
    grids = build.read_grids(inputs)
    # One street covering only the left 40 m of G5 (and nothing else of 景山's grids).
    half = dfx.memory_layer("Polygon?crs=EPSG:4548&field=街道名称:string", "街道",
                            [(("东华门",), dfx._rect(-0.5, -0.5, 200.2, 200.5)),
                             (("景山",), dfx._rect(200.0, 0.0, 240.0, 100.0))])
    street = build.read_level(Level.STREET, half, inputs, grids)
    weak = build.weak_grids(street, grids)
    # G6 only meets 东华门's 0.2 m overlap: the largest share is still that sliver.
    assert [(code, key) for code, key, _share in weak] == [(G5, "景山"), (G6, "东华门")]
    assert weak[0][2] == pytest.approx(0.40, abs=1e-6)
    assert weak[1][2] == pytest.approx(0.002, abs=1e-6)


def test_region_codes_from_the_layer_field_else_the_grid_prefix(tmp_path, qgis_app):
    path = dfx.write_district(tmp_path / "codes.gpkg")
    _add_code_field(path, "监督员责任区", "责任区编码", {"甲乙区": "11010100101", "丙南": "11010100201",
                                                  "丙北": "11010100202"}, "责任区名称")
    layers = dfx.load_layers(path)
    index = build.build_index(_inputs(layers))
    by_key = {lvl: dict(zip([r.key for r in index.regions(lvl)], index.region_codes(lvl)))
              for lvl in (Level.STREET, Level.COMMITTEE, Level.SUPERVISOR)}
    # No code field in the fixture's streets and committees: the 9 / 12 leading digits all their grids share.
    assert by_key[Level.STREET] == {"东华门": "110101001", "景山": "110101002"}
    assert by_key[Level.COMMITTEE] == {"甲社区": "110101001001", "乙社区": "110101001002", "丙社区": "110101002001"}
    assert by_key[Level.SUPERVISOR] == {"甲乙区": "11010100101", "丙南": "11010100201", "丙北": "11010100202"}
    assert index.levels[Level.SUPERVISOR].code_field == "责任区编码"
    assert index.region_codes(Level.GRID) == [G1, G2, G3, G4, G5, G6]


def test_a_chosen_code_field_wins_and_an_unknown_one_is_an_error(tmp_path, qgis_app):
    path = dfx.write_district(tmp_path / "codes.gpkg")
    _add_code_field(path, "社区居委会", "SQDM", {"甲社区": "A", "乙社区": "B", "丙社区": "C"}, "社区名称")
    layers = dfx.load_layers(path)
    index = build.build_index(_inputs(layers, committee_code_field="SQDM"))
    assert index.region_codes(Level.COMMITTEE) == ["C", "B", "A"]  # regions sorted by name: 丙, 乙, 甲
    with pytest.raises(CityComponentsError, match="COMMITTEE_CODE_FIELD"):
        build.build_index(_inputs(layers, committee_code_field="没有"))


def test_an_upper_level_error_comes_before_a_component_error(tmp_path, qgis_app):
    """The upper levels are placed beside the point read: with both wrong, the level's error is said,
    as when the steps ran in turn; with only the components wrong, theirs."""
    layers = dfx.load_layers(dfx.write_district(tmp_path / "both.gpkg"))
    empty = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string", "空图层", [])
    with pytest.raises(CityComponentsError, match="COMMITTEE_CODE_FIELD") as both:
        build.build_index(_inputs(layers, committee_code_field="没有", components=[empty]))
    assert both.value.message.id != "component_layers_empty"
    with pytest.raises(CityComponentsError) as only_components:
        build.build_index(_inputs(layers, components=[empty]))
    assert only_components.value.message.id == "component_layers_empty"


def test_read_components_columns_and_types(layers):
    comps = build.read_components(_inputs(layers), layers["单元网格"].crs())
    assert comps.count == len(dfx.COMPONENTS) == 13
    assert comps.ids.tolist() == [row[0] for row in dfx.COMPONENTS]
    assert comps.type_names == ["上水井盖", "污水井盖", "路灯"]
    assert [comps.type_names[t] for t in comps.type.tolist()] == [row[1] for row in dfx.COMPONENTS]
    assert comps.valid.tolist() == [row[2] is not None for row in dfx.COMPONENTS]
    assert comps.x[0] == pytest.approx(dfx.X0 + 50) and comps.y[0] == pytest.approx(dfx.Y0 + 50)
    assert comps.grid_attr_values[comps.grid_attr_codes].tolist() == [row[4] for row in dfx.COMPONENTS]
    assert comps.layers[0].id_field == "标识码" and comps.layers[0].type_field == "名称"
    assert comps.layers[0].grid_attr_field == "所在单元网格" and comps.layers[0].features == 13


def test_read_components_refuses_no_layers_and_empty_layers(layers, qgis_app):
    with pytest.raises(CityComponentsError, match="COMPONENTS"):
        build.read_components(_inputs(layers, components=[]), layers["单元网格"].crs())
    empty = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string", "空图层", [])
    with pytest.raises(CityComponentsError, match="空图层.*no features"):
        build.read_components(_inputs(layers, components=[empty]), layers["单元网格"].crs())


def test_locate_and_stored_grids(layers):
    inputs = _inputs(layers)
    grids = build.read_grids(inputs)
    comps = build.read_components(inputs, grids.crs)
    located, on_edge = build.locate_components(comps, grids)
    expected = [grids.grids.index(next(g for g in grids.grids if g.key == code)) if code else -1
                for _i, code in sorted(dfx.EXPECTED_GRID.items())]
    assert located.tolist() == expected
    # rows 2 (G1|G2 edge), 3 (four-grid vertex), 6 (G4|G6 edge) and 11 (outer corner) lie on edges
    assert np.nonzero(on_edge)[0].tolist() == [2, 3, 6, 11]
    stored = build.stored_grids(comps, grids)
    codes = [g.key for g in grids.grids]
    assert stored.tolist() == [codes.index(row[4]) if row[4] else -1 for row in dfx.COMPONENTS]


def test_detail_order_is_grid_then_id_with_unassigned_last(layers):
    inputs = _inputs(layers)
    grids = build.read_grids(inputs)
    comps = build.read_components(inputs, grids.crs)
    located, _ = build.locate_components(comps, grids)
    order = build.detail_order(located, comps, len(grids.grids)).tolist()
    # G1: rows 0, 2, 3 (ids ...0101000001, ...0101000002, ...0118000002); G2: 1; G3: 9; G4: 6, 4, 12 ("=1+2"
    # sorts after the digits); G5: 10; G6: 5, 11; unassigned: 7, 8 (by id).
    assert order == [0, 2, 3, 1, 9, 6, 4, 12, 10, 5, 11, 7, 8]


def test_check_components_reports_each_kind_of_dirt(layers):
    inputs = _inputs(layers)
    grids = build.read_grids(inputs)
    comps = build.read_components(inputs, grids.crs)
    located, on_edge = build.locate_components(comps, grids)
    stored = build.stored_grids(comps, grids)
    report = build.check_components(comps, located, located, stored, on_edge, inputs.kind, {})
    assert report.null_geometry.tolist() == [8]
    assert report.unassigned.tolist() == [7, 8]
    assert report.duplicate_ids == {"1101010101000001": 2}
    assert report.malformed_ids.tolist() == [12]
    assert report.grid_code_mismatch.tolist() == [9]  # stored G1, located in G3
    assert report.on_grid_edge.tolist() == [2, 3, 6, 11]


def test_build_index_by_stored_code_uses_the_stored_step(layers):
    index = build.build_index(_inputs(layers, assign_by=ASSIGN_BY_STORED_CODE))
    codes = [g.key for g in index.grids]
    assert index.comp_grid.tolist() == [codes.index(row[4]) if row[4] else -1 for row in dfx.COMPONENTS]


def test_dates_read_through_qgis_are_iso_text_like_the_arrow_readers():
    """An edition's attributes must not depend on the reader: the iterator gets QDate, Arrow ISO text."""
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    from citycomponents_plugin.core.engine.text_columns import value_text

    assert value_text(QDate(2005, 8, 14)) == "2005-08-14"
    assert value_text(QDateTime(QDate(2005, 8, 14), QTime(9, 30, 5))) == "2005-08-14T09:30:05"
    assert value_text(QDate()) == ""
    assert value_text(11010100100101.0) == "11010100100101"
