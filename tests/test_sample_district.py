"""The sample district generator: schema, hierarchy, tiling, determinism and the planted-dirt answer key.

Most checks run on the session's SCALE=0.1 sample (the `sample_gpkg` fixture); the few that need
their own file use SCALE 0.01-0.02, which still has the full region hierarchy.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr, osr
from qgis.core import QgsFeedback, QgsGeometry, QgsPoint, QgsPointXY

from citycomponents_plugin.core.codes import RESOURCE_TABLE
from citycomponents_plugin.core.errors import CancelledError
from citycomponents_plugin.sample.district import (
    BOUNDARY_OFFSET,
    COMPONENT_DIRT_KINDS,
    DUPLICATE_ID,
    GRID_MISMATCH,
    MALFORMED_ID,
    NULL_GEOMETRY,
    ON_EDGE,
    ON_VERTEX,
    OUTSIDE,
    UNKNOWN_STATUS,
    UNKNOWN_STATUS_VALUES,
    SampleExistsError,
    _district,
    _regions,
    dirt_counts,
    generate_sample_district,
    sample_component_types,
)
from citycomponents_plugin.sample.geometry import build_template

SEED = 20130701
N_AT_0_1 = round(168339 * 0.1)  # 16834
STREETS = "东华门 景山 交道口 安定门 北新桥 东四 朝阳门 建国门 东直门 和平里".split()
POLYGON_SCHEMA = {
    "街道办事处": [("街道编码", ogr.OFTString), ("街道名称", ogr.OFTString)],
    "社区居委会": [("社区编码", ogr.OFTString), ("社区名称", ogr.OFTString), ("街道名称", ogr.OFTString)],
    "监督员责任区": [("责任区编码", ogr.OFTString), ("责任区名称", ogr.OFTString), ("监督员", ogr.OFTString),
                 ("所属社区", ogr.OFTString)],
    "单元网格": [("网格编码", ogr.OFTString), ("面积", ogr.OFTReal)],
}
COMPONENT_SCHEMA = [("标识码", ogr.OFTString), ("名称", ogr.OFTString), ("主管部门", ogr.OFTString),
                    ("权属单位", ogr.OFTString), ("养护单位", ogr.OFTString), ("所在单元网格", ogr.OFTString),
                    ("部件状态", ogr.OFTString), ("初始日期", ogr.OFTDate), ("变更日期", ogr.OFTDate),
                    ("数据来源", ogr.OFTString), ("备注", ogr.OFTString)]
POINT_SCHEMA = {
    "门址": ["门址编码", "名称", "地址", "所在单元网格"],
    "参照物": ["名称", "类别", "地址", "所在单元网格"],
    "兴趣点": ["名称", "类别", "地址", "电话", "所在单元网格"],
}
ISSUE_COLUMNS = ["问题", "图层", "标识码", "fid", "说明", "应归网格", "相关网格"]


# ----------------------------------------------------------------------------------------------------
# helpers


def _read(path: Path) -> dict:
    """Every layer of a GeoPackage: {name: {"fields": [(name, type)], "geom": type, "epsg": str, "rows": [...]}}."""
    ds = ogr.Open(str(path))
    assert ds is not None, path
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayerByIndex(i)
        defn = lyr.GetLayerDefn()
        fields = [(defn.GetFieldDefn(j).GetName(), defn.GetFieldDefn(j).GetType()) for j in range(defn.GetFieldCount())]
        srs = lyr.GetSpatialRef()
        rows = []
        for feat in lyr:
            row = {name: feat.GetField(j) if feat.IsFieldSetAndNotNull(j) else None
                   for j, (name, _) in enumerate(fields)}
            row.setdefault("fid", feat.GetFID())  # the answer key's own column "fid" wins there
            geom = feat.GetGeometryRef()
            row["wkb"] = bytes(geom.ExportToIsoWkb()) if geom is not None else None
            rows.append(row)
        out[lyr.GetName()] = {"fields": fields, "geom": lyr.GetGeomType(), "rows": rows,
                              "epsg": srs.GetAuthorityCode(None) if srs is not None else None}
    ds = None
    return out


def _geom(wkb: bytes) -> QgsGeometry:
    g = QgsGeometry()
    g.fromWkb(wkb)
    return g


def _to_4548(rows: list) -> np.ndarray:
    """Point rows (EPSG:4490 WKB) as EPSG:4548 x, y; NaN for null geometries."""
    lonlat = np.full((len(rows), 2), np.nan)
    for i, r in enumerate(rows):
        if r["wkb"] is not None:
            p = ogr.CreateGeometryFromWkb(r["wkb"])
            lonlat[i] = p.GetX(), p.GetY()
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4490)
    dst.ImportFromEPSG(4548)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ok = ~np.isnan(lonlat[:, 0])
    out = np.full_like(lonlat, np.nan)
    out[ok] = np.array(osr.CoordinateTransformation(src, dst).TransformPoints(lonlat[ok]))[:, :2]
    return out


class _Grids:
    """Grid polygons with a bbox lookup (numpy), for point and overlap checks."""

    def __init__(self, rows: list) -> None:
        self.codes = [r["网格编码"] for r in rows]
        self.geoms = [_geom(r["wkb"]) for r in rows]
        self.by_code = dict(zip(self.codes, self.geoms))
        boxes = [g.boundingBox() for g in self.geoms]
        self.bbox = np.array([[b.xMinimum(), b.yMinimum(), b.xMaximum(), b.yMaximum()] for b in boxes])

    def candidates(self, x: float, y: float, pad: float = 0.0) -> list[int]:
        b = self.bbox
        hit = (b[:, 0] - pad <= x) & (x <= b[:, 2] + pad) & (b[:, 1] - pad <= y) & (y <= b[:, 3] + pad)
        return np.nonzero(hit)[0].tolist()

    def containing(self, x: float, y: float) -> list[str]:
        p = QgsGeometry.fromPointXY(QgsPointXY(x, y))
        return [self.codes[i] for i in self.candidates(x, y) if self.geoms[i].contains(p)]


def _largest_share(grid: QgsGeometry, regions: list, key: str) -> tuple[str, float]:
    """The region covering most of the grid (SPEC 4.2), and its share of the grid's area."""
    best, share = None, 0.0
    for r in regions:
        if not r["bbox"].intersects(grid.boundingBox()):
            continue
        a = r["geom"].intersection(grid).area() / grid.area()
        if a > share:
            best, share = r[key], a
    return best, share


