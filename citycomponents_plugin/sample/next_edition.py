"""The sample's next census: the same district a year on, with its changes recorded as the answer key.

Why: the edition comparison (core/editions) must be proven on a district of the real size with
every change known in advance. Starting from a sample GeoPackage, a seed and a change rate, this
writes a new GeoPackage with the same region layers and a 城市部件 layer in which clean components
(none of the planted dirt) were removed, retired (部件状态 废弃/移除), moved to a neighbouring grid
or inside their grid, or had an attribute changed, and new components were added; the table 样例变更
lists every change (标识码, 类别, 原网格, 新网格, 变更属性). Kept apart from district.py, which makes
the first edition and its own answer key.
"""

from __future__ import annotations

import math
import os
import shutil

import numpy as np

from citycomponents_plugin.core.codes import load_statuses
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.sample.district import (
    COMPONENT_LAYER,
    INFO_TABLE,
    ISSUE_TABLE,
    SampleExistsError,
    _District,
    _district,
    _place,
    _Progress,
    _remove,
    _temp_path,
)
from citycomponents_plugin.sample.geometry import build_template

CHANGE_TABLE = "样例变更"
CHANGE_FIELDS = (("标识码", 20), ("类别", 10), ("原网格", 14), ("新网格", 14), ("变更属性", 60), ("说明", 200))
CENSUS_DATE = "2014-06-30"
CENSUS_SOURCE = "2014年部件普查"
DEFAULT_CHANGE_RATE = 0.05
MIN_MOVE = 3.0  # metres: a move inside the grid is at least this far (three times the default tolerance)
# Shares of the changes, by kind (removed, retired, moved to another grid, moved inside, changed, added).
SHARES = {"删除": 0.2, "废弃": 0.1, "移位_邻格": 0.15, "移位_格内": 0.1, "变更": 0.25, "新增": 0.2}
ACTIVE_STATUSES = ("完好", "破损", "丢失", "占用")


def _read_info(ds) -> dict:
    lyr = ds.GetLayerByName(INFO_TABLE)
    if lyr is None:
        return {}
    return {f.GetField("项目"): f.GetField("值") for f in lyr}


def _dirty_fids(ds) -> set:
    lyr = ds.GetLayerByName(ISSUE_TABLE)
    out = set()
    if lyr is not None:
        for f in lyr:
            if f.GetField("图层") == COMPONENT_LAYER and f.GetField("fid") is not None:
                out.add(int(f.GetField("fid")))
    return out


def generate_next_edition(first_path: str, path: str, seed: int = 2014, change_rate: float = DEFAULT_CHANGE_RATE,
                          feedback=None, *, overwrite: bool = False) -> dict:
    """Write the next census of the sample at `first_path` to `path`; return the counts per change kind."""
    from osgeo import ogr, osr

    if not isinstance(change_rate, (int, float)) or not math.isfinite(change_rate) or not 0 < change_rate <= 0.5:
        raise CityComponentsError(f"CHANGE_RATE must be above 0 and at most 0.5, not {change_rate!r}.")
    if int(seed) != seed or seed < 0:
        raise CityComponentsError(f"SEED must be a non-negative integer, not {seed!r}.")
    if os.path.abspath(first_path) == os.path.abspath(path):
        raise CityComponentsError("The next edition must go to another file than the sample it starts from.")
    if os.path.exists(path) and not overwrite:
        raise SampleExistsError(f"{path} already exists; delete it, choose another file name, or pass "
                                "overwrite=True (OVERWRITE in Processing) to replace it.")
    progress = _Progress(feedback)
    src = ogr.Open(first_path)
    if src is None or src.GetLayerByName(COMPONENT_LAYER) is None:
        raise CityComponentsError(f"{first_path} is not a sample district with one {COMPONENT_LAYER} layer "
                                  "(made by generatesample without PER_TYPE_LAYERS).")
    info = _read_info(src)
    first_seed, tiles = int(info.get("种子", 0)), int(info.get("图块数", 1))
    dirty = _dirty_fids(src)
    src = None
    district = _district(build_template(first_seed), tiles)
    tmp = _temp_path(path)
    _remove(tmp)
    shutil.copyfile(first_path, tmp)
    try:
        summary = _apply_changes(tmp, district, dirty, int(seed), float(change_rate), progress, ogr, osr)
        summary.update({"path": path, "from": first_path, "seed": int(seed), "change_rate": float(change_rate)})
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    progress.set(100)
    return summary


