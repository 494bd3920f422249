"""Geometry of the sample district: an irregular lattice of unit grids and the region hierarchy on it.

Why a lattice: nesting must hold by construction (grids tile committees, committees tile streets, with
shared vertices, no overlaps, no gaps), and the grids must still look hand-drawn. So the district is
laid out in index space (column, row), every lattice vertex is computed once and shared by the up to
four grids around it, then jittered, edges get extra shared vertices pushed sideways, and a smooth
warp bends the whole lattice into a few gently curved "streets". The layout in index space (which
cell belongs to which street office and committee) does not depend on the seed; the shapes do.

Coordinates are EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E), metres, rounded to millimetres.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import numpy as np

from citycomponents_plugin.sample.names import COMMITTEE_NAMES, SPLIT_COMMITTEES, STREET_NAMES

# Index-space layout: a 36 x 40 main body inside the 2nd ring road plus 和平里 (17 x 9) to the north:
# 1440 + 153 = 1593 cells, the paper's number of unit grids.
NCOLS, NROWS = 36, 49
MAIN_ROWS = 40
HEPINGLI_COLS = (10, 27)
# Lattice lines treated as main roads (vertex indices): components of "road" types crowd along them.
ROAD_COLS = (5, 11, 17, 24, 30)
ROAD_ROWS = (6, 11, 17, 23, 31, 40, 44)
# Where the district lies: the main body's centre is put at this longitude/latitude (old Dongcheng).
CENTER_LONLAT = (116.41, 39.93)
# Relative size of the two committees split into two supervisor areas (others are 1.0).
BIG_COMMITTEE_WEIGHT = 2.7
NORMAL_PAIRS = 36  # 124 ordinary committees -> 36 areas of two + 52 of one = 88, plus 4 split halves


def _wave(k: int, period: float, phase: float) -> int:
    """-1, 0 or +1, slowly varying with k: makes street office boundaries ragged, not straight."""
    return int(round(1.2 * math.sin(2.0 * math.pi * k / period + phase)))


def _raw_street(c: int, r: int) -> int:
    """Street office of a cell from ragged band boundaries (before removing stray cells)."""
    if r >= MAIN_ROWS:
        return 9 if HEPINGLI_COLS[0] <= c < HEPINGLI_COLS[1] else -1
    if r < 11 + _wave(c, 17, 0.3):
        return 0 if c < 18 + _wave(r, 13, 1.1) else 7
    if r < 23 + _wave(c, 19, 2.0):
        if c < 10 + _wave(r, 15, 0.5):
            return 1
        return 5 if c < 22 + _wave(r, 16, 2.5) else 6
    if c < 16 + _wave(r, 14, 1.7):
        return 2 if r < 31 + _wave(c, 18, 0.9) else 3
    return 4 if c < 26 + _wave(r, 17, 0.2) else 8


@lru_cache(maxsize=1)
def _street_labels() -> np.ndarray:
    """(NCOLS, NROWS) street office index per cell, -1 outside; every office one connected piece.

    Where ragged boundaries meet, a few cells end up cut off from their office; they join the
    neighbouring office most of their edge neighbours belong to (repeated until all are connected).
    """
    labels = np.array([[_raw_street(c, r) for r in range(NROWS)] for c in range(NCOLS)])
    for _ in range(20):
        changed = False
        for s in range(len(STREET_NAMES)):
            cells = [(int(c), int(r)) for c, r in zip(*np.nonzero(labels == s))]
            pieces = _pieces(cells)
            for piece in pieces[1:]:
                for c, r in piece:
                    around = [labels[cc, rr] for cc, rr in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1))
                              if 0 <= cc < NCOLS and 0 <= rr < NROWS and labels[cc, rr] not in (-1, s)]
                    if around:
                        labels[c, r] = max(set(around), key=lambda v: (around.count(v), -v))
                        changed = True
        if not changed:
            return labels
    raise RuntimeError("sample layout: street offices could not be made connected")


def street_of_cell(c: int, r: int) -> int:
    """Index (into STREET_NAMES) of the street office owning cell (column c, row r), -1 outside.

    Roughly the real arrangement: 东华门 / 建国门 south, 景山 / 东四 / 朝阳门 in the middle band,
    交道口 / 安定门 / 北新桥 / 东直门 in the north band, 和平里 outside the ring road to the north.
    """
    if c < 0 or c >= NCOLS or r < 0 or r >= NROWS:
        return -1
    return int(_street_labels()[c, r])


def _pieces(cells: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Edge-connected pieces of a cell set, largest first (ties: the piece with the first cell)."""
    todo = set(cells)
    pieces = []
    for start in cells:
        if start not in todo:
            continue
        todo.discard(start)
        piece, queue = [start], deque([start])
        while queue:
            c, r = queue.popleft()
            for nb in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)):
                if nb in todo:
                    todo.discard(nb)
                    piece.append(nb)
                    queue.append(nb)
        pieces.append(piece)
    return sorted(pieces, key=len, reverse=True)