def _regions_of(rows: list) -> list:
    out = []
    for r in rows:
        g = _geom(r["wkb"])
        out.append({**r, "geom": g, "bbox": g.boundingBox()})
    return out


@pytest.fixture(scope="module")
def data(sample_gpkg) -> dict:
    return _read(sample_gpkg)


@pytest.fixture(scope="module")
def grids(data) -> _Grids:
    return _Grids(data["单元网格"]["rows"])


@pytest.fixture(scope="module")
def comp_xy(data) -> np.ndarray:
    return _to_4548(data["城市部件"]["rows"])


def _type_codes() -> dict[str, str]:
    with open(RESOURCE_TABLE, encoding="utf-8") as handle:
        return {row["name"]: row["code"] for row in csv.DictReader(handle) if row["name"]}


# ----------------------------------------------------------------------------------------------------
# schema and counts


def test_layers_fields_geometry_and_crs(data):
    types = {ogr.wkbPolygon: "polygon", ogr.wkbPoint: "point", ogr.wkbNone: "none"}
    expected_layers = set(POLYGON_SCHEMA) | set(POINT_SCHEMA) | {"城市部件", "样例数据问题", "样例说明"}
    assert set(data) == expected_layers
    for name, fields in POLYGON_SCHEMA.items():
        assert data[name]["fields"] == fields, name
        assert (types[data[name]["geom"]], data[name]["epsg"]) == ("polygon", "4548"), name
    assert data["城市部件"]["fields"] == COMPONENT_SCHEMA
    for name, fields in POINT_SCHEMA.items():
        assert data[name]["fields"] == [(f, ogr.OFTString) for f in fields], name
    for name in list(POINT_SCHEMA) + ["城市部件"]:
        assert (types[data[name]["geom"]], data[name]["epsg"]) == ("point", "4490"), name
    assert [f for f, _ in data["样例数据问题"]["fields"]] == ISSUE_COLUMNS
    assert types[data["样例数据问题"]["geom"]] == "none" and types[data["样例说明"]["geom"]] == "none"
    info = {r["项目"]: r["值"] for r in data["样例说明"]["rows"]}
    assert (info["种子"], info["比例"], info["部件总数"]) == (str(SEED), "0.1", str(N_AT_0_1))


