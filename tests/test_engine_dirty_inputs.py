"""Dirty and unusual inputs the engine must survive with the right numbers (each found by review)."""

from __future__ import annotations

import numpy as np
from osgeo import gdal, ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsGeometry,
    QgsPointXY,
    QgsVectorLayer,
)

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.index_cache import IndexCache
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, DistrictInputs
from citycomponents_plugin.core.engine.point_in_polygon import assign_points, polygon_edges
from citycomponents_plugin.core.engine.point_reader import read_points
from citycomponents_plugin.core.engine.text_columns import categorize, encode
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

HELMERT = ("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 "
           "+step +proj=helmert +x=100 +y=100 +z=0 +step +inv +proj=cart +ellps=GRS80 "
           "+step +proj=unitconvert +xy_in=rad +xy_out=deg")


def _points_gpkg(path, rows, epsg=4548, id_type=ogr.OFTInteger64):
    """rows: (id or None, type or None, x, y) in EPSG:4548 metres relative to the fixture origin."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("pts", dfx._srs(epsg), ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("标识码", id_type))
    lyr.CreateField(ogr.FieldDefn("名称", ogr.OFTString))
    for ident, kind, x, y in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        if ident is not None:
            feat["标识码"] = ident
        if kind is not None:
            feat["名称"] = kind
        feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))
        lyr.CreateFeature(feat)
    ds = None
    return QgsVectorLayer(f"{path}|layername=pts", "井盖层", "ogr")


def test_null_numbers_read_as_empty_on_both_paths(tmp_path, qgis_app):
    layer = _points_gpkg(tmp_path / "p.gpkg", [(1101010101000001, "井盖", 1, 2), (None, None, 3, 4)])
    crs = QgsCoordinateReferenceSystem("EPSG:4548")
    fast = read_points(layer, ["标识码", "名称"], crs)
    slow = read_points(layer, ["标识码", "名称"], crs, force_iterator=True)
    for cols in (fast, slow):
        assert cols.attributes["标识码"].tolist() == [b"1101010101000001", b""]
        assert cols.attributes["名称"].tolist() == [b"\xe4\xba\x95\xe7\x9b\x96", b""]


def test_gdal_exception_mode_is_left_as_found(tmp_path, qgis_app):
    layer = _points_gpkg(tmp_path / "p.gpkg", [(1, "井盖", 1, 2)])
    before = gdal.GetUseExceptions()
    gdal.DontUseExceptions()
    try:
        read_points(layer, ["标识码"], QgsCoordinateReferenceSystem("EPSG:4490"))
        assert gdal.GetUseExceptions() == 0
    finally:
        if before:
            gdal.UseExceptions()


def test_project_datum_transformation_is_honoured(tmp_path, qgis_app):
    layer = _points_gpkg(tmp_path / "p.gpkg", [(1, "井盖", 116.4, 39.9)], epsg=4326)
    src, dst = QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:4490")
    ctx = QgsCoordinateTransformContext()
    assert ctx.addCoordinateOperation(src, dst, HELMERT)
    cols = read_points(layer, ["标识码"], dst, ctx)
    expected = QgsCoordinateTransform(src, dst, ctx).transform(QgsPointXY(116.4, 39.9))
    assert abs(cols.x[0] - expected.x()) < 1e-9 and abs(cols.y[0] - expected.y()) < 1e-9
    assert abs(cols.x[0] - 116.4) > 1e-4  # the 100 m shift really applied


def test_untransformable_point_is_reported_not_fatal(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = dfx.memory_layer("Point?crs=EPSG:4326&field=标识码:string&field=名称:string", "坏坐标", [
        (["1101010101000901", "井盖"], QgsGeometry.fromPointXY(QgsPointXY(116.4, 95.0))),
        (["1101010101000902", "井盖"], QgsGeometry.fromPointXY(QgsPointXY(116.4, 39.9)))])
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[comp]))
    assert index.report.untransformable.tolist() == [0]
    assert index.report.null_geometry.tolist() == []
    assert index.unassigned == 2  # (the valid one is far from the fixture grids)


def test_blank_and_padded_type_names(qgis_app):
    labels, codes = categorize(encode(["井盖\u3000", "井盖", "\u00a0井盖", "路灯 ", "  ", None]))
    assert labels.tolist() == ["", "井盖", "路灯"]
    assert codes.tolist() == [1, 1, 1, 2, 0, 0]
    only_cjk, _ = categorize(encode(["井盖\u3000", "井盖"]))  # no ASCII space in the column at all
    assert only_cjk.tolist() == ["井盖"]


def test_blank_type_falls_back_to_layer_name(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = _points_gpkg(tmp_path / "p.gpkg", [(1101010101000001, "   ", dfx.X0 + 10, dfx.Y0 + 10),
                                              (1101010104000001, "雨水箅子", dfx.X0 + 20, dfx.Y0 + 10)])
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[comp]))
    assert index.type_names == ["井盖层", "雨水箅子"]


def test_pois_without_id_field_are_not_duplicates(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    pois = [dfx.memory_layer("Point?crs=EPSG:4548&field=名称:string", name,
                             [([f"{name}{k}"], (5 + k, 5)) for k in range(12)])
            for name in ("兴趣点", "参照物")]
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=pois, kind=KIND_ADDRESSES))
    assert index.report.duplicate_ids == {}
    rows = index.detail_rows(index.region_members(Level.GRID, index.find_region(Level.GRID, dfx.G1)))
    # Grouped by layer, then in feature order (numeric: 9 before 10).
    assert [r[0] for r in rows] == [f"兴趣点{k}" for k in range(12)] + [f"参照物{k}" for k in range(12)]


def test_full_width_digits_are_malformed(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string&field=名称:string", "部件",
                            [(["１１０１０１０１０１０００００１", "井盖"], (5, 5))])
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[comp]))
    assert index.report.malformed_ids.tolist() == [0]


def test_renamed_layer_rebuilds_the_cache(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = dfx.memory_layer("Point?crs=EPSG:4548&field=标识码:string", "路灯", [(["1101010118000001"], (5, 5))])
    inputs = DistrictInputs(grids=layers["单元网格"], components=[comp])
    cache = IndexCache()
    assert cache.get(inputs).type_names == ["路灯"]
    comp.setName("景观灯")
    assert cache.get(inputs).type_names == ["景观灯"] and cache.builds == 2


def test_huge_polygon_and_extreme_coordinates(qgis_app):
    """A 20,000-vertex polygon is split into strips (exact, fast); far-off coordinates cannot overflow."""
    t = np.linspace(0, 2 * np.pi, 20000, endpoint=False)
    ring = ",".join(f"{1000 + 500 * np.cos(a)} {1000 + 500 * np.sin(a)}" for a in t) + ",1500 1000"
    circle = QgsGeometry.fromWkt(f"POLYGON(({ring}))")
    square = QgsGeometry.fromWkt("POLYGON((1500 0,2500 0,2500 2000,1500 2000,1500 0))")
    rng = np.random.default_rng(3)
    x = np.concatenate([[1e160, -1e300, 1500.0], rng.random(4000) * 2600])
    y = np.concatenate([[5.0, 5.0, 1000.0], rng.random(4000) * 2000])
    edges = polygon_edges([circle, square], 1e-6)
    assert len(edges.owner) > 100  # split into strips
    got, on_edge, _ = assign_points(x, y, np.ones(len(x), bool), edges, np.array([0, 1]), 1e-6)
    assert got[:2].tolist() == [-1, -1]
    assert got[2] == 0 and on_edge[2]  # touches both: the first in order wins
    engines = []
    for g in (circle, square):
        e = QgsGeometry.createGeometryEngine(g.constGet())
        e.prepareGeometry()
        engines.append(e)
    for i in range(3, len(x)):
        point = QgsGeometry.fromPointXY(QgsPointXY(x[i], y[i]))
        expected = next((k for k, e in enumerate(engines) if e.intersects(point.constGet())), -1)
        assert got[i] == expected, (x[i], y[i])


def test_arrow_path_reads_null_geometries_itself(tmp_path, qgis_app):
    """The fast path must not fall back silently: read the fixture (with a NULL geometry) with both."""
    from citycomponents_plugin.core.engine import point_reader

    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    comp = layers["城市部件"]
    fields = ["标识码", "名称", "所在单元网格"]
    fast = point_reader._read_ogr(comp, point_reader._ogr_source(comp), fields, None)
    slow = point_reader._read_iterator(comp, fields, None)
    assert fast.has_geometry.tolist() == slow.has_geometry.tolist() and not fast.has_geometry.all()
    ok = fast.has_geometry
    assert np.array_equal(fast.x[ok], slow.x[ok]) and np.array_equal(fast.y[ok], slow.y[ok])
    for f in fields:
        assert fast.attributes[f].tolist() == slow.attributes[f].tolist()