def _connected(cells: list[tuple[int, int]]) -> bool:
    """True when the cells form one edge-connected piece (so a region is one polygon)."""
    if not cells:
        return False
    todo = set(cells)
    queue = deque([cells[0]])
    todo.discard(cells[0])
    while queue:
        c, r = queue.popleft()
        for nb in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)):
            if nb in todo:
                todo.discard(nb)
                queue.append(nb)
    return not todo


def _partition(cells: list[tuple[int, int]], weights: list[float]) -> list[list[tuple[int, int]]]:
    """Split cells into len(weights) connected pieces sized by weight, by recursive straight cuts.

    Why straight cuts: committees in old Beijing are blocks bounded by hutongs and roads; cuts along
    lattice lines (which are curved after the warp) give that look, and every piece stays connected
    (checked, never assumed).
    """
    if len(weights) == 1:
        return [cells]
    k = len(weights) // 2
    target = sum(weights[:k]) / sum(weights)
    cols = sorted({c for c, _ in cells})
    rows = sorted({r for _, r in cells})
    wide = len(cols) >= len(rows)
    best: Optional[tuple[float, list, list]] = None
    for axis, values in ((0, cols), (1, rows)):
        for v in values[1:]:
            left = [p for p in cells if p[axis] < v]
            right = [p for p in cells if p[axis] >= v]
            if len(left) < 4 * k or len(right) < 4 * (len(weights) - k):
                continue
            score = abs(len(left) / len(cells) - target) + (0.0 if (axis == 0) == wide else 0.06)
            if best is not None and score >= best[0]:
                continue
            if _connected(left) and _connected(right):
                best = (score, left, right)
    if best is None:
        raise RuntimeError(f"sample layout: cannot split {len(cells)} cells into {len(weights)} committees")
    return _partition(best[1], weights[:k]) + _partition(best[2], weights[k:])


@dataclass
class Committee:
    """One community committee of the template (tile-independent)."""

    street: int
    serial: int  # 1-based within the street office
    name: str
    grids: list[int]


@dataclass
class Supervisor:
    """One supervisor area: one or two whole committees, or half of a split committee."""

    street: int
    serial: int  # 1-based within the street office
    name: str
    committees: list[int]
    grids: list[int]
    person: str = ""