def test_counts(data):
    counts = {name: len(layer["rows"]) for name, layer in data.items()}
    assert counts["街道办事处"] == 10
    assert counts["社区居委会"] == 126
    assert counts["监督员责任区"] == 92
    assert counts["单元网格"] == 1593
    assert counts["城市部件"] == N_AT_0_1 == 16834
    assert (counts["门址"], counts["参照物"], counts["兴趣点"]) == (2000, 300, 800)
    names = {r["名称"] for r in data["城市部件"]["rows"]}
    assert names == {t.name for t in sample_component_types()} and len(names) == 60
    assert {t.major_name for t in sample_component_types()} == {"公用设施", "道路交通", "市容环境", "园林绿化",
                                                                "房屋土地", "其他设施"}


def test_region_codes_and_names(data):
    streets = data["街道办事处"]["rows"]
    assert [r["街道编码"] for r in streets] == [f"110101{i:03d}" for i in range(1, 11)]
    assert [r["街道名称"] for r in streets] == STREETS
    street_name = {r["街道编码"]: r["街道名称"] for r in streets}
    committees = data["社区居委会"]["rows"]
    assert all(re.fullmatch(r"\d{12}", r["社区编码"]) for r in committees)
    assert all(street_name[r["社区编码"][:9]] == r["街道名称"] for r in committees)
    assert len({r["社区名称"] for r in committees}) == 126
    assert len({r["社区编码"] for r in committees}) == 126
    by_name = {r["社区名称"]: r["街道名称"] for r in committees}
    assert by_name["王府井"] == "东华门" and by_name["站东街"] == "建国门"
    assert not any(r["社区名称"].endswith("社区") for r in committees)
    grid_codes = [r["网格编码"] for r in data["单元网格"]["rows"]]
    assert all(re.fullmatch(r"110101\d{8}", c) for c in grid_codes)
    assert len(set(grid_codes)) == 1593
    committee_codes = {r["社区编码"] for r in committees}
    assert {c[:12] for c in grid_codes} == committee_codes  # every committee has grids, every grid a committee
    assert all(c[12:] != "00" for c in grid_codes)


def test_component_codes_and_stored_grids(data):
    type_code = _type_codes()
    rows = data["城市部件"]["rows"]
    issues = {r["fid"]: r["问题"] for r in data["样例数据问题"]["rows"] if r["图层"] == "城市部件"}
    grid_codes = {r["网格编码"] for r in data["单元网格"]["rows"]}
    bad = [r for r in rows if issues.get(r["fid"]) != MALFORMED_ID
           and not (re.fullmatch(r"\d{16}", r["标识码"]) and r["标识码"][:6] == "110101"
                    and r["标识码"][6:10] == type_code[r["名称"]])]
    assert bad == []
    assert all(r["所在单元网格"] in grid_codes for r in rows)
    assert all(isinstance(r["标识码"], str) and isinstance(r["所在单元网格"], str) for r in rows)
    planted = {r["fid"] for r in data["样例数据问题"]["rows"] if r["问题"] == UNKNOWN_STATUS}
    states = [r["部件状态"] for r in rows if r["fid"] not in planted]
    assert set(states) <= {"完好", "破损", "丢失", "占用"} and states.count("完好") > 0.85 * len(rows)
    assert sorted(map(str, (r["部件状态"] for r in rows if r["fid"] in planted))) == ["None", "待核查", "损坏"]
    assert all(r["初始日期"] <= r["变更日期"] for r in rows)
    # uneven like a real inventory: a few very common types, many rare ones
    per_type = sorted((sum(1 for r in rows if r["名称"] == t) for t in type_code if t in {r["名称"] for r in rows}),
                      reverse=True)
    assert per_type[0] > 50 * per_type[-1] and sum(per_type[:6]) > 0.4 * len(rows)


# ----------------------------------------------------------------------------------------------------
# geometry and hierarchy


