"""A clean district for the audit, and mutations of it that each plant one known problem.

The grid layout is district_fixtures' six 100 m squares (EPSG:4548)::

    y=200 +--------+--------+--------+
          | G3     | G4     | G6     |   committees 甲 (G1 G2) 乙 (G3 G4) 丙 (G5 G6), with codes
    y=100 +--------+--------+--------+   streets 东华门 (甲 乙) 景山 (丙); supervisor areas 甲乙区,
          | G1     | G2     | G5     |   丙南 (G5) and 丙北 (G6): 丙 is split in its own halves
    y=0   +--------+--------+--------+

Upper levels are "hand-digitized" (offsets up to 0.6 m: slivers and gaps far below the 1% overlap
rule). Every component lies 10 m or more inside the grid named by its 所在单元网格, with a unique,
well-formed 标识码 whose subclass is its 名称's, and a status of the vocabulary. So the clean
district yields no finding, and each mutation exactly the findings its entry in MUTATIONS lists.
"""

from __future__ import annotations

import copy
from pathlib import Path

from osgeo import ogr

from district_fixtures import G1, G2, G3, G4, G5, G6, GRID_SQUARES, X0, Y0, _rect, _srs


def _ring(xy: tuple) -> str:
    return ",".join(f"{X0 + x} {Y0 + y}" for x, y in xy + (xy[0],))


def _poly(*xy) -> str:
    return f"POLYGON(({_ring(xy)}))"


def _square_with_hole(x: float, y: float, hole: tuple) -> str:
    outer = ((x, y), (x + 100, y), (x + 100, y + 100), (x, y + 100))
    return f"POLYGON(({_ring(outer)}),({_ring(hole)}))"


def clean_district() -> dict:
    """The layers as plain data: {layer: {"fields": [...], "rows": [(values, wkt or None)]}}."""
    grids = [((code,), _rect(x, y, x + 100, y + 100)) for code, (x, y) in sorted(GRID_SQUARES.items())]
    comps = [
        ("1101010101000001", "上水井盖", "完好", 50, 50, G1),
        ("1101010118000001", "路灯", "破损", 150, 50, G2),
        ("1101010101000002", "上水井盖", "完好", 50, 150, G3),
        ("1101010118000002", "路灯", "丢失", 150, 150, G4),
        ("1101010102000001", "污水井盖", "占用", 250, 50, G5),
        ("1101010118000003", "路灯", "完好", 250, 150, G6),
        ("1101010118000004", "路灯", "完好", 110, 110, G4),
    ]
    return {
        "单元网格": {"fields": ["网格编码"], "rows": grids},
        "社区居委会": {"fields": ["社区名称", "社区编码"], "rows": [
            (("甲", "110101001001"), _rect(-0.3, -0.2, 200.4, 100.3)),
            (("乙", "110101001002"), _rect(-0.2, 100.3, 200.1, 200.3)),
            (("丙", "110101002001"), _rect(200.4, -0.1, 300.2, 200.2))]},
        "街道办事处": {"fields": ["街道名称", "街道编码"], "rows": [
            (("东华门", "110101001"), _rect(-0.5, -0.5, 200.2, 200.5)),
            (("景山", "110101002"), _rect(200.2, -0.5, 300.5, 200.5))]},
        "监督员责任区": {"fields": ["责任区名称", "监督员"], "rows": [
            (("甲乙区", "张伟"), _rect(-0.4, -0.4, 200.3, 200.4)),
            (("丙南", "李娜"), _rect(200.3, -0.3, 300.3, 99.7)),
            (("丙北", "王芳"), _rect(200.3, 99.7, 300.3, 200.3))]},
        "城市部件": {"fields": ["标识码", "名称", "部件状态", "所在单元网格"],
                     "rows": [((i, n, s, g), (x, y)) for i, n, s, x, y, g in comps]},
    }


def _add_component(d: dict, ident: str, name: str, status: str, xy, grid: str) -> None:
    d["城市部件"]["rows"].append(((ident, name, status, grid), xy))


def _set_grid(d: dict, code: str, new_code: str = None, wkt: str = None) -> None:
    rows = d["单元网格"]["rows"]
    for n, (values, old_wkt) in enumerate(rows):
        if values[0] == code:
            rows[n] = ((new_code or code,), wkt or old_wkt)
    if new_code:
        comps = d["城市部件"]["rows"]
        for n, (values, xy) in enumerate(comps):
            if values[3] == code:
                comps[n] = (values[:3] + (new_code,), xy)


def _set_region(d: dict, layer: str, name: str, wkt: str) -> None:
    rows = d[layer]["rows"]
    for n, (values, _) in enumerate(rows):
        if values[0] == name:
            rows[n] = (values, wkt)


def _malformed(ident: str, name: str = "上水井盖"):
    return lambda d: _add_component(d, ident, name, "完好", (60, 60), G1)


def _several(d: dict) -> None:
    _set_grid(d, G2, wkt=_rect(100, 0, 220, 100))  # G2 drawn 20 m over G5
    _add_component(d, "1101010118000009", "路灯", "完好", (210, 50), G2)  # inside G2 and G5


