"""The engine against the sample's own answer key (table 样例数据问题, written by the generator).

The generator knows where it put every dirty component, and which grid SPEC 4.1 gives it
(应归网格): an independent check of the edge/vertex rule, the report and attribute mode.
"""

from __future__ import annotations

import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE, DistrictInputs


@pytest.fixture(scope="module")
def answer_key(sample_gpkg) -> list:
    ds = ogr.Open(str(sample_gpkg))
    rows = [dict(f.items()) for f in ds.GetLayerByName("样例数据问题") if f["图层"] == "城市部件"]
    ds = None
    return rows


@pytest.fixture(scope="module")
def index(sample_gpkg):
    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in ("单元网格", "城市部件")}
    return build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]]))


def _fids(rows: list, kind: str) -> set:
    return {r["fid"] for r in rows if r["问题"] == kind}


def test_every_located_dirty_component_lands_in_its_expected_grid(index, answer_key):
    position = {fid: i for i, fid in enumerate(index.comp_fid.tolist())}
    located = [r for r in answer_key if r["应归网格"]]
    assert len(located) >= 10
    for row in located:
        i = position[row["fid"]]
        assert index.grid_code_of([i])[0] == row["应归网格"], row["说明"]


def test_edge_and_vertex_points_are_found_on_edges(index, answer_key):
    on_edge = set(index.comp_fid[index.report.on_grid_edge].tolist())
    planted = _fids(answer_key, "边上") | _fids(answer_key, "顶点上")
    assert planted and planted <= on_edge
    assert on_edge == planted  # every other point sits at least 0.5 m inside its grid


def test_report_matches_the_planted_dirt(index, answer_key):
    fid = index.comp_fid
    rep = index.report
    assert set(fid[rep.null_geometry].tolist()) == _fids(answer_key, "空几何")
    assert set(fid[rep.unassigned].tolist()) == _fids(answer_key, "区外") | _fids(answer_key, "空几何")
    assert set(fid[rep.grid_code_mismatch].tolist()) == _fids(answer_key, "网格不符")
    assert set(fid[rep.malformed_ids].tolist()) == _fids(answer_key, "编码格式错误")
    duplicated = {r["标识码"] for r in answer_key if r["问题"] == "重复标识码"}
    assert set(rep.duplicate_ids) == duplicated and all(c == 2 for c in rep.duplicate_ids.values())


def test_attribute_mode_follows_the_stored_codes(sample_gpkg, answer_key):
    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in ("单元网格", "城市部件")}
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                       assign_by=ASSIGN_BY_STORED_CODE))
    position = {fid: i for i, fid in enumerate(index.comp_fid.tolist())}
    for row in answer_key:
        if row["问题"] == "网格不符":  # located in 应归网格, stored as its neighbour 相关网格
            assert index.grid_code_of([position[row["fid"]]])[0] == row["相关网格"]
    # Outside points and null geometries carry a real stored code: attribute mode assigns them.
    assert index.unassigned == 0