def test_grids_tile_exactly_and_are_irregular(data, grids):
    areas = np.array([g.area() for g in grids.geoms])
    stored = np.array([r["面积"] for r in data["单元网格"]["rows"]])
    assert np.allclose(areas, stored, atol=0.01)
    union = QgsGeometry.unaryUnion(grids.geoms)
    assert not union.isMultipart() and len(union.asPolygon()) == 1  # one piece, no holes: no gaps
    assert union.area() == pytest.approx(areas.sum(), rel=1e-9)  # no overlaps
    for i in range(0, len(grids.geoms), 7):  # pairwise, on a sample of neighbours
        box = grids.geoms[i].boundingBox()
        for j in grids.candidates(box.center().x(), box.center().y(), pad=max(box.width(), box.height())):
            if j != i and grids.geoms[i].intersects(grids.geoms[j]):
                assert grids.geoms[i].intersection(grids.geoms[j]).area() < 1e-6
                assert grids.geoms[i].touches(grids.geoms[j])
    vertices = np.array([len(g.asPolygon()[0]) - 1 for g in grids.geoms])
    assert (vertices > 4).mean() > 0.9  # extra vertices along the edges
    assert 8000 < areas.mean() < 13000 and areas.std() / areas.mean() > 0.1  # about 100 m x 100 m, uneven
    assert all(g.isGeosValid() for g in grids.geoms)


def test_grid_hierarchy_by_largest_share(data, grids):
    committees = _regions_of(data["社区居委会"]["rows"])
    streets = _regions_of(data["街道办事处"]["rows"])
    not_within = 0
    for code, geom in zip(grids.codes, grids.geoms):
        best, share = _largest_share(geom, committees, "社区编码")
        assert best == code[:12] and share > 0.95, code
        best, share = _largest_share(geom, streets, "街道编码")
        assert best == code[:9] and share > 0.95, code
        own = next(c for c in committees if c["社区编码"] == code[:12])
        not_within += not geom.within(own["geom"])
    # planted dirt #1: digitized boundaries, so a strict `within` misses many grids
    assert not_within > 100
    assert all(r["geom"].isGeosValid() for r in committees + streets)


def test_supervisor_areas(data, grids):
    areas = _regions_of(data["监督员责任区"]["rows"])
    assert len(areas) == 92
    assert len({a["责任区名称"] for a in areas}) == 92 and len({a["责任区编码"] for a in areas}) == 92
    street_codes = {r["街道编码"] for r in data["街道办事处"]["rows"]}
    assert all(re.fullmatch(r"\d{11}", a["责任区编码"]) and a["责任区编码"][:9] in street_codes for a in areas)
    assert all(a["监督员"] for a in areas)
    assert all(a["geom"].isGeosValid() and not a["geom"].isMultipart() for a in areas)
    by_name = {a["责任区名称"]: a for a in areas}
    for halves, committee in ((("王府井西", "王府井东"), "王府井"), (("站东街南", "站东街北"), "站东街")):
        assert [by_name[h]["所属社区"] for h in halves] == [committee, committee]
    centre = {h: by_name[h]["geom"].centroid().asPoint() for h in ("王府井西", "王府井东", "站东街南", "站东街北")}
    assert centre["王府井西"].x() < centre["王府井东"].x() and centre["站东街南"].y() < centre["站东街北"].y()
    members = [a["所属社区"].split("、") for a in areas]
    assert sum(len(m) == 2 for m in members) == 36
    assert sum(len(m) == 1 for m in members) == 56  # 52 single committees + 4 halves
    normal = [n for m in members for n in m if n not in ("王府井", "站东街")]
    assert sorted(normal) == sorted(r["社区名称"] for r in data["社区居委会"]["rows"]
                                    if r["社区名称"] not in ("王府井", "站东街"))
    # each grid's supervisor area (largest share) contains the grid's committee
    committee_of = {r["社区编码"]: r["社区名称"] for r in data["社区居委会"]["rows"]}
    for code, geom in list(zip(grids.codes, grids.geoms))[::3]:
        best, share = _largest_share(geom, areas, "所属社区")
        assert committee_of[code[:12]] in best.split("、") and share > 0.95, code
    # the two big committees are the largest ones
    committees = _regions_of(data["社区居委会"]["rows"])
    largest = sorted(committees, key=lambda c: -c["geom"].area())[:2]
    assert {c["社区名称"] for c in largest} == {"王府井", "站东街"}


# ----------------------------------------------------------------------------------------------------
# the answer key