# check id -> (mutation, expected counts of the checks that find something)
MUTATIONS = {
    "outside_grids": (lambda d: _add_component(d, "1101010118000009", "路灯", "完好", (500, 500), ""),
                      {"outside_grids": 1}),
    "null_geometry": (lambda d: _add_component(d, "1101010118000009", "路灯", "完好", None, G1),
                      {"null_geometry": 1}),
    "multiple_grids": (_several, {"multiple_grids": 1, "grid_overlap": 1}),
    "near_edge": (lambda d: _add_component(d, "1101010118000009", "路灯", "完好", (99.995, 50), G1),
                  {"near_edge": 1}),
    "stored_grid_mismatch": (lambda d: _add_component(d, "1101010118000009", "路灯", "完好", (60, 160), G1),
                             {"stored_grid_mismatch": 1}),
    "duplicate_id": (lambda d: _add_component(d, "1101010101000001", "上水井盖", "完好", (160, 60), G2),
                     {"duplicate_id": 1}),
    "malformed_id": (_malformed("110101010100009"), {"malformed_id": 1}),
    "unknown_status": (lambda d: _add_component(d, "1101010118000009", "路灯", "损坏", (60, 60), G1),
                       {"unknown_status": 1}),
    "duplicate_grid_code": (lambda d: d["单元网格"]["rows"].append(((G1,), _rect(400, 0, 500, 100))),
                            {"duplicate_grid_code": 1}),
    "malformed_grid_code": (lambda d: _set_grid(d, G6, new_code="110101002001O2"), {"malformed_grid_code": 1}),
    "grid_overlap": (lambda d: _set_grid(d, G2, wkt=_rect(100, 0, 220, 100)), {"grid_overlap": 1}),
    "grid_gap": (lambda d: _set_grid(d, G4, wkt=_square_with_hole(100, 100, ((120, 170), (120, 180), (130, 180),
                                                                             (130, 170)))),
                 {"grid_gap": 1}),  # a 10 m x 10 m hole in G4 that no grid covers
    "grid_code_region_mismatch": (lambda d: _set_grid(d, G2, new_code="11010100100301"),
                                  {"grid_code_region_mismatch": 1}),
    "grid_without_region": (lambda d: d["单元网格"]["rows"].append((("11010100200103",), _rect(305, 0, 405, 100))),
                            {"grid_without_region": 3}),  # one grid, at each of the three levels
    "grid_weakly_covered": (lambda d: _set_region(d, "街道办事处", "景山", _rect(200.2, -0.5, 300.5, 140)),
                            {"grid_weakly_covered": 1}),
    "region_overlap": (lambda d: _set_region(d, "社区居委会", "乙", _rect(-0.2, 80, 200.1, 200.3)),
                       {"region_overlap": 1}),
    "region_without_grid": (lambda d: d["社区居委会"]["rows"].append((("丁", "110101002009"),
                                                                     _rect(1000, 0, 1100, 100))),
                            {"region_without_grid": 1}),
    "supervisor_cuts_committee": (lambda d: d.update({"监督员责任区": {"fields": ["责任区名称", "监督员"], "rows": [
        (("一区", "张伟"), _poly((0, 0), (200, 0), (200, 100), (100, 100), (100, 200), (0, 200))),
        (("二区", "李娜"), _rect(100, 100, 200, 200)),
        (("三区", "王芳"), _rect(200, 0, 300, 200))]}}),
        {"supervisor_cuts_committee": 1}),
}
def second_layer(rows: list, epsg: int = 4548) -> dict:
    """A second component layer (道路部件) with the same fields: rows of (标识码, 名称, 部件状态, x, y, grid)."""
    return {"fields": ["标识码", "名称", "部件状态", "所在单元网格"], "point": True, "epsg": epsg,
            "rows": [((i, n, st, g), (x, y)) for i, n, st, x, y, g in rows]}


MALFORMED_REASONS = {  # 标识码 (and 名称) -> the reason the audit gives
    ("110101010100009", "上水井盖"): "length",
    ("1101010101O00009", "上水井盖"): "non_digit",
    ("1101020101000009", "上水井盖"): "district",
    ("1101019901000009", "上水井盖"): "subclass",
    ("1101010118000009", "上水井盖"): "name",
    ("", "上水井盖"): "empty",
}


def mutated(check_id: str) -> dict:
    d = copy.deepcopy(clean_district())
    MUTATIONS[check_id][0](d)
    return d


def write(path: Path, data: dict) -> Path:
    """Write the layers into a GeoPackage (all fields text)."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    for name, layer in data.items():
        point = name == "城市部件" or layer.get("point", False)
        epsg = layer.get("epsg", 4548)  # 4548: metres from the origin (X0, Y0); else the CRS's own coordinates
        origin = (X0, Y0) if epsg == 4548 else (0.0, 0.0)
        lyr = ds.CreateLayer(name, _srs(epsg), ogr.wkbPoint if point else ogr.wkbPolygon)
        for f in layer["fields"]:
            lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
        for values, geom in layer["rows"]:
            feat = ogr.Feature(lyr.GetLayerDefn())
            for f, v in zip(layer["fields"], values):
                feat[f] = v
            if point and geom is not None:
                pt = ogr.Geometry(ogr.wkbPoint)
                pt.AddPoint_2D(origin[0] + geom[0], origin[1] + geom[1])
                feat.SetGeometry(pt)
            elif geom is not None:
                feat.SetGeometry(ogr.CreateGeometryFromWkt(geom))
            lyr.CreateFeature(feat)
    ds = None
    return path