def _apply_changes(tmp: str, district: _District, dirty: set, seed: int, rate: float, progress, ogr, osr) -> dict:
    ds = ogr.Open(tmp, update=1)
    lyr = ds.GetLayerByName(COMPONENT_LAYER)
    names = ["标识码", "名称", "主管部门", "权属单位", "养护单位", "所在单元网格", "部件状态"]
    rows = {n: [] for n in names}
    fids = []
    for f in lyr:
        fids.append(f.GetFID())
        for n in names:
            rows[n].append(f.GetField(n) or "")
    lyr.ResetReading()
    fids_arr = np.array(fids, dtype=np.int64)
    ids = np.array(rows["标识码"], dtype=str)
    uniq, counts = np.unique(ids, return_counts=True)
    repeated = set(uniq[counts > 1].tolist())
    code_to_grid = {c: i for i, c in enumerate(district.grid_codes)}
    grid = np.array([code_to_grid.get(c, -1) for c in rows["所在单元网格"]], dtype=np.int64)
    well = np.array([len(i) == 16 and i.isdigit() for i in ids.tolist()])
    clean = np.array([fid not in dirty for fid in fids]) & well & (grid >= 0) & \
        np.array([i not in repeated for i in ids.tolist()]) & np.isin(rows["部件状态"], ACTIVE_STATUSES)
    rng = np.random.default_rng([seed, 12])
    total = int(round(rate * len(fids)))
    counts_by = {k: int(round(total * s)) for k, s in SHARES.items()}
    pool = rng.permutation(np.nonzero(clean)[0])
    picks, pos = {}, 0
    for kind in ("删除", "废弃", "移位_邻格", "移位_格内", "变更"):
        picks[kind] = np.sort(pool[pos: pos + counts_by[kind]])
        pos += counts_by[kind]
    t = district.template
    srs_m, srs_g = osr.SpatialReference(), osr.SpatialReference()
    srs_m.ImportFromEPSG(4548)
    srs_g.ImportFromEPSG(4490)
    for s in (srs_m, srs_g):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_geo = osr.CoordinateTransformation(srs_m, srs_g)
    to_m = osr.CoordinateTransformation(srs_g, srs_m)
    key = []  # answer-key rows

    def code(g: int) -> str:
        return district.grid_codes[g]

    def set_point(feat, xy) -> None:
        lon, lat, _ = to_geo.TransformPoint(float(xy[0]), float(xy[1]))
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(lon, lat)
        feat.SetGeometry(pt)

    ds.StartTransaction()
    removed_status = sorted(load_statuses().removed)
    for i in picks["删除"].tolist():
        lyr.DeleteFeature(int(fids_arr[i]))
        key.append((ids[i], "删除", code(grid[i]), "", "", "不在本次普查中"))
    for n, i in enumerate(picks["废弃"].tolist()):
        feat = lyr.GetFeature(int(fids_arr[i]))
        status = removed_status[n % len(removed_status)]
        feat.SetField("部件状态", status)
        feat.SetField("变更日期", CENSUS_DATE)
        lyr.SetFeature(feat)
        key.append((ids[i], "删除", code(grid[i]), code(grid[i]), "部件状态、变更日期", f"部件状态改为 {status}"))
    progress.set(30)
    # Moves to a neighbouring grid: a fresh point well inside the neighbour.
    neighbour_moves = picks["移位_邻格"]
    if len(neighbour_moves):
        base = (grid[neighbour_moves] // t.n) * t.n
        g0 = grid[neighbour_moves] % t.n
        target = np.array([base[k] + t.neighbours[g][int(rng.integers(len(t.neighbours[g])))]
                           for k, g in enumerate(g0.tolist())], dtype=np.int64)
        xy = _place(district, target, rng.uniform(0.2, 0.8, len(target)), rng.uniform(0.2, 0.8, len(target)), rng)
        for i, g, p in zip(neighbour_moves.tolist(), target.tolist(), xy):
            feat = lyr.GetFeature(int(fids_arr[i]))
            set_point(feat, p)
            feat.SetField("所在单元网格", code(g))
            feat.SetField("变更日期", CENSUS_DATE)
            lyr.SetFeature(feat)
            key.append((ids[i], "移位", code(grid[i]), code(g), "所在单元网格、变更日期", "移至相邻网格"))
    # Moves inside the grid: at least MIN_MOVE from where it was (measured in EPSG:4548).
    inside = picks["移位_格内"]
    if len(inside):
        old = []
        for i in inside.tolist():
            feat = lyr.GetFeature(int(fids_arr[i]))  # kept while its geometry is read (GDAL owns it)
            geom = feat.GetGeometryRef()
            x, y, _ = to_m.TransformPoint(geom.GetX(), geom.GetY())
            old.append((x, y))
        old = np.array(old)
        g = grid[inside]
        new = _place(district, g, rng.uniform(0.1, 0.9, len(g)), rng.uniform(0.1, 0.9, len(g)), rng)
        for _ in range(20):
            near = np.nonzero(np.hypot(*(new - old).T) < MIN_MOVE)[0]
            if not len(near):
                break
            new[near] = _place(district, g[near], rng.uniform(0.1, 0.9, len(near)), rng.uniform(0.1, 0.9, len(near)),
                               rng)
        for i, gg, p, q in zip(inside.tolist(), g.tolist(), new, old):
            if math.hypot(p[0] - q[0], p[1] - q[1]) < MIN_MOVE:
                continue  # never happened at the sample's sizes; such a component simply stays unchanged
            feat = lyr.GetFeature(int(fids_arr[i]))
            set_point(feat, p)
            feat.SetField("变更日期", CENSUS_DATE)
            lyr.SetFeature(feat)
            key.append((ids[i], "移位", code(gg), code(gg), "变更日期",
                        f"网格内移动 {math.hypot(p[0] - q[0], p[1] - q[1]):.1f} m"))
    progress.set(60)
    keepers = sorted(set(rows["养护单位"]))
    for n, i in enumerate(picks["变更"].tolist()):
        feat = lyr.GetFeature(int(fids_arr[i]))
        if n % 5 < 3 or len(keepers) < 2:
            old_state = rows["部件状态"][i]
            state = [s for s in ACTIVE_STATUSES if s != old_state][int(rng.integers(len(ACTIVE_STATUSES) - 1))]
            feat.SetField("部件状态", state)
            what, note = "部件状态", f"部件状态 {old_state} -> {state}"
        else:
            old_keeper = rows["养护单位"][i]
            keeper = [k for k in keepers if k != old_keeper][int(rng.integers(len(keepers) - 1))]
            feat.SetField("养护单位", keeper)
            what, note = "养护单位", f"养护单位 {old_keeper} -> {keeper}"
        feat.SetField("变更日期", CENSUS_DATE)
        lyr.SetFeature(feat)
        key.append((ids[i], "变更", code(grid[i]), code(grid[i]), f"{what}、变更日期", note))
    # New components: each like a clean one of the same type (its departments), in a grid that type is in.
    n_new = counts_by["新增"]
    models = rng.choice(np.nonzero(clean)[0], size=n_new, replace=True) if n_new else np.zeros(0, dtype=np.int64)
    serial: dict = {}
    for i in np.nonzero(well)[0].tolist():
        prefix = ids[i][:10]
        serial[prefix] = max(serial.get(prefix, 0), int(ids[i][10:]))
    new_xy = _place(district, grid[models], rng.uniform(0.1, 0.9, n_new), rng.uniform(0.1, 0.9, n_new), rng) \
        if n_new else np.zeros((0, 2))
    defn = lyr.GetLayerDefn()
    for m, p in zip(models.tolist(), new_xy):
        prefix = ids[m][:10]
        serial[prefix] += 1
        ident = f"{prefix}{serial[prefix]:06d}"
        feat = ogr.Feature(defn)
        for n in ("名称", "主管部门", "权属单位", "养护单位"):
            feat.SetField(n, rows[n][m])
        feat.SetField("标识码", ident)
        feat.SetField("所在单元网格", code(grid[m]))
        feat.SetField("部件状态", "完好")
        feat.SetField("初始日期", CENSUS_DATE)
        feat.SetField("变更日期", CENSUS_DATE)
        feat.SetField("数据来源", CENSUS_SOURCE)
        set_point(feat, p)
        if lyr.CreateFeature(feat) != 0:
            ds.RollbackTransaction()
            raise CityComponentsError(f"Writing a new component to {COMPONENT_LAYER} failed.")
        key.append((ident, "新增", "", code(grid[m]), "", CENSUS_SOURCE))
    ds.CommitTransaction()
    progress.set(85)

    table = ds.CreateLayer(CHANGE_TABLE, None, ogr.wkbNone,
                           ["FID=序号", "DESCRIPTION=样例变更: 第二次普查的变更 (答案)"])
    for name, width in CHANGE_FIELDS:
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(width)
        table.CreateField(fd)
    ds.StartTransaction()
    for row in sorted(key):
        feat = ogr.Feature(table.GetLayerDefn())
        for (name, _w), value in zip(CHANGE_FIELDS, row):
            if value:
                feat.SetField(name, str(value))
        table.CreateFeature(feat)
    ds.CommitTransaction()
    info = ds.GetLayerByName(INFO_TABLE)
    ds.StartTransaction()
    for item, value in (("版本", f"第二次普查 ({CENSUS_DATE}), 变更见 {CHANGE_TABLE}"), ("变更种子", str(seed)),
                        ("变更比例", repr(rate))):
        feat = ogr.Feature(info.GetLayerDefn())
        feat.SetField("项目", item)
        feat.SetField("值", value)
        info.CreateFeature(feat)
    for feat in info:
        if feat.GetField("项目") == "部件总数":
            feat.SetField("值", str(lyr.GetFeatureCount()))
            info.SetFeature(feat)
    ds.CommitTransaction()
    components = lyr.GetFeatureCount()
    ds = None
    by_class: dict = {}
    for row in key:
        by_class[row[1]] = by_class.get(row[1], 0) + 1
    return {"components": int(components), "changes": by_class, "retired": int(len(picks["废弃"]))}


def read_change_key(path: str) -> list:
    """The answer key of a next edition: dicts with 标识码, 类别, 原网格, 新网格, 变更属性, 说明."""
    from osgeo import ogr

    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(CHANGE_TABLE) if ds is not None else None
    if lyr is None:
        raise CityComponentsError(f"{path} has no table {CHANGE_TABLE}: it is not a next edition of the sample.")
    out = [{name: (f.GetField(name) or "") for name, _w in CHANGE_FIELDS} for f in lyr]
    ds = None
    return out


def default_path(first_path: str) -> str:
    """Where the next edition goes by default: beside the first, `<name>_2014.gpkg`."""
    stem = first_path[:-5] if first_path.lower().endswith(".gpkg") else first_path
    return f"{stem}_{CENSUS_DATE[:4]}.gpkg"