def test_dirt_counts_and_boundary_rows(data):
    issues = data["样例数据问题"]["rows"]
    got = {kind: sum(1 for r in issues if r["问题"] == kind) for kind in COMPONENT_DIRT_KINDS}
    assert got == dirt_counts(0.1)
    assert got == {ON_EDGE: 3, ON_VERTEX: 2, OUTSIDE: 5, GRID_MISMATCH: 10, NULL_GEOMETRY: 5, DUPLICATE_ID: 2,
                   MALFORMED_ID: 3}
    boundary = [r for r in issues if r["问题"] == BOUNDARY_OFFSET]
    keys = {"街道办事处": "街道编码", "社区居委会": "社区编码", "监督员责任区": "责任区编码"}
    expected = {(layer, r["fid"], r[key]) for layer, key in keys.items() for r in data[layer]["rows"]}
    assert {(r["图层"], r["fid"], r["标识码"]) for r in boundary} == expected
    assert len(boundary) == 228


def test_answer_key_matches_the_data(data, grids, comp_xy):
    rows = data["城市部件"]["rows"]
    index_of = {r["fid"]: i for i, r in enumerate(rows)}
    listed = {}
    code_count: dict[str, int] = {}
    for r in rows:
        code_count[r["标识码"]] = code_count.get(r["标识码"], 0) + 1
    for issue in data["样例数据问题"]["rows"]:
        if issue["问题"] == BOUNDARY_OFFSET:
            continue
        assert issue["图层"] == "城市部件"
        i = index_of[issue["fid"]]
        comp, (x, y) = rows[i], comp_xy[i]
        listed[issue["fid"]] = issue["问题"]
        assert comp["标识码"] == issue["标识码"]
        related = issue["相关网格"].split(",") if issue["相关网格"] else []
        kind = issue["问题"]
        if kind == NULL_GEOMETRY:
            assert comp["wkb"] is None and issue["应归网格"] is None
        elif kind == OUTSIDE:
            assert grids.containing(x, y) == [] and issue["应归网格"] is None
            p = QgsGeometry.fromPointXY(QgsPointXY(x, y))
            assert min(grids.geoms[j].distance(p) for j in grids.candidates(x, y, pad=400)) > 1.0
            assert comp["所在单元网格"] == related[0]
        elif kind == GRID_MISMATCH:
            assert grids.containing(x, y) == [issue["应归网格"]]
            assert comp["所在单元网格"] == related[0] != issue["应归网格"]
            assert grids.by_code[related[0]].touches(grids.by_code[issue["应归网格"]])
        elif kind in (ON_EDGE, ON_VERTEX):
            assert len(related) == (2 if kind == ON_EDGE else 4)
            p = QgsGeometry.fromPointXY(QgsPointXY(x, y))
            for code in related:  # on each grid's boundary, up to the EPSG:4490 round trip (~1e-8 m)
                ring = QgsGeometry.fromPolylineXY(grids.by_code[code].asPolygon()[0])
                assert ring.distance(p) < 1e-6, (kind, code)
                if kind == ON_VERTEX:
                    _, vertex, _, _, d2 = grids.by_code[code].closestVertex(QgsPointXY(x, y))
                    assert vertex >= 0 and d2 < 1e-12
            assert comp["所在单元网格"] == issue["应归网格"] == min(related)
        elif kind == DUPLICATE_ID:
            assert code_count[comp["标识码"]] == 2
            partner = int(re.search(r"fid (\d+)", issue["说明"]).group(1))
            assert rows[index_of[partner]]["标识码"] == comp["标识码"] and partner != issue["fid"]
        elif kind == MALFORMED_ID:
            assert not re.fullmatch(r"\d{16}", comp["标识码"])
        if kind not in (NULL_GEOMETRY, OUTSIDE, GRID_MISMATCH):
            assert comp["所在单元网格"] == issue["应归网格"]
    # completeness: everything not listed is clean: 16-digit unique code, inside its stored grid
    clean = [i for i, r in enumerate(rows) if r["fid"] not in listed]
    assert len(clean) == len(rows) - sum(dirt_counts(0.1).values()) - len(UNKNOWN_STATUS_VALUES)
    assert all(re.fullmatch(r"\d{16}", rows[i]["标识码"]) for i in clean)
    dup_codes = {rows[index_of[f]]["标识码"] for f, kind in listed.items() if kind == DUPLICATE_ID}
    assert all(code_count[rows[i]["标识码"]] == (2 if rows[i]["标识码"] in dup_codes else 1) for i in clean)
    by_grid: dict[str, list[int]] = {}
    for i in clean:
        by_grid.setdefault(rows[i]["所在单元网格"], []).append(i)
    outside_own = []
    for code, members in by_grid.items():
        engine = QgsGeometry.createGeometryEngine(grids.by_code[code].constGet())
        engine.prepareGeometry()
        outside_own += [i for i in members if not engine.contains(QgsPoint(*comp_xy[i]))]
    assert outside_own == []