@dataclass
class Template:
    """One district's geometry and hierarchy in EPSG:4548, before tiling (tile 0 coordinates)."""

    cell_cr: np.ndarray  # (n, 2) column, row of each grid, grids in code order
    street: np.ndarray  # (n,) street office index
    committee: np.ndarray  # (n,) committee index
    serial: np.ndarray  # (n,) grid serial within its committee (1-based)
    rings: list  # per grid: (k, 2) open ring, counter-clockwise, rounded to mm
    ring_x: np.ndarray  # (n, vmax + 1) closed rings padded with their first vertex
    ring_y: np.ndarray
    quads: np.ndarray  # (n, 4, 2) pre-warp corners SW, SE, NE, NW (for sampling points inside)
    area: np.ndarray  # (n,) m²
    committees: list[Committee]
    supervisors: list[Supervisor]
    neighbours: list[list[int]]  # edge neighbours of each grid
    shared_edges: list[tuple[int, int, np.ndarray]]  # (grid a, grid b, chain of vertices)
    inner_vertices: list[tuple[np.ndarray, list[int]]]  # (xy, the four grids meeting there)
    boundary_edges: list[tuple[int, np.ndarray]]  # (grid, chain) on the district's outer boundary
    road_sides: list[tuple[str, ...]]  # per grid: sides ("S", "E", "N", "W") lying on a main road
    warp_phase: np.ndarray
    offset: np.ndarray  # added after the warp
    tile_dx: float  # east shift between tiles (SCALE > 1)
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.rings)

    def to_world(self, pre: np.ndarray) -> np.ndarray:
        """Map pre-warp points (..., 2) to EPSG:4548 (tile 0), exactly as the lattice vertices were."""
        return warp(pre, self.warp_phase) + self.offset

    def sample(self, grid: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Points at bilinear parameters (u, v) of each grid's quad, in EPSG:4548 (tile 0)."""
        q = self.quads[grid]
        uu, vv = u[:, None], v[:, None]
        pre = ((1 - uu) * (1 - vv) * q[:, 0] + uu * (1 - vv) * q[:, 1] + uu * vv * q[:, 2]
               + (1 - uu) * vv * q[:, 3])
        return self.to_world(pre)


def warp(p: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """A smooth, gently bending deformation (displacement gradient < 0.25, so it stays one-to-one)."""
    x, y = p[..., 0], p[..., 1]
    two_pi = 2.0 * math.pi
    wx = x + 35.0 * np.sin(two_pi * y / 2300.0 + phase[0]) + 14.0 * np.sin(two_pi * y / 870.0 + phase[1])
    wy = y + 30.0 * np.sin(two_pi * x / 2600.0 + phase[2])
    return np.stack([wx, wy], axis=-1)


def _edge_points(rng: np.random.Generator, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every lattice edge: how many extra vertices (0-3), where along it, how far sideways.

    Drawn for all edges at once (a fixed amount of randomness), so the layout cannot shift the stream.
    """
    count = rng.choice(4, size=shape, p=[0.15, 0.4, 0.35, 0.1])
    frac_jitter = rng.uniform(-0.06, 0.06, size=shape + (3,))
    side = rng.uniform(-4.0, 4.0, size=shape + (3,))
    return count, frac_jitter, side


def _layout() -> tuple[list[tuple[int, int]], dict[tuple[int, int], int], list[Committee]]:
    """Cells, their street office, and the committees (seed-independent)."""
    cells_by_street: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(STREET_NAMES))}
    for c in range(NCOLS):
        for r in range(NROWS):
            s = street_of_cell(c, r)
            if s >= 0:
                cells_by_street[s].append((c, r))
    committees: list[Committee] = []
    cell_committee: dict[tuple[int, int], int] = {}
    big = {(street, name) for street, name, _, _ in SPLIT_COMMITTEES}
    for s, sname in enumerate(STREET_NAMES):
        cells = cells_by_street[s]
        if not _connected(cells):
            raise RuntimeError(f"sample layout: street office {sname} is not connected")
        names = COMMITTEE_NAMES[sname]
        weights = [BIG_COMMITTEE_WEIGHT if (sname, nm) in big else 1.0 for nm in names]
        for serial, (name, piece) in enumerate(zip(names, _partition(cells, weights)), start=1):
            for cell in piece:
                cell_committee[cell] = len(committees)
            committees.append(Committee(street=s, serial=serial, name=name, grids=[]))
    all_cells = sorted(cell_committee, key=lambda cr: (cell_committee[cr], -cr[1], cr[0]))
    return all_cells, cell_committee, committees


def build_template(seed: int) -> Template:
    """The district for one seed: lattice shapes from the seed, layout fixed."""
    from osgeo import osr

    cells, cell_committee, committees = _layout()
    rng = np.random.default_rng([seed, 1])
    widths = rng.uniform(82.0, 122.0, NCOLS)
    heights = rng.uniform(82.0, 122.0, NROWS)
    xs = np.concatenate([[0.0], np.cumsum(widths)])
    ys = np.concatenate([[0.0], np.cumsum(heights)])
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    pre_corner = np.stack([gx, gy], axis=-1) + rng.uniform(-12.0, 12.0, (NCOLS + 1, NROWS + 1, 2))
    h_count, h_frac, h_side = _edge_points(rng, (NCOLS, NROWS + 1))  # edge (i, j) -> (i + 1, j)
    v_count, v_frac, v_side = _edge_points(rng, (NCOLS + 1, NROWS))  # edge (i, j) -> (i, j + 1)
    phase = rng.uniform(0.0, 2.0 * math.pi, 3)

    src = osr.SpatialReference()
    src.ImportFromEPSG(4490)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4548)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    e0, n0, _ = osr.CoordinateTransformation(src, dst).TransformPoint(*CENTER_LONLAT)
    centre = warp(np.array([xs[NCOLS // 2], ys[MAIN_ROWS // 2]]), phase)
    offset = np.round(np.array([e0, n0]) - centre, 0)

    def world(pre: np.ndarray) -> np.ndarray:
        return np.round(warp(pre, phase) + offset, 3)

    corner = world(pre_corner)

    def inner_points(pa: np.ndarray, pb: np.ndarray, count: np.ndarray, frac: np.ndarray,
                     side: np.ndarray) -> np.ndarray:
        """World positions of the (up to 3) extra vertices of every edge pa -> pb, all edges at once."""
        d = pb - pa
        normal = np.stack([-d[..., 1], d[..., 0]], axis=-1) / np.hypot(d[..., 0], d[..., 1])[..., None]
        k = np.arange(3)
        f = (k + 1) / (count[..., None] + 1) + frac  # (..., 3)
        return world(pa[..., None, :] + f[..., None] * d[..., None, :] + side[..., None] * normal[..., None, :])

    h_inner = inner_points(pre_corner[:-1], pre_corner[1:], h_count, h_frac, h_side)
    v_inner = inner_points(pre_corner[:, :-1], pre_corner[:, 1:], v_count, v_frac, v_side)

    def chain(a: tuple[int, int], b: tuple[int, int]) -> np.ndarray:
        """World vertices of the lattice edge from corner a to corner b (including both ends)."""
        forward = b > a
        lo, hi = (a, b) if forward else (b, a)
        if lo[1] == hi[1]:
            inner = h_inner[lo][: h_count[lo]]
        else:
            inner = v_inner[lo][: v_count[lo]]
        out = np.vstack([corner[lo][None, :], inner, corner[hi][None, :]])
        return out if forward else out[::-1]

    n = len(cells)
    index = {cr: g for g, cr in enumerate(cells)}
    rings: list[np.ndarray] = []
    quads = np.empty((n, 4, 2))
    for g, (c, r) in enumerate(cells):
        sw, se, ne, nw = (c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)
        ring = np.vstack([chain(sw, se)[:-1], chain(se, ne)[:-1], chain(ne, nw)[:-1], chain(nw, sw)[:-1]])
        rings.append(ring)
        quads[g] = [pre_corner[sw], pre_corner[se], pre_corner[ne], pre_corner[nw]]
    vmax = max(len(r) for r in rings)
    ring_x = np.empty((n, vmax + 1))
    ring_y = np.empty((n, vmax + 1))
    area = np.empty(n)
    for g, ring in enumerate(rings):
        k = len(ring)
        ring_x[g, :k], ring_y[g, :k] = ring[:, 0], ring[:, 1]
        ring_x[g, k:], ring_y[g, k:] = ring[0, 0], ring[0, 1]
        x, y = ring[:, 0] - ring[0, 0], ring[:, 1] - ring[0, 1]  # shoelace, shifted for precision
        area[g] = 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))

    street = np.array([committees[cell_committee[cr]].street for cr in cells])
    committee = np.array([cell_committee[cr] for cr in cells])
    serial = np.zeros(n, dtype=int)
    for g in range(n):
        comm = committees[committee[g]]
        comm.grids.append(g)
        serial[g] = len(comm.grids)
    if max(len(cm.grids) for cm in committees) > 99:
        raise RuntimeError("sample layout: a committee has more than 99 grids (2-digit serial)")

    neighbours: list[list[int]] = [[] for _ in range(n)]
    shared: list[tuple[int, int, np.ndarray]] = []
    boundary: list[tuple[int, np.ndarray]] = []
    for g, (c, r) in enumerate(cells):
        for (dc, dr), (a, b) in (((1, 0), ((c + 1, r), (c + 1, r + 1))), ((0, 1), ((c, r + 1), (c + 1, r + 1))),
                                 ((-1, 0), ((c, r), (c, r + 1))), ((0, -1), ((c, r), (c + 1, r)))):
            other = index.get((c + dc, r + dr))
            if other is None:
                boundary.append((g, chain(a, b)))
            elif other > g:
                neighbours[g].append(other)
                neighbours[other].append(g)
                shared.append((g, other, chain(a, b)))
    inner: list[tuple[np.ndarray, list[int]]] = []
    for i in range(1, NCOLS):
        for j in range(1, NROWS):
            around = [index.get(cr) for cr in ((i - 1, j - 1), (i, j - 1), (i - 1, j), (i, j))]
            if all(a is not None for a in around):
                inner.append((corner[i, j], sorted(around)))

    road_sides: list[tuple[str, ...]] = []
    for c, r in cells:
        sides = []
        if r in ROAD_ROWS:
            sides.append("S")
        if r + 1 in ROAD_ROWS:
            sides.append("N")
        if c in ROAD_COLS:
            sides.append("W")
        if c + 1 in ROAD_COLS:
            sides.append("E")
        road_sides.append(tuple(sides))

    supervisors = _supervisors(cells, committees, committee, neighbours, rng)
    width = float(ring_x.max() - ring_x.min())
    return Template(cell_cr=np.array(cells), street=street, committee=committee, serial=serial, rings=rings,
                    ring_x=ring_x, ring_y=ring_y, quads=quads, area=area, committees=committees,
                    supervisors=supervisors, neighbours=neighbours, shared_edges=shared, inner_vertices=inner,
                    boundary_edges=boundary, road_sides=road_sides, warp_phase=phase, offset=offset,
                    tile_dx=float(math.ceil((width + 1500.0) / 1000.0) * 1000.0))


def _supervisors(cells: list[tuple[int, int]], committees: list[Committee], committee: np.ndarray,
                 neighbours: list[list[int]], rng: np.random.Generator) -> list[Supervisor]:
    """92 supervisor areas: the two big committees split in halves, 36 pairs of small neighbours, 52 singles.

    Pairs are made of the smallest committees first (a supervisor's workload evens out), always two
    committees of the same street office sharing an edge.
    """
    from citycomponents_plugin.sample.names import GIVEN_NAMES, SURNAMES

    split = {(STREET_NAMES.index(s), nm): (axis, halves) for s, nm, axis, halves in SPLIT_COMMITTEES}
    adjacent: list[set[int]] = [set() for _ in committees]
    for g, nbs in enumerate(neighbours):
        for o in nbs:
            if committee[o] != committee[g]:
                adjacent[committee[g]].add(int(committee[o]))
    normal = [i for i, cm in enumerate(committees) if (cm.street, cm.name) not in split]
    partner: dict[int, int] = {}
    pairs = 0
    for i in sorted(normal, key=lambda i: (len(committees[i].grids), i)):
        if pairs == NORMAL_PAIRS:
            break
        if i in partner:
            continue
        options = [j for j in adjacent[i] if j in normal and j not in partner and j != i
                   and committees[j].street == committees[i].street]
        if options:
            j = min(options, key=lambda j: (len(committees[j].grids), j))
            partner[i], partner[j] = j, i
            pairs += 1
    if pairs != NORMAL_PAIRS:
        raise RuntimeError(f"sample layout: only {pairs} committee pairs for supervisor areas")

    areas: list[Supervisor] = []
    done: set[int] = set()
    for i, cm in enumerate(committees):
        if i in done:
            continue
        if (cm.street, cm.name) in split:
            axis, halves = split[(cm.street, cm.name)]
            col = 0 if axis == "x" else 1
            coords = sorted({cells[g][col] for g in cm.grids})
            cut = min(coords[1:], key=lambda v: abs(sum(1 for g in cm.grids if cells[g][col] < v)
                                                    - len(cm.grids) / 2))
            first = [g for g in cm.grids if cells[g][col] < cut]
            second = [g for g in cm.grids if cells[g][col] >= cut]
            for half_name, grids in zip(halves, (first, second)):
                areas.append(Supervisor(street=cm.street, serial=0, name=half_name, committees=[i], grids=grids))
            done.add(i)
        elif i in partner:
            j = partner[i]
            areas.append(Supervisor(street=cm.street, serial=0, name=f"{cm.name}、{committees[j].name}",
                                    committees=[i, j], grids=sorted(cm.grids + committees[j].grids)))
            done.update((i, j))
        else:
            areas.append(Supervisor(street=cm.street, serial=0, name=cm.name, committees=[i], grids=list(cm.grids)))
            done.add(i)
    per_street: dict[int, int] = {}
    for area in areas:
        per_street[area.street] = per_street.get(area.street, 0) + 1
        area.serial = per_street[area.street]
    people = [s + g for s in SURNAMES for g in GIVEN_NAMES]
    for area, k in zip(areas, rng.choice(len(people), size=len(areas), replace=False)):
        area.person = people[int(k)]
    return areas


def points_in_grids(px: np.ndarray, py: np.ndarray, grid: np.ndarray, ring_x: np.ndarray,
                    ring_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each point: inside its own grid's ring (crossing number), and distance to that ring.

    Why: every ordinary point must be strictly inside the grid recorded for it, well away from the
    edges (>= 0.5 m), so the answer key is exact even after the EPSG:4490 round trip.
    """
    inside = np.empty(len(px), dtype=bool)
    dist = np.empty(len(px))
    chunk = 32768
    with np.errstate(divide="ignore", invalid="ignore"):
        for s in range(0, len(px), chunk):
            e = min(s + chunk, len(px))
            rx, ry = ring_x[grid[s:e]], ring_y[grid[s:e]]
            x1, y1, x2, y2 = rx[:, :-1], ry[:, :-1], rx[:, 1:], ry[:, 1:]
            x, y = px[s:e, None], py[s:e, None]
            cross = (y1 > y) != (y2 > y)
            xint = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            inside[s:e] = (np.sum(cross & (x < xint), axis=1) % 2) == 1
            dx, dy = x2 - x1, y2 - y1
            len2 = dx * dx + dy * dy
            t = np.where(len2 > 0, ((x - x1) * dx + (y - y1) * dy) / np.where(len2 > 0, len2, 1.0), 0.0)
            t = np.clip(t, 0.0, 1.0)
            dist[s:e] = np.sqrt(np.min((x1 + t * dx - x) ** 2 + (y1 + t * dy - y) ** 2, axis=1))
    return inside, dist
