"""The sample district: a Dongcheng-scale GeoPackage with known, planted dirt (the answer key).

Why it exists: tests, `make demo`, the benchmarks and every booklet need a realistic district of the
paper's size (10 street offices, 126 committees, 92 supervisor areas, 1,593 grids, 168,339
components of 60 types) that nobody is allowed to share. It is generated, deterministically for a
seed, and the dirt real data has (boundaries that do not match the grid edges, points on edges and
vertices, outside the district, with a wrong stored grid code, null geometries, duplicate and
malformed 标识码) is planted on purpose and listed in the table 样例数据问题.

Written with GDAL/OGR directly (one transaction per layer) and numpy: the full scale takes a few
seconds. See docs/sample_district.md for the layer schema and what the engine may rely on.
"""

from __future__ import annotations

import math
import os
import struct
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

import numpy as np

from citycomponents_plugin.core.codes import load_classification
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError
from citycomponents_plugin.sample.geometry import Template, build_template, points_in_grids
from citycomponents_plugin.sample.names import (
    COMMITTEE_NAMES,
    COMPONENT_TYPES,
    DEPARTMENTS,
    POI_KINDS,
    REFERENCE_KINDS,
    ROADS,
    SPLIT_COMMITTEES,
    STREET_NAMES,
)

if TYPE_CHECKING:  # only for the annotation: the generator runs without a QgsApplication
    from qgis.core import QgsFeedback

SAMPLE_FORMAT_VERSION = "1.0"
DEFAULT_SEED = 20130701
BASE_COMPONENTS = 168339
BASE_ADDRESSES = 20000
BASE_REFERENCES = 3000
BASE_POIS = 8000
DISTRICT_CODE = 110101
MAX_SCALE = 99.0  # tile k gets district code 110101 + k; 1101xx keeps codes at 6 digits

# Layer names (the contract the engine, batch export and booklets are written against).
STREET_LAYER = "街道办事处"
COMMITTEE_LAYER = "社区居委会"
SUPERVISOR_LAYER = "监督员责任区"
GRID_LAYER = "单元网格"
COMPONENT_LAYER = "城市部件"
ADDRESS_LAYER = "门址"
REFERENCE_LAYER = "参照物"
POI_LAYER = "兴趣点"
ISSUE_TABLE = "样例数据问题"
INFO_TABLE = "样例说明"

# Kinds of planted dirt, as written in 样例数据问题.问题.
ON_EDGE = "边上"
ON_VERTEX = "顶点上"
OUTSIDE = "区外"
GRID_MISMATCH = "网格不符"
NULL_GEOMETRY = "空几何"
DUPLICATE_ID = "重复标识码"
MALFORMED_ID = "编码格式错误"
BOUNDARY_OFFSET = "边界偏移"
UNKNOWN_STATUS = "状态不明"  # planted after every random draw, so the rest of the sample stays as it was
# 部件状态 values outside the vocabulary (resources/component_statuses.csv): a synonym, a note, none at all.
UNKNOWN_STATUS_VALUES = ("损坏", "待核查", None)
COMPONENT_DIRT_KINDS = (ON_EDGE, ON_VERTEX, OUTSIDE, GRID_MISMATCH, NULL_GEOMETRY, DUPLICATE_ID, MALFORMED_ID)
# The audit check (citycomponents:audit) that must report each kind, and nothing else (the answer key
# for its precision and recall). Edge and vertex points are its only points near an edge: every other
# point is moved at least 0.5 m inside its grid when generated (_place), far beyond the 1 cm tolerance,
# and outside points are at least 1 m from every grid. Boundary offsets (0.05-1.00 m) make slivers far
# below the 1% overlap and 50% cover rules: no check reports them.
AUDIT_CHECK_OF_KIND = {ON_EDGE: "near_edge", ON_VERTEX: "near_edge", OUTSIDE: "outside_grids",
                       GRID_MISMATCH: "stored_grid_mismatch", NULL_GEOMETRY: "null_geometry",
                       DUPLICATE_ID: "duplicate_id", MALFORMED_ID: "malformed_id", BOUNDARY_OFFSET: None,
                       UNKNOWN_STATUS: "unknown_status"}

COMPONENT_FIELDS: tuple[tuple[str, str, int], ...] = (  # (name, type, width); "date" = OGR Date
    ("标识码", "text", 16), ("名称", "text", 30), ("主管部门", "text", 50), ("权属单位", "text", 50),
    ("养护单位", "text", 50), ("所在单元网格", "text", 14), ("部件状态", "text", 10), ("初始日期", "date", 0),
    ("变更日期", "date", 0), ("数据来源", "text", 30), ("备注", "text", 100),
)
ISSUE_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("问题", "text", 10), ("图层", "text", 30), ("标识码", "text", 20), ("fid", "int", 0), ("说明", "text", 200),
    ("应归网格", "text", 14), ("相关网格", "text", 80),
)

_STATES = ("完好", "破损", "丢失", "占用")
_STATE_P = (0.935, 0.04, 0.005, 0.02)
_HUTONG_STREETS = {"景山", "交道口", "安定门", "北新桥", "东四", "朝阳门"}
_COMMERCIAL_STREETS = {"东华门", "建国门", "东直门"}
_HERITAGE_STREETS = {"景山", "交道口", "安定门"}
_PHONE_PREFIXES = ("6401", "6403", "6404", "6405", "6407", "6512", "6513", "6522", "6525", "6527", "8401", "8402")


class SampleExistsError(CityComponentsError, FileExistsError):
    """The output file exists and overwrite was not asked for."""


@dataclass(frozen=True)
class ComponentType:
    """A component subclass of the sample (from component_types.csv) and how it is spread."""

    code: str  # 4 digits: major + subclass
    major_name: str
    name: str
    weight: float
    theme: str


def sample_component_types() -> list[ComponentType]:
    """The 60 types of the sample, in code order, with codes from the classification the plugin ships.

    Why the table: the codes are reference data users may edit; the sample must agree with the table
    the plugin classifies with (core/codes.py), and a type missing from it is an error naming the file.
    """
    table = load_classification()
    rows = {row.name: row for row in table.rows if row.name}
    missing = [name for name, _, _ in COMPONENT_TYPES if name not in rows]
    if missing:
        raise CityComponentsError(f"{table.path}: the sample's component types {', '.join(missing)} are not in "
                                  "the 'name' column; restore the file shipped with the plugin.")
    types = [ComponentType(code=rows[name].code, major_name=rows[name].major_name, name=name, weight=weight,
                           theme=theme) for name, weight, theme in COMPONENT_TYPES]
    return sorted(types, key=lambda t: t.code)