def test_address_layers_are_clean(data, grids):
    for name in POINT_SCHEMA:
        rows = data[name]["rows"][::10]
        xy = _to_4548(rows)
        for r, (x, y) in zip(rows, xy):
            assert grids.containing(x, y) == [r["所在单元网格"]], (name, r["fid"])
    assert all(re.fullmatch(r"\d{18}", r["门址编码"]) for r in data["门址"]["rows"])
    assert len({r["门址编码"] for r in data["门址"]["rows"]}) == 2000
    assert all(re.fullmatch(r"010-\d{8}", r["电话"]) for r in data["兴趣点"]["rows"])


# ----------------------------------------------------------------------------------------------------
# files: determinism, overwrite, cancel, per-type layers, tiles, Processing


def _dump(path: Path) -> dict:
    return {name: [(tuple(sorted((k, v) for k, v in r.items() if k != "wkb")), r["wkb"]) for r in layer["rows"]]
            for name, layer in _read(path).items()}


def test_deterministic_for_a_seed(tmp_path, data):
    a, b, c = tmp_path / "a.gpkg", tmp_path / "b.gpkg", tmp_path / "c.gpkg"
    generate_sample_district(str(a), scale=0.02, seed=SEED)
    generate_sample_district(str(b), scale=0.02, seed=SEED)
    generate_sample_district(str(c), scale=0.02, seed=SEED + 1)
    dump_a, dump_b, dump_c = _dump(a), _dump(b), _dump(c)
    assert dump_a == dump_b
    assert dump_a["单元网格"] != dump_c["单元网格"] and dump_a["城市部件"] != dump_c["城市部件"]
    assert [r[0] for r in dump_a["社区居委会"]] == [r[0] for r in dump_c["社区居委会"]]  # same layout, other shapes
    # the region hierarchy does not depend on SCALE (<= 1): same grids as the 0.1 sample
    assert [r["wkb"] for r in data["单元网格"]["rows"]] == [w for _, w in dump_a["单元网格"]]
    assert len(dump_a["城市部件"]) == round(168339 * 0.02)


