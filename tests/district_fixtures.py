"""A hand-made district small enough to work every answer out by hand.

Six 100 m grids in EPSG:4548 (origin X0, Y0), numbered by code::

    y=200 +--------+--------+--------+
          | G3     | G4     | G6     |      committees: 甲 = G1+G2, 乙 = G3+G4, 丙 = G5+G6
          | ..0201 | ..0202 | 2..0102|      streets:    东华门 = 甲+乙, 景山 = 丙
    y=100 +--------+--------+--------+      supervisors: 甲乙区 = 甲+乙; 丙 split: 丙南 = G5, 丙北 = G6
          | G1     | G2     | G5     |
          | ..0101 | ..0102 | 2..0101|
    y=0   +--------+--------+--------+
          x=0      x=100    x=200    x=300

Upper-level polygons are "hand-digitized": offset by up to 0.6 m from the grid edges (slivers and
gaps), so a strict `within` fails for several grids while largest share gives the intended answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from osgeo import ogr, osr

X0, Y0 = 450000.0, 4420000.0
G1, G2, G3, G4 = "11010100100101", "11010100100102", "11010100100201", "11010100100202"
G5, G6 = "11010100200101", "11010100200102"
GRID_SQUARES = {G1: (0, 0), G2: (100, 0), G3: (0, 100), G4: (100, 100), G5: (200, 0), G6: (200, 100)}


def _rect(x0: float, y0: float, x1: float, y1: float) -> str:
    return (f"POLYGON(({X0 + x0} {Y0 + y0},{X0 + x1} {Y0 + y0},{X0 + x1} {Y0 + y1},"
            f"{X0 + x0} {Y0 + y1},{X0 + x0} {Y0 + y0}))")


COMMITTEES = {  # name: polygon with small digitizing offsets
    "甲社区": _rect(-0.3, -0.2, 200.4, 100.6),   # overlaps 乙's grids by a 0.6 m sliver
    "乙社区": _rect(-0.2, 100.6, 200.1, 200.3),  # leaves G3/G4's bottom 0.6 m to 甲
    "丙社区": _rect(200.4, -0.1, 300.2, 200.2),  # a 0.3 m gap with 甲/乙
}
STREETS = {"东华门": _rect(-0.5, -0.5, 200.2, 200.5), "景山": _rect(200.2, -0.5, 300.5, 200.5)}
SUPERVISORS = {  # 丙社区 is split in two supervisor areas
    "甲乙区": (_rect(-0.4, -0.4, 200.3, 200.4), "张伟"),
    "丙南": (_rect(200.3, -0.3, 300.3, 99.7), "李娜"),
    "丙北": (_rect(200.3, 99.7, 300.3, 200.3), "王芳"),
}

# (标识码, 名称, x, y, stored 所在单元网格); x/y None = NULL geometry. Expected grid in EXPECTED_GRID.
COMPONENTS = [
    ("1101010101000001", "上水井盖", 50, 50, G1),
    ("1101010118000001", "路灯", 150, 50, G2),
    ("1101010101000002", "上水井盖", 100, 50, G1),    # on the G1|G2 edge -> G1 (smaller code)
    ("1101010118000002", "路灯", 100, 100, G1),        # on the G1/G2/G3/G4 vertex -> G1
    ("1101010118000003", "路灯", 150, 150, G4),
    ("1101010118000004", "路灯", 250, 150, G6),
    ("1101010102000001", "污水井盖", 200, 150, G4),  # on the G4|G6 edge -> G4
    ("1101010102000002", "污水井盖", 500, 500, ""),    # outside every grid
    ("1101010102000003", "污水井盖", None, None, G2),  # NULL geometry
    ("1101010101000003", "上水井盖", 50, 150, G1),     # stored code disagrees: located in G3
    ("1101010101000001", "污水井盖", 250, 50, G5),     # duplicate 标识码 of the first row
    ("1101010118000005", "路灯", 300, 200, G6),        # on the district's outer corner -> G6
    ("=1+2", "路灯", 150, 160, G4),                    # formula-like, malformed 标识码
]
EXPECTED_GRID = {0: G1, 1: G2, 2: G1, 3: G1, 4: G4, 5: G6, 6: G4, 7: None, 8: None, 9: G3, 10: G5,
                 11: G6, 12: G4}
EXPECTED_BY_GRID = {G1: {"上水井盖": 2, "路灯": 1}, G2: {"路灯": 1}, G3: {"上水井盖": 1},
                    G4: {"路灯": 2, "污水井盖": 1}, G5: {"污水井盖": 1}, G6: {"路灯": 2}}
EXPECTED_COMMITTEE = {"甲社区": {"上水井盖": 2, "路灯": 2}, "乙社区": {"上水井盖": 1, "路灯": 2, "污水井盖": 1},
                      "丙社区": {"污水井盖": 1, "路灯": 2}}
EXPECTED_STREET = {"东华门": {"上水井盖": 3, "路灯": 4, "污水井盖": 1}, "景山": {"污水井盖": 1, "路灯": 2}}
EXPECTED_SUPERVISOR = {"甲乙区": {"上水井盖": 3, "路灯": 4, "污水井盖": 1}, "丙南": {"污水井盖": 1},
                       "丙北": {"路灯": 2}}


def _srs(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _polygon_layer(ds, name: str, fields: list, rows: list) -> None:
    lyr = ds.CreateLayer(name, _srs(4548), ogr.wkbPolygon)
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for values, wkt in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for f, v in zip(fields, values):
            feat[f] = v
        feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(feat)


def write_district(path: Path, component_epsg: int = 4548, components: Optional[list] = None,
                   driver: str = "GPKG") -> Path:
    """Write the fixture district; components in `component_epsg` (4490 exercises the transform)."""
    ds = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    grid_rows = [((code,), _rect(x, y, x + 100, y + 100)) for code, (x, y) in sorted(GRID_SQUARES.items())]
    _polygon_layer(ds, "单元网格", ["网格编码"], grid_rows)
    _polygon_layer(ds, "社区居委会", ["社区名称"], [((k,), v) for k, v in COMMITTEES.items()])
    _polygon_layer(ds, "街道办事处", ["街道名称"], [((k,), v) for k, v in STREETS.items()])
    _polygon_layer(ds, "监督员责任区", ["责任区名称", "监督员"],
                   [((k, person), wkt) for k, (wkt, person) in SUPERVISORS.items()])
    write_components(ds, "城市部件", component_epsg, components or COMPONENTS)
    ds = None
    return path


def write_components(ds, name: str, epsg: int, rows: list) -> None:
    lyr = ds.CreateLayer(name, _srs(epsg), ogr.wkbPoint)
    for f in ("标识码", "名称", "所在单元网格"):
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    to_target = None
    if epsg != 4548:
        to_target = osr.CoordinateTransformation(_srs(4548), _srs(epsg))
    for ident, kind, x, y, stored in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat["标识码"] = ident
        feat["名称"] = kind
        feat["所在单元网格"] = stored
        if x is not None:
            px, py = X0 + x, Y0 + y
            if to_target is not None:
                px, py, _ = to_target.TransformPoint(px, py)
            pt = ogr.Geometry(ogr.wkbPoint)
            pt.AddPoint_2D(px, py)
            feat.SetGeometry(pt)
        lyr.CreateFeature(feat)


def load_layers(path: Path) -> dict:
    """QgsVectorLayers of a fixture file, by layer name."""
    from qgis.core import QgsVectorLayer

    ds = ogr.Open(str(path))
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    return {n: QgsVectorLayer(f"{path}|layername={n}", n, "ogr") for n in names}


def district_params(path: Path, **extra) -> dict:
    """The shared district parameters for a fixture file, as processing.run / qgis_process take them."""
    params = {"GRIDS": f"{path}|layername=单元网格", "COMMITTEES": f"{path}|layername=社区居委会",
              "STREETS": f"{path}|layername=街道办事处", "SUPERVISORS": f"{path}|layername=监督员责任区",
              "COMPONENTS": [f"{path}|layername=城市部件"]}
    params.update(extra)
    return params


def memory_layer(uri: str, name: str, rows: list):
    """A memory layer from (attributes, geometry) rows.

    geometry: a QgsGeometry, WKT, (x, y) metres from the fixture origin (X0, Y0), or None.
    """
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(uri, name, "memory")
    features = []
    for attributes, geometry in rows:
        feat = QgsFeature(layer.fields())
        feat.setAttributes(list(attributes))
        if isinstance(geometry, str):
            geometry = QgsGeometry.fromWkt(geometry)
        elif isinstance(geometry, tuple):
            geometry = QgsGeometry.fromPointXY(QgsPointXY(X0 + geometry[0], Y0 + geometry[1]))
        if geometry is not None:
            feat.setGeometry(geometry)
        features.append(feat)
    layer.dataProvider().addFeatures(features)
    return layer