def dirt_counts(scale: float) -> dict[str, int]:
    """How many components of each dirt kind are planted at a scale (documented in docs/)."""
    n = int(round(BASE_COMPONENTS * scale))
    return {
        ON_EDGE: max(3, int(round(0.0002 * n))),
        ON_VERTEX: max(2, int(round(6 * scale))),
        OUTSIDE: max(5, int(round(40 * scale))),
        GRID_MISMATCH: max(5, int(round(100 * scale))),
        NULL_GEOMETRY: 5,
        DUPLICATE_ID: 2,
        MALFORMED_ID: 3,
    }


def _allocate(total: int, weights: Sequence[float], minimum: int = 0) -> np.ndarray:
    """Split total into integer parts proportional to weights (largest remainder), each >= minimum."""
    w = np.asarray(weights, dtype=float)
    base = np.full(len(w), minimum, dtype=np.int64)
    rest = total - int(base.sum())
    if rest < 0:
        raise CityComponentsError(f"cannot spread {total} items over {len(w)} kinds with at least {minimum} each")
    share = w / w.sum() * rest
    parts = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - parts), kind="stable")
    parts[order[: rest - int(parts.sum())]] += 1
    return base + parts


class _Progress:
    """Feedback wrapper: progress in a [start, end] band, cancellation as CancelledError."""

    def __init__(self, feedback: Optional[QgsFeedback]) -> None:
        self.feedback = feedback

    def check(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise CancelledError("Generating the sample district was cancelled; no file was written.")

    def set(self, percent: float) -> None:
        if self.feedback is not None:
            self.feedback.setProgress(float(percent))


# ----------------------------------------------------------------------------------------------------
# The district (regions) across tiles


@dataclass
class _District:
    """Region tables across all tiles; grid g of tile k has global index k * n + g."""

    template: Template
    tiles: int
    district_codes: list[str]
    grid_codes: list[str]  # (tiles * n): one shared str object per grid (memory at SCALE 10)
    street_names: list[list[str]]  # [tile][street]
    committee_names: list[list[str]]  # [tile][committee]
    ring_x: np.ndarray  # tile-0 rings; add tile * tile_dx to x
    ring_y: np.ndarray

    def tile_of(self, grid: np.ndarray) -> np.ndarray:
        return grid // self.template.n

    def dx(self, tile: Any) -> Any:
        return tile * self.template.tile_dx


def _district(template: Template, tiles: int) -> _District:
    codes = [str(DISTRICT_CODE + k) for k in range(tiles)]
    t = template
    grid_codes = []
    for k in range(tiles):
        for g in range(t.n):
            cm = t.committees[t.committee[g]]
            grid_codes.append(f"{codes[k]}{cm.street + 1:03d}{cm.serial:03d}{t.serial[g]:02d}")
    suffix = ["" if k == 0 else f"-{k + 1}" for k in range(tiles)]
    return _District(template=t, tiles=tiles, district_codes=codes, grid_codes=grid_codes,
                     street_names=[[s + suffix[k] for s in STREET_NAMES] for k in range(tiles)],
                     committee_names=[[cm.name + suffix[k] for cm in t.committees] for k in range(tiles)],
                     ring_x=t.ring_x, ring_y=t.ring_y)


def _grid_weights(template: Template, seed: int) -> dict[str, np.ndarray]:
    """Relative density of each spatial theme per grid: uneven, like a real census."""
    t = template
    rng = np.random.default_rng([seed, 2])
    committee_factor = rng.lognormal(0.0, 0.4, len(t.committees))
    grid_factor = rng.lognormal(0.0, 0.5, t.n)
    base = t.area / t.area.mean() * committee_factor[t.committee] * grid_factor
    street = np.array([STREET_NAMES[s] for s in t.street])
    committee = np.array([t.committees[c].name for c in t.committee])
    on_road = np.array([len(s) > 0 for s in t.road_sides])
    big = {name for _, name, _, _ in SPLIT_COMMITTEES}
    return {
        "uniform": base,
        "road": base * np.where(on_road, 4.0, 1.0),
        "hutong": base * np.where(np.isin(street, list(_HUTONG_STREETS)), 1.8, 0.6),
        "commercial": base * np.where(np.isin(committee, list(big)), 4.0,
                                      np.where(np.isin(street, list(_COMMERCIAL_STREETS)), 2.0, 0.7)),
        "residential": base * np.where(street == "和平里", 2.2, 1.0),
        "heritage": base * np.where(np.isin(street, list(_HERITAGE_STREETS)), 5.0, 0.4),
    }


def _place(district: _District, grid: np.ndarray, u: np.ndarray, v: np.ndarray,
           rng: np.random.Generator) -> np.ndarray:
    """EPSG:4548 points at (u, v) in their grids, moved inward where they would be < 0.5 m from an edge.

    Why check: the edges have extra vertices pushed sideways, so a bilinear (u, v) near an edge can
    fall just outside; every ordinary point must be strictly and robustly inside its grid.
    """
    t = district.template
    g = grid % t.n
    xy = t.sample(g, u, v)
    for _ in range(10):
        inside, dist = points_in_grids(xy[:, 0], xy[:, 1], g, t.ring_x, t.ring_y)
        bad = np.nonzero(~inside | (dist < 0.5))[0]
        if len(bad) == 0:
            break
        xy[bad] = t.sample(g[bad], rng.uniform(0.3, 0.7, len(bad)), rng.uniform(0.3, 0.7, len(bad)))
    else:
        raise RuntimeError("sample: points could not be placed inside their grids")
    xy[:, 0] += district.dx(district.tile_of(grid))
    return xy


def _spread(district: _District, weights: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Global grid index of each of count points, drawn by weight over every grid of every tile."""
    p = np.tile(weights, district.tiles)
    p = p / p.sum()
    per_grid = rng.multinomial(count, p)
    return np.repeat(np.arange(len(p)), per_grid)


# ----------------------------------------------------------------------------------------------------
# Components


@dataclass
class _Points:
    """A point layer in memory: EPSG:4548 coordinates (NaN = null geometry) and text columns."""

    xy: np.ndarray
    columns: dict[str, list]
    type_index: Optional[np.ndarray] = None  # components: index into the type list, per row


def _components(district: _District, types: list[ComponentType], scale: float, seed: int,
                weights: dict[str, np.ndarray]) -> tuple[_Points, list[dict[str, Any]], dict[str, int]]:
    """All components in their final (fid) order, and the planted dirt as answer-key rows."""
    t = district.template
    n_total = int(round(BASE_COMPONENTS * scale))
    per_type = _allocate(n_total, [ty.weight for ty in types], minimum=1)
    rng = np.random.default_rng([seed, 4])
    type_idx = np.concatenate([np.full(c, i) for i, c in enumerate(per_type)])
    grid = np.concatenate([_spread(district, weights[ty.theme], int(c), rng) for ty, c in zip(types, per_type)])

    # Where in the grid: anywhere, or (road types in road grids) along the road side of the grid.
    u = rng.uniform(0.05, 0.95, n_total)
    v = rng.uniform(0.05, 0.95, n_total)
    side_code = {"S": 0, "N": 1, "W": 2, "E": 3}
    sides = np.full((t.n, 4), -1)
    n_sides = np.zeros(t.n, dtype=int)
    for g, s in enumerate(t.road_sides):
        n_sides[g] = len(s)
        sides[g, : len(s)] = [side_code[x] for x in s]
    g0 = grid % t.n
    is_road_type = np.array([ty.theme == "road" for ty in types])[type_idx]
    along = is_road_type & (n_sides[g0] > 0) & (rng.random(n_total) < 0.7)
    pick = sides[g0, np.minimum((rng.random(n_total) * np.maximum(n_sides[g0], 1)).astype(int), 3)]
    near = rng.uniform(0.06, 0.14, n_total)
    for code, param, value in ((0, v, near), (1, v, 1.0 - near), (2, u, near), (3, u, 1.0 - near)):
        sel = along & (pick == code)
        param[sel] = value[sel]
    xy = _place(district, grid, u, v, rng)

    # Planted dirt on geometry and stored grid code.
    counts = dirt_counts(scale)
    dirty = rng.choice(n_total, size=sum(counts.values()), replace=False)
    kind_of: dict[int, str] = {}
    pos = 0
    for kind in COMPONENT_DIRT_KINDS:
        for i in dirty[pos: pos + counts[kind]]:
            kind_of[int(i)] = kind
        pos += counts[kind]
    stored = grid.copy()  # the 所在单元网格 written
    located = grid.copy()  # where SPEC 4.1 assigns the point (-1: nowhere)
    related: dict[int, list[int]] = {}
    note: dict[int, str] = {}
    partner: dict[int, int] = {}
    tile = district.tile_of(grid)
    for i in sorted(kind_of):
        kind, k = kind_of[i], int(tile[i])
        base = k * t.n
        if kind == ON_EDGE:
            a, b, chain = t.shared_edges[int(rng.integers(len(t.shared_edges)))]
            seg = int(rng.integers(len(chain) - 1))
            f = rng.uniform(0.2, 0.8)
            xy[i] = chain[seg] + f * (chain[seg + 1] - chain[seg]) + (district.dx(k), 0.0)
            stored[i] = located[i] = base + min(a, b)
            related[i] = [base + a, base + b]
            note[i] = (f"位于网格 {district.grid_codes[base + a]} 与 {district.grid_codes[base + b]} 的公共边上"
                       f" (EPSG:4548 线段内插, 比例 {f:.3f}); 按最小编码归 {district.grid_codes[base + min(a, b)]}")
        elif kind == ON_VERTEX:
            corner, around = t.inner_vertices[int(rng.integers(len(t.inner_vertices)))]
            xy[i] = corner + (district.dx(k), 0.0)
            stored[i] = located[i] = base + min(around)
            related[i] = [base + g for g in around]
            note[i] = (f"位于网格 {'、'.join(district.grid_codes[base + g] for g in around)} 的公共顶点上"
                       f" (EPSG:4548 顶点坐标); 按最小编码归 {district.grid_codes[base + min(around)]}")
        elif kind == OUTSIDE:
            xy[i], g, dist = _outside_point(district, k, rng)
            stored[i] = base + g
            located[i] = -1
            related[i] = [base + g]
            note[i] = f"位于辖区外约 {dist:.0f} m, 不在任何网格内; 所在单元网格仍记为 {district.grid_codes[base + g]}"
        elif kind == GRID_MISMATCH:
            g = int(grid[i] % t.n)
            nb = t.neighbours[g][int(rng.integers(len(t.neighbours[g])))]
            stored[i] = base + nb
            related[i] = [base + nb]
            note[i] = (f"位于网格 {district.grid_codes[grid[i]]} 内, 所在单元网格却记为相邻网格 "
                       f"{district.grid_codes[base + nb]}")
        elif kind == NULL_GEOMETRY:
            xy[i] = np.nan
            located[i] = -1
            related[i] = [int(grid[i])]
            note[i] = f"几何为空 (NULL); 所在单元网格记为 {district.grid_codes[grid[i]]}"

    # Serial numbers: per tile and type, in stored-grid order (as a census team would number them).
    type_rank = type_idx
    order = np.lexsort((rng.random(n_total), stored, type_rank))
    group = (type_rank * district.tiles + tile)[order]
    first = np.r_[0, np.nonzero(np.diff(group))[0] + 1]
    starts = np.repeat(first, np.diff(np.r_[first, len(group)]))
    serial = np.arange(len(order)) - starts + 1
    if serial.max() > 999999:
        raise CityComponentsError("the scale is too large for 6-digit serial numbers per type")
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))  # inv[i]: row of component i in the layer
    codes = [f"{district.district_codes[tile[i]]}{types[type_idx[i]].code}{serial[inv[i]]:06d}"
             for i in range(n_total)]
    original = list(codes)

    # Planted dirt on 标识码.
    for i in sorted(kind_of):
        kind = kind_of[i]
        if kind == DUPLICATE_ID:
            same = np.nonzero((type_idx == type_idx[i]) & (tile == tile[i]))[0]
            same = [j for j in same.tolist() if j not in kind_of]
            j = same[int(rng.integers(len(same)))]
            codes[i] = codes[j]
            related[i] = []
            partner[i] = j
            note[i] = f"标识码与同图层 fid {{partner_fid}} 重复 (本要素原应为 {original[i]})"
        elif kind == MALFORMED_ID:
            nth = sorted(x for x in kind_of if kind_of[x] == MALFORMED_ID).index(i)
            codes[i], why = _malformed(original[i], nth)
            related[i] = []
            note[i] = f"{why} (原应为 {original[i]})"

    # Planted dirt on 部件状态, chosen without a random draw (every other value stays as it was): clean
    # components at a quarter, half and three quarters of the layer, none of them a duplicate's partner.
    spare = np.array([i for i in order.tolist() if i not in kind_of and i not in partner.values()])
    planted_state = {}
    for n, value in enumerate(UNKNOWN_STATUS_VALUES):
        i = int(spare[(n + 1) * len(spare) // (len(UNKNOWN_STATUS_VALUES) + 1)])
        kind_of[i] = UNKNOWN_STATUS
        planted_state[i] = value
        related[i] = []
        note[i] = f"部件状态为 {value or 'NULL'}, 不在状态词表中"

    states = rng.choice(len(_STATES), size=n_total, p=_STATE_P)
    census = rng.random(n_total) < 0.8
    day0 = np.where(census, np.datetime64("2005-03-01").astype(int) + rng.integers(0, 306, n_total),
                    np.datetime64("2006-01-01").astype(int) + rng.integers(0, 2557, n_total))
    last = np.datetime64("2013-06-30").astype(int)
    changed = rng.random(n_total) < 0.45
    day1 = np.where(changed, day0 + (rng.random(n_total) * (last - day0)).astype(int), day0)
    first_day = int(min(day0.min(), day1.min()))
    day_text = np.datetime_as_string(np.arange(first_day, last + 1).astype("datetime64[D]")).tolist()
    start_text = [day_text[d - first_day] for d in day0.tolist()]  # shared str objects, one per day
    change_text = [day_text[d - first_day] for d in day1.tolist()]
    later_sources = ("监督员巡查新增", "专业部门报送", "2010年部件更新调查")
    source_pick = rng.integers(0, len(later_sources), n_total)
    owner_pick = rng.integers(0, 3, n_total)
    remark_roll = rng.random(n_total)
    street_of = district.template.street

    columns: dict[str, list] = {name: [None] * n_total for name, _, _ in COMPONENT_FIELDS}
    depts_cache: dict[tuple[int, int, int, int], tuple[str, str, str]] = {}
    for row, i in enumerate(order.tolist()):
        ty = types[type_idx[i]]
        k = int(tile[i])
        s = int(street_of[grid[i] % t.n])
        key = (int(type_idx[i]), int(owner_pick[i]), s, k)
        depts = depts_cache.get(key)
        if depts is None:
            chief, owners, keeper = DEPARTMENTS[ty.name]
            owner = owners[int(owner_pick[i]) % len(owners)]
            street_name = district.street_names[k][s]
            depts = tuple(x.replace("{owner}", owner).format(street=street_name) for x in (chief, owner, keeper))
            depts_cache[key] = depts
        state = planted_state[i] if i in planted_state else _STATES[states[i]]
        columns["标识码"][row] = codes[i]
        columns["名称"][row] = ty.name
        columns["主管部门"][row], columns["权属单位"][row], columns["养护单位"][row] = depts
        columns["所在单元网格"][row] = district.grid_codes[stored[i]]
        columns["部件状态"][row] = state
        columns["初始日期"][row] = start_text[i]
        columns["变更日期"][row] = change_text[i]
        columns["数据来源"][row] = "2005年部件普查" if census[i] else later_sources[source_pick[i]]
        if state in ("破损", "丢失") and remark_roll[i] < 0.4:
            columns["备注"][row] = "已立案派遣"
        elif state == "占用" and remark_roll[i] < 0.5:
            columns["备注"][row] = "占道经营遮挡"

    # Answer-key rows, with fids of the single layer (row + 1) and of the per-type layer.
    type_first = {int(ti): int(np.argmax(type_idx[order] == ti)) for ti in np.unique(type_idx)}
    issues = []
    for i in sorted(kind_of, key=lambda i: inv[i]):
        row = int(inv[i])
        ti = int(type_idx[i])
        issues.append({
            "问题": kind_of[i], "type": types[ti].name, "row": row, "type_row": row - type_first[ti],
            "partner_row": int(inv[partner[i]]) if i in partner else None, "标识码": codes[i], "说明": note[i],
            "应归网格": district.grid_codes[located[i]] if located[i] >= 0 else "",
            "相关网格": ",".join(district.grid_codes[g] for g in related.get(i, [])),
        })
    summary = {ty.name: int(c) for ty, c in zip(types, per_type)}
    return _Points(xy=xy[order], columns=columns, type_index=type_idx[order]), issues, summary


def _malformed(code: str, nth: int) -> tuple[str, str]:
    """A realistic broken 标识码: a lost digit, a letter typed for a digit, or Excel's number display."""
    kind = nth % 3
    if kind == 0:
        return code[:10] + code[11:], "15 位 (录入时少一位)"
    if kind == 1:
        letter = {"0": "O", "1": "l", "5": "S", "8": "B"}.get(code[10], "O")
        return code[:10] + letter + code[11:], f"含字母 '{letter}' (录入时误把数字当字母)"
    return f"{float(code):.5E}", "Excel 科学计数法 (以数字保存后丢失后几位)"


def _outside_point(district: _District, tile: int, rng: np.random.Generator) -> tuple[np.ndarray, int, float]:
    """A point 5-300 m outside the district, beyond one of its outer grid edges (checked, not assumed)."""
    t = district.template
    for _ in range(1000):
        g, chain = t.boundary_edges[int(rng.integers(len(t.boundary_edges)))]
        seg = int(rng.integers(len(chain) - 1))
        mid = (chain[seg] + chain[seg + 1]) / 2.0
        centre = t.rings[g].mean(axis=0)
        direction = (mid - centre) / np.hypot(*(mid - centre))
        dist = float(rng.uniform(5.0, 300.0))
        p = mid + dist * direction
        n = t.n
        inside, d = points_in_grids(np.full(n, p[0]), np.full(n, p[1]), np.arange(n), t.ring_x, t.ring_y)
        if not inside.any() and d.min() > 1.0:
            return p + (district.dx(tile), 0.0), g, float(d.min())
    raise RuntimeError("sample: no outside point found")


# ----------------------------------------------------------------------------------------------------
# Addresses, reference objects, POIs (clean: no planted dirt)


def _committee_roads(template: Template, seed: int) -> list[list[str]]:
    rng = np.random.default_rng([seed, 6])
    out = []
    for cm in template.committees:
        roads = ROADS[STREET_NAMES[cm.street]]
        out.append([roads[int(k)] for k in rng.choice(len(roads), size=4, replace=False)])
    return out


def _addresses(district: _District, weights: dict[str, np.ndarray], scale: float,
               seed: int) -> tuple[_Points, _Points, _Points]:
    t = district.template
    roads = _committee_roads(t, seed)
    rng = np.random.default_rng([seed, 7])
    w = weights["uniform"] * np.where(np.array([STREET_NAMES[s] for s in t.street]) == "和平里", 1.6, 1.0)
    numbers: dict[tuple[int, str], int] = {}

    def road_of(g: int) -> str:
        return roads[t.committee[g % t.n]][int(rng.integers(4))]

    def house_number(k: int, road: str) -> int:
        numbers[(k, road)] = numbers.get((k, road), 0) + int(rng.integers(1, 3))
        return numbers[(k, road)]

    # 门址
    grid = _spread(district, w, int(round(BASE_ADDRESSES * scale)), rng)
    xy = _place(district, grid, rng.uniform(0.1, 0.9, len(grid)), rng.uniform(0.1, 0.9, len(grid)), rng)
    cols: dict[str, list] = {"门址编码": [], "名称": [], "地址": [], "所在单元网格": []}
    serial_in_grid: dict[int, int] = {}
    for g in grid.tolist():
        k = g // t.n
        road = road_of(g)
        name = f"{road}{house_number(k, road)}号"
        serial_in_grid[g] = serial_in_grid.get(g, 0) + 1
        cols["门址编码"].append(f"{district.grid_codes[g]}{serial_in_grid[g]:04d}")
        cols["名称"].append(name)
        cols["地址"].append(f"北京市东城区{name}")
        cols["所在单元网格"].append(district.grid_codes[g])
    addresses = _Points(xy=xy, columns=cols)

    # 参照物
    grid = _spread(district, weights["road"], int(round(BASE_REFERENCES * scale)), rng)
    xy = _place(district, grid, rng.uniform(0.1, 0.9, len(grid)), rng.uniform(0.1, 0.9, len(grid)), rng)
    cols = {"名称": [], "类别": [], "地址": [], "所在单元网格": []}
    for g in grid.tolist():
        kind, pattern = REFERENCE_KINDS[int(rng.integers(len(REFERENCE_KINDS)))]
        road, road2 = road_of(g), road_of(g)
        place = district.committee_names[g // t.n][t.committee[g % t.n]]
        cols["名称"].append(pattern.format(road=road, road2=road2, place=place, gate="ABCD"[int(rng.integers(4))]))
        cols["类别"].append(kind)
        cols["地址"].append(f"北京市东城区{road}")
        cols["所在单元网格"].append(district.grid_codes[g])
    references = _Points(xy=xy, columns=cols)

    # 兴趣点
    grid = _spread(district, weights["commercial"], int(round(BASE_POIS * scale)), rng)
    xy = _place(district, grid, rng.uniform(0.1, 0.9, len(grid)), rng.uniform(0.1, 0.9, len(grid)), rng)
    cols = {"名称": [], "类别": [], "地址": [], "电话": [], "所在单元网格": []}
    for g in grid.tolist():
        k = g // t.n
        kind, brands = POI_KINDS[int(rng.integers(len(POI_KINDS)))]
        brand = brands[int(rng.integers(len(brands)))]
        road = road_of(g)
        place = district.committee_names[k][t.committee[g % t.n]]
        street = district.street_names[k][t.street[g % t.n]]
        if kind == "银行":
            name = f"{brand}{place}支行"
        elif kind in ("学校", "政府机关", "邮局"):
            name = f"东城区{street}{brand}" if kind == "政府机关" else f"东城区{place}{brand}"
        elif kind == "写字楼":
            name = f"{place}{brand}"
        else:
            name = f"{brand}({road}店)"
        cols["名称"].append(name)
        cols["类别"].append(kind)
        cols["地址"].append(f"北京市东城区{road}{house_number(k, road)}号")
        cols["电话"].append(f"010-{_PHONE_PREFIXES[int(rng.integers(len(_PHONE_PREFIXES)))]}"
                          f"{int(rng.integers(10000)):04d}")
        cols["所在单元网格"].append(district.grid_codes[g])
    pois = _Points(xy=xy, columns=cols)
    return addresses, references, pois


# ----------------------------------------------------------------------------------------------------
# Upper-level polygons: unions of grids, "digitized" with small vertex offsets (dirt #1)


def _union_ring(template: Template, grids: Sequence[int]) -> list[np.ndarray]:
    """Rings (exterior first) of the union of some grids, exact (shared vertices), tile-0 coordinates."""
    from osgeo import ogr

    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    for g in grids:
        multi.AddGeometry(ogr.CreateGeometryFromWkb(_polygon_wkb([template.rings[g]])))
    union = multi.UnionCascaded()
    if union is None or union.GetGeometryType() != ogr.wkbPolygon:
        raise RuntimeError("sample: a region's grids do not form one polygon")
    return [np.array(union.GetGeometryRef(r).GetPoints())[:-1, :2] for r in range(union.GetGeometryCount())]


def _digitize(rings: list[np.ndarray], shift: float, rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Move every vertex 0.05-1.0 m in a random direction, as a hand digitizer would.

    Vertices are metres apart, so the result is valid; checked anyway (and redrawn) because an
    invalid region polygon would be a different kind of dirt than the one documented.
    """
    from osgeo import ogr

    for _ in range(10):
        out = []
        largest = 0.0
        for ring in rings:
            r = rng.uniform(0.05, 1.0, len(ring))
            a = rng.uniform(0.0, 2.0 * math.pi, len(ring))
            moved = ring + np.stack([r * np.cos(a), r * np.sin(a)], axis=1) + (shift, 0.0)
            out.append(np.round(moved, 3))
            largest = max(largest, float(r.max()))
        if ogr.CreateGeometryFromWkb(_polygon_wkb(out)).IsValid():
            return out, largest
    raise RuntimeError("sample: could not digitize a region boundary validly")


def _polygon_wkb(rings: Sequence[np.ndarray]) -> bytes:
    """Little-endian WKB polygon from open rings (closed here)."""
    parts = [struct.pack("<BII", 1, 3, len(rings))]
    for ring in rings:
        closed = np.ascontiguousarray(np.vstack([ring, ring[:1]]), dtype="<f8")
        parts.append(struct.pack("<I", len(closed)))
        parts.append(closed.tobytes())
    return b"".join(parts)


@dataclass
class _Polygons:
    rings: list[list[np.ndarray]]  # per feature
    columns: dict[str, list]


def _regions(district: _District, seed: int) -> tuple[dict[str, _Polygons], list[dict[str, Any]]]:
    """The four polygon layers of every tile, and the 边界偏移 answer-key rows."""
    t = district.template
    street_rings = [_union_ring(t, [g for g in range(t.n) if t.street[g] == s]) for s in range(len(STREET_NAMES))]
    committee_rings = [_union_ring(t, cm.grids) for cm in t.committees]
    supervisor_rings = [_union_ring(t, area.grids) for area in t.supervisors]
    layers = {
        STREET_LAYER: _Polygons([], {"街道编码": [], "街道名称": []}),
        COMMITTEE_LAYER: _Polygons([], {"社区编码": [], "社区名称": [], "街道名称": []}),
        SUPERVISOR_LAYER: _Polygons([], {"责任区编码": [], "责任区名称": [], "监督员": [], "所属社区": []}),
        GRID_LAYER: _Polygons([], {"网格编码": [], "面积": []}),
    }
    issues: list[dict[str, Any]] = []

    def add(layer: str, rings: list[np.ndarray], code: str, rng: np.random.Generator, shift: float) -> None:
        moved, largest = _digitize(rings, shift, rng)
        layers[layer].rings.append(moved)
        issues.append({"问题": BOUNDARY_OFFSET, "图层": layer, "标识码": code, "fid": len(layers[layer].rings),
                       "说明": f"边界由人工数字化: {sum(len(r) for r in rings)} 个顶点各偏移 0.05–1.00 m"
                               f" (最大 {largest:.2f} m), 与网格边不重合", "应归网格": "", "相关网格": ""})

    for k in range(district.tiles):
        rng = np.random.default_rng([seed, 5, k])
        shift = district.dx(k)
        dcode = district.district_codes[k]
        streets, committees = district.street_names[k], district.committee_names[k]
        for s, rings in enumerate(street_rings):
            code = f"{dcode}{s + 1:03d}"
            add(STREET_LAYER, rings, code, rng, shift)
            layers[STREET_LAYER].columns["街道编码"].append(code)
            layers[STREET_LAYER].columns["街道名称"].append(streets[s])
        for c, (cm, rings) in enumerate(zip(t.committees, committee_rings)):
            code = f"{dcode}{cm.street + 1:03d}{cm.serial:03d}"
            add(COMMITTEE_LAYER, rings, code, rng, shift)
            cols = layers[COMMITTEE_LAYER].columns
            cols["社区编码"].append(code)
            cols["社区名称"].append(committees[c])
            cols["街道名称"].append(streets[cm.street])
        suffix = "" if k == 0 else f"-{k + 1}"
        for area, rings in zip(t.supervisors, supervisor_rings):
            code = f"{dcode}{area.street + 1:03d}{area.serial:02d}"
            add(SUPERVISOR_LAYER, rings, code, rng, shift)
            cols = layers[SUPERVISOR_LAYER].columns
            cols["责任区编码"].append(code)
            cols["责任区名称"].append(area.name + suffix)
            cols["监督员"].append(area.person)
            cols["所属社区"].append("、".join(committees[c] for c in area.committees))
        for g in range(t.n):
            ring = t.rings[g] + (shift, 0.0) if k else t.rings[g]
            layers[GRID_LAYER].rings.append([ring])
            layers[GRID_LAYER].columns["网格编码"].append(district.grid_codes[k * t.n + g])
            layers[GRID_LAYER].columns["面积"].append(round(float(t.area[g]), 2))
    return layers, issues


# ----------------------------------------------------------------------------------------------------
# Writing


def _ogr_type(kind: str) -> int:
    from osgeo import ogr

    return {"text": ogr.OFTString, "date": ogr.OFTDate, "int": ogr.OFTInteger64, "real": ogr.OFTReal}[kind]


class _Writer:
    """A GeoPackage being written with OGR: one transaction per layer, features built in a tight loop."""

    def __init__(self, path: str, progress: _Progress) -> None:
        from osgeo import ogr, osr

        self.ogr = ogr
        self.progress = progress
        driver = ogr.GetDriverByName("GPKG")
        self.ds = driver.CreateDataSource(path)
        if self.ds is None:
            raise CityComponentsError(f"Cannot create the GeoPackage {path}: check the folder is writable.")
        self.ds.ExecuteSQL("PRAGMA synchronous = OFF")
        self.srs = {}
        for epsg in (4548, 4490):
            srs = osr.SpatialReference()
            srs.ImportFromEPSG(epsg)
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            self.srs[epsg] = srs
        self.to_geographic = osr.CoordinateTransformation(self.srs[4548], self.srs[4490])

    def layer(self, name: str, geom: Optional[int], epsg: Optional[int], fields: Sequence[tuple[str, str, int]],
              description: str, fid_name: str = "fid") -> Any:
        ogr = self.ogr
        options = [f"FID={fid_name}", f"DESCRIPTION={description}"]
        if geom is not None:
            options.append("GEOMETRY_NAME=geom")
        lyr = self.ds.CreateLayer(name, self.srs[epsg] if epsg else None, geom if geom is not None else ogr.wkbNone,
                                  options)
        if lyr is None:
            raise CityComponentsError(f"Cannot create the layer {name} in the GeoPackage.")
        for fname, kind, width in fields:
            fd = ogr.FieldDefn(fname, _ogr_type(kind))
            if width:
                fd.SetWidth(width)
            lyr.CreateField(fd)
        return lyr

    def _run(self, lyr: Any, count: int, fill: Callable[[Any, int], None], band: tuple[float, float]) -> None:
        ogr = self.ogr
        defn = lyr.GetLayerDefn()
        feature = ogr.Feature(defn)
        self.ds.StartTransaction()
        step = 16384
        for i in range(count):
            if i % step == 0:
                self.progress.check()
                self.progress.set(band[0] + (band[1] - band[0]) * i / max(count, 1))
            feature.SetFID(i + 1)
            fill(feature, i)
            if lyr.CreateFeature(feature) != 0:
                self.ds.RollbackTransaction()
                raise CityComponentsError(f"Writing feature {i + 1} of layer {lyr.GetName()} failed.")
        self.ds.CommitTransaction()
        self.progress.set(band[1])

    def polygons(self, name: str, polys: _Polygons, fields: Sequence[tuple[str, str, int]], description: str,
                 band: tuple[float, float]) -> None:
        lyr = self.layer(name, self.ogr.wkbPolygon, 4548, fields, description)
        wkbs = [_polygon_wkb(r) for r in polys.rings]
        cols = [polys.columns[f] for f, _, _ in fields]
        geometry_from_wkb = self.ogr.CreateGeometryFromWkb

        def fill(feature: Any, i: int) -> None:
            for j, col in enumerate(cols):
                feature.SetField(j, col[i])
            feature.SetGeometryDirectly(geometry_from_wkb(wkbs[i]))

        self._run(lyr, len(wkbs), fill, band)

    def lonlat(self, xy: np.ndarray) -> np.ndarray:
        """EPSG:4548 -> EPSG:4490 (lon, lat); NaN rows stay NaN (null geometries)."""
        out = np.full_like(xy, np.nan)
        ok = ~np.isnan(xy[:, 0])
        if ok.any():
            out[ok] = np.array(self.to_geographic.TransformPoints(xy[ok]))[:, :2]
        return out

    def points(self, name: str, pts: _Points, rows: np.ndarray, fields: Sequence[tuple[str, str, int]],
               description: str, band: tuple[float, float]) -> None:
        """Write rows of pts (in that order, fid 1..) as a point layer in EPSG:4490."""
        lyr = self.layer(name, self.ogr.wkbPoint, 4490, fields, description)
        lonlat = self.lonlat(pts.xy[rows])
        rec = np.zeros(len(rows), dtype=[("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
        rec["order"], rec["type"], rec["x"], rec["y"] = 1, 1, lonlat[:, 0], lonlat[:, 1]
        blob = rec.tobytes()
        null = np.isnan(lonlat[:, 0]).tolist()
        cols = [pts.columns[f] for f, _, _ in fields]
        row_list = rows.tolist()
        geometry_from_wkb = self.ogr.CreateGeometryFromWkb

        def fill(feature: Any, i: int) -> None:
            r = row_list[i]
            for j, col in enumerate(cols):
                value = col[r]
                if value is None:
                    feature.SetFieldNull(j)
                else:
                    feature.SetFieldString(j, value)
            if null[i]:
                feature.SetGeometryDirectly(None)
            else:
                feature.SetGeometryDirectly(geometry_from_wkb(blob[i * 21: i * 21 + 21]))

        self._run(lyr, len(rows), fill, band)

    def table(self, name: str, fields: Sequence[tuple[str, str, int]], rows: list[dict[str, Any]],
              description: str) -> None:
        # The answer key has a column "fid" (of the layer it points into), so its own key is 序号.
        lyr = self.layer(name, None, None, fields, description, fid_name="序号")
        names = [f for f, _, _ in fields]

        def fill(feature: Any, i: int) -> None:
            for j, f in enumerate(names):
                value = rows[i].get(f)
                if value is None or value == "":
                    feature.SetFieldNull(j)
                else:
                    feature.SetField(j, value)

        self._run(lyr, len(rows), fill, (99.0, 99.0))

    def close(self) -> None:
        self.ds.FlushCache()
        self.ds = None


def _temp_path(path: str) -> str:
    folder, base = os.path.split(os.path.abspath(path))
    stem = base[:-5] if base.lower().endswith(".gpkg") else base
    return os.path.join(folder, f".{stem}.{os.getpid()}.part.gpkg")


def _remove(path: str) -> None:
    for p in (path, path + "-journal", path + "-wal", path + "-shm"):
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


def generate_sample_district(path: str, scale: float = 1.0, per_type_layers: bool = False,
                             seed: int = DEFAULT_SEED, feedback: Optional[QgsFeedback] = None, *,
                             overwrite: bool = False) -> dict:
    """Write the sample district GeoPackage to path and return a summary (counts per layer, dirt).

    The file appears only complete (written to a temporary file in the same folder, then renamed);
    an existing file is refused unless overwrite=True. Same seed and scale, same data.
    """
    started = time.perf_counter()
    if not isinstance(scale, (int, float)) or not math.isfinite(scale) or not 0.01 <= scale <= MAX_SCALE:
        raise CityComponentsError(f"SCALE must be between 0.01 and {MAX_SCALE:g}, not {scale!r}.")
    if int(seed) != seed or seed < 0:
        raise CityComponentsError(f"SEED must be a non-negative integer, not {seed!r}.")
    seed = int(seed)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CityComponentsError(f"The output folder {folder} does not exist; create it first.")
    if os.path.exists(path) and not overwrite:
        raise SampleExistsError(f"{path} already exists; delete it, choose another file name, or pass "
                                "overwrite=True (OVERWRITE in Processing) to replace it.")
    progress = _Progress(feedback)
    tiles = max(1, math.ceil(scale - 1e-9))
    types = sample_component_types()
    template = build_template(seed)
    district = _district(template, tiles)
    weights = _grid_weights(template, seed)
    progress.check()
    progress.set(2)
    regions, region_issues = _regions(district, seed)
    progress.check()
    components, component_issues, type_counts = _components(district, types, scale, seed, weights)
    progress.check()
    addresses, references, pois = _addresses(district, weights, scale, seed)
    progress.check()
    progress.set(15)

    tmp = _temp_path(path)
    _remove(tmp)
    writer = None
    layers: dict[str, int] = {}
    try:
        writer = _Writer(tmp, progress)
        polygon_fields = {
            STREET_LAYER: (("街道编码", "text", 9), ("街道名称", "text", 20)),
            COMMITTEE_LAYER: (("社区编码", "text", 12), ("社区名称", "text", 20), ("街道名称", "text", 20)),
            SUPERVISOR_LAYER: (("责任区编码", "text", 11), ("责任区名称", "text", 40), ("监督员", "text", 10),
                               ("所属社区", "text", 40)),
            GRID_LAYER: (("网格编码", "text", 14), ("面积", "real", 0)),
        }
        for i, (name, fields) in enumerate(polygon_fields.items()):
            polys = regions[name]
            writer.polygons(name, polys, fields, f"样例数据 (种子 {seed}): {name}", (15 + i, 16 + i))
            layers[name] = len(polys.rings)
            progress.check()

        n_comp = len(components.xy)
        rows = np.arange(n_comp)
        if per_type_layers:
            for ti, ty in enumerate(types):
                sel = rows[components.type_index == ti]
                band = (20 + 60 * sel[0] / n_comp, 20 + 60 * (sel[-1] + 1) / n_comp)
                writer.points(ty.name, components, sel, COMPONENT_FIELDS,
                              f"样例数据 (种子 {seed}): 城市部件 {ty.code} {ty.name}", band)
                layers[ty.name] = len(sel)
                progress.check()
        else:
            writer.points(COMPONENT_LAYER, components, rows, COMPONENT_FIELDS,
                          f"样例数据 (种子 {seed}): 城市部件, {len(types)} 类", (20, 80))
            layers[COMPONENT_LAYER] = n_comp
            progress.check()

        for name, pts, fields, band in (
            (ADDRESS_LAYER, addresses, (("门址编码", "text", 18), ("名称", "text", 40), ("地址", "text", 60),
                                        ("所在单元网格", "text", 14)), (80, 90)),
            (REFERENCE_LAYER, references, (("名称", "text", 40), ("类别", "text", 10), ("地址", "text", 60),
                                           ("所在单元网格", "text", 14)), (90, 92)),
            (POI_LAYER, pois, (("名称", "text", 40), ("类别", "text", 10), ("地址", "text", 60), ("电话", "text", 20),
                               ("所在单元网格", "text", 14)), (92, 98)),
        ):
            writer.points(name, pts, np.arange(len(pts.xy)), fields, f"样例数据 (种子 {seed}): {name}", band)
            layers[name] = len(pts.xy)
            progress.check()

        issue_rows = []
        for issue in component_issues:
            layer_name = issue["type"] if per_type_layers else COMPONENT_LAYER
            fid = (issue["type_row"] if per_type_layers else issue["row"]) + 1
            text = issue["说明"]
            if issue["partner_row"] is not None:  # the duplicate's partner, as a fid of the same layer
                partner_row = issue["partner_row"] - (issue["row"] - issue["type_row"] if per_type_layers else 0)
                text = text.format(partner_fid=partner_row + 1)
            issue_rows.append({**{k: issue[k] for k in ("问题", "标识码", "应归网格", "相关网格")},
                               "图层": layer_name, "fid": fid, "说明": text})
        issue_rows.extend(region_issues)
        writer.table(ISSUE_TABLE, ISSUE_FIELDS, issue_rows, "样例数据问题: 埋设的脏数据 (审核答案)")
        layers[ISSUE_TABLE] = len(issue_rows)

        dirt = {kind: sum(1 for r in issue_rows if r["问题"] == kind) for kind in COMPONENT_DIRT_KINDS}
        dirt[UNKNOWN_STATUS] = sum(1 for r in issue_rows if r["问题"] == UNKNOWN_STATUS)
        dirt[BOUNDARY_OFFSET] = len(region_issues)
        info = [
            ("生成器", "citycomponents_plugin.sample.district"),
            ("样例格式版本", SAMPLE_FORMAT_VERSION),
            ("种子", str(seed)),
            ("比例", repr(float(scale))),
            ("图块数", str(tiles)),
            ("部件图层", "按类型分层" if per_type_layers else COMPONENT_LAYER),
            ("部件类型数", str(len(types))),
            ("部件总数", str(n_comp)),
            ("坐标系", "面图层 EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E); 点图层 EPSG:4490 (CGCS2000)"),
            ("脏数据", "; ".join(f"{k} {v}" for k, v in dirt.items())),
            ("说明", "东城区 (旧) 样例: 街道办事处 10, 社区居委会 126, 监督员责任区 92, 单元网格 1593 (每图块);"
                   " 全部埋设问题见 样例数据问题"),
        ]
        writer.table(INFO_TABLE, (("项目", "text", 20), ("值", "text", 200)),
                     [{"项目": k, "值": v} for k, v in info], "样例说明: 生成参数")
        layers[INFO_TABLE] = len(info)
        progress.check()
        writer.close()
        writer = None
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if os.path.exists(path) and not overwrite:
            raise SampleExistsError(f"{path} appeared while the sample was being written; it was left untouched.")
        os.replace(tmp, path)
    except BaseException:
        if writer is not None:
            writer.ds = None
        _remove(tmp)
        raise
    progress.set(100)
    return {
        "path": path,
        "seed": seed,
        "scale": float(scale),
        "tiles": tiles,
        "per_type_layers": bool(per_type_layers),
        "version": SAMPLE_FORMAT_VERSION,
        "layers": layers,
        "components": n_comp,
        "component_types": type_counts,
        "dirt": dirt,
        "seconds": round(time.perf_counter() - started, 3),
    }


def committee_names() -> list[str]:
    """All 126 committee names of one tile, in code order (for tests and docs)."""
    return [name for street in STREET_NAMES for name in COMMITTEE_NAMES[street]]