def test_refuses_to_overwrite_and_writes_atomically(tmp_path):
    path = tmp_path / "s.gpkg"
    summary = generate_sample_district(str(path), scale=0.01, seed=1)
    assert summary["layers"]["城市部件"] == summary["components"] == 1683
    assert sum(summary["component_types"].values()) == 1683 and min(summary["component_types"].values()) >= 1
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SampleExistsError) as err:
        generate_sample_district(str(path), scale=0.01, seed=2)
    assert isinstance(err.value, FileExistsError) and "overwrite" in str(err.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert os.listdir(tmp_path) == ["s.gpkg"]
    generate_sample_district(str(path), scale=0.01, seed=2, overwrite=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() != before
    assert os.listdir(tmp_path) == ["s.gpkg"]  # no temporary file left behind


def test_cancel_leaves_nothing(tmp_path):
    feedback = QgsFeedback()
    feedback.progressChanged.connect(lambda p: feedback.cancel() if p >= 20 else None)
    with pytest.raises(CancelledError):
        generate_sample_district(str(tmp_path / "x.gpkg"), scale=0.02, feedback=feedback)
    assert os.listdir(tmp_path) == []


def test_per_type_layers(tmp_path):
    path = tmp_path / "per_type.gpkg"
    summary = generate_sample_district(str(path), scale=0.02, per_type_layers=True)
    layers = _read(path)
    type_code = _type_codes()
    type_names = {t.name for t in sample_component_types()}
    assert "城市部件" not in layers and type_names <= set(layers)
    others = "街道办事处 社区居委会 监督员责任区 单元网格 门址 参照物 兴趣点 样例数据问题 样例说明"
    assert set(layers) - type_names == set(others.split())
    assert sum(len(layers[t]["rows"]) for t in type_names) == round(168339 * 0.02) == summary["components"]
    for t in type_names:
        assert layers[t]["fields"] == COMPONENT_SCHEMA and layers[t]["epsg"] == "4490"
        assert all(r["名称"] == t for r in layers[t]["rows"]), t
        assert all(r["标识码"][6:10] == type_code[t] for r in layers[t]["rows"] if len(r["标识码"]) == 16)
    for issue in layers["样例数据问题"]["rows"]:
        if issue["问题"] == BOUNDARY_OFFSET:
            continue
        assert issue["图层"] in type_names
        feature = next(r for r in layers[issue["图层"]]["rows"] if r["fid"] == issue["fid"])
        assert feature["标识码"] == issue["标识码"]
        if issue["问题"] == DUPLICATE_ID:
            partner = int(re.search(r"fid (\d+)", issue["说明"]).group(1))
            assert next(r for r in layers[issue["图层"]]["rows"] if r["fid"] == partner)["标识码"] == issue["标识码"]


def test_tiles_above_scale_one():
    template = build_template(SEED)
    district = _district(template, 2)
    layers, issues = _regions(district, SEED)
    codes = layers["单元网格"].columns["网格编码"]
    assert len(codes) == len(set(codes)) == 2 * 1593
    assert {c[:6] for c in codes[:1593]} == {"110101"} and {c[:6] for c in codes[1593:]} == {"110102"}
    names = layers["社区居委会"].columns["社区名称"]
    assert len(set(names)) == 252 and "王府井-2" in names and "王府井" in names
    assert "王府井东-2" in layers["监督员责任区"].columns["责任区名称"]
    assert layers["街道办事处"].columns["街道编码"][10] == "110102001"
    east_of_first = max(r[0][:, 0].max() for r in layers["单元网格"].rings[:1593])
    assert min(r[0][:, 0].min() for r in layers["单元网格"].rings[1593:]) > east_of_first + 1000
    assert len(issues) == 2 * 228
    assert dirt_counts(10) == {ON_EDGE: 337, ON_VERTEX: 60, OUTSIDE: 400, GRID_MISMATCH: 1000, NULL_GEOMETRY: 5,
                               DUPLICATE_ID: 2, MALFORMED_ID: 3}


def test_processing_algorithm(provider, tmp_path):
    import processing
    from qgis.core import QgsApplication, QgsProcessingException

    alg = QgsApplication.processingRegistry().algorithmById("citycomponents:generatesample")
    assert alg is not None
    assert (alg.displayName(), alg.group()) == ("Generate sample district", "Sample data")
    params = {p.name(): p for p in alg.parameterDefinitions()}
    assert params["SCALE"].defaultValue() == 1.0 and params["SCALE"].minimum() == 0.01
    assert params["PER_TYPE_LAYERS"].defaultValue() is False
    assert params["SEED"].defaultValue() == 20130701
    assert "GeoPackage (*.gpkg)" in params["OUTPUT"].fileFilter()
    out = tmp_path / "alg.gpkg"
    result = processing.run("citycomponents:generatesample",
                            {"SCALE": 0.01, "PER_TYPE_LAYERS": False, "SEED": 7, "OUTPUT": str(out)})
    assert result["OUTPUT"] == str(out) and out.exists()
    assert (result["COMPONENTS"], result["GRIDS"], result["SUPERVISORS"]) == (1683, 1593, 92)
    assert json.loads(result["SUMMARY"])["seed"] == 7
    with pytest.raises(QgsProcessingException):
        processing.run("citycomponents:generatesample", {"SCALE": 0.01, "SEED": 8, "OUTPUT": str(out)})
    result = processing.run("citycomponents:generatesample",
                            {"SCALE": 0.01, "SEED": 8, "OVERWRITE": True, "OUTPUT": str(out)})
    assert json.loads(result["SUMMARY"])["seed"] == 8


def test_bad_arguments(tmp_path):
    from citycomponents_plugin.core.errors import CityComponentsError

    with pytest.raises(CityComponentsError, match="SCALE"):
        generate_sample_district(str(tmp_path / "a.gpkg"), scale=0.001)
    with pytest.raises(CityComponentsError, match="folder"):
        generate_sample_district(str(tmp_path / "missing" / "a.gpkg"), scale=0.01)
    assert os.listdir(tmp_path) == []
