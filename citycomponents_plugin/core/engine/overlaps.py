"""Overlapping unit grids: the components strictly inside several grids, and the grid pairs that overlap.

Why: SPEC 4.1 gives a point in several grids to the smallest grid code, which is right for points
on a shared edge, but a grid polygon duplicated under another code (or drawn over its neighbour)
then silently takes every component of the other grid. The run reports both findings (counts and
a few examples); the audit lists them in full. Both functions return plain data so each consumer
words it its own way.

Stable interface (other modules build on these names):

- ``components_in_several_grids(x, y, valid, geometries, codes, eps=None, rows=None)``
  -> list of ``ComponentOverlap(row, codes)``: for each point row strictly inside two or more
  grids (farther than ``eps`` from each of their boundaries), the codes of all those grids,
  sorted. ``rows`` restricts the check to candidate rows (the engine passes the points that hit
  several grids during assignment); without it every valid point is checked.
- ``overlapping_grids(geometries, codes, min_share=OVERLAP_MIN_SHARE, area_of=None)``
  -> list of ``GridOverlap(code_a, code_b, area, share)``: each pair of grids whose interiors
  overlap by more than ``min_share`` of the smaller grid's area; ``area`` is measured by
  ``area_of`` (default: the geometry's area in its CRS units), ``share`` is the overlap's share of
  the smaller grid. Pairs are ordered by code (code_a < code_b), the list by (code_a, code_b).
- ``OVERLAP_MIN_SHARE``: the default tolerance (1% of the smaller grid): slivers of hand-drawn
  grids stay below it, a duplicated or overdrawn grid is far above it.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Optional, Sequence

import numpy as np
from qgis.core import QgsGeometry, QgsPoint

from citycomponents_plugin.core.engine.point_in_polygon import boundary_tolerance, bounding_boxes

OVERLAP_MIN_SHARE = 0.01


class ComponentOverlap(NamedTuple):
    """A point row strictly inside several grids, and those grids' codes (sorted)."""

    row: int
    codes: list


class GridOverlap(NamedTuple):
    """Two grids whose interiors overlap: codes (code_a < code_b), overlap area, share of the smaller grid."""

    code_a: str
    code_b: str
    area: float
    share: float


def _usable(geom: Optional[QgsGeometry]) -> bool:
    return geom is not None and not geom.isNull() and not geom.isEmpty()


def components_in_several_grids(x: np.ndarray, y: np.ndarray, valid: np.ndarray,
                                geometries: Sequence[Optional[QgsGeometry]], codes: Sequence[str],
                                eps: Optional[float] = None, rows: Optional[np.ndarray] = None) -> list:
    """ComponentOverlap per point strictly inside two or more grids (see the module docstring)."""
    if eps is None:
        eps = boundary_tolerance(False)
    candidates = np.nonzero(valid)[0] if rows is None else np.asarray(rows, dtype=np.int64)
    candidates = candidates[np.asarray(valid, dtype=bool)[candidates]] if len(candidates) else candidates
    if not len(candidates):
        return []
    boxes, usable = bounding_boxes(geometries)
    grids = np.nonzero(usable)[0]
    boxes = boxes[grids]
    engines: dict = {}
    boundaries: dict = {}
    out = []
    for row in candidates.tolist():
        px, py = float(x[row]), float(y[row])
        pt = QgsGeometry(QgsPoint(px, py))
        # the grids whose box meets the point's box buffered by eps (closed boxes, as an R-tree query)
        near = (boxes[:, 0] <= px + eps) & (boxes[:, 2] >= px - eps) & (boxes[:, 1] <= py + eps) & \
            (boxes[:, 3] >= py - eps)
        inside = []
        for g in grids[near].tolist():
            engine = engines.get(g)
            if engine is None:
                engine = QgsGeometry.createGeometryEngine(geometries[g].constGet())
                engine.prepareGeometry()
                engines[g] = engine
            if not engine.contains(pt.constGet()):
                continue
            edge = boundaries.get(g)
            if edge is None:
                edge = QgsGeometry(geometries[g].constGet().boundary())
                boundaries[g] = edge
            if edge.distance(pt) > eps:
                inside.append(codes[g])
        if len(inside) > 1:
            out.append(ComponentOverlap(int(row), sorted(inside)))
    return out


def _box_pairs(boxes: np.ndarray, areas: np.ndarray, min_share: float) -> tuple:
    """(i, j) with i < j whose bounding boxes overlap by more than min_share of the smaller area.

    The intersection never exceeds its boxes' overlap, so neighbours that only share an edge are
    dropped here, without GEOS. A sweep on xmin lists each pair once, in numpy.
    """
    order = np.argsort(boxes[:, 0], kind="stable")
    xmin = boxes[order, 0]
    hi = np.searchsorted(xmin, boxes[order, 2], side="right")  # boxes starting before this one ends
    lo = np.arange(len(order)) + 1
    counts = np.maximum(hi - lo, 0)
    first = np.repeat(np.arange(len(order)), counts)
    second = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts - lo, counts)
    i, j = order[first], order[second]
    w = np.minimum(boxes[i, 2], boxes[j, 2]) - np.maximum(boxes[i, 0], boxes[j, 0])
    h = np.minimum(boxes[i, 3], boxes[j, 3]) - np.maximum(boxes[i, 1], boxes[j, 1])
    keep = (w > 0) & (h > 0) & (w * h > min_share * np.minimum(areas[i], areas[j]))
    i, j = i[keep], j[keep]
    return np.minimum(i, j), np.maximum(i, j)


def overlapping_grids(geometries: Sequence[Optional[QgsGeometry]], codes: Sequence[str],
                      min_share: float = OVERLAP_MIN_SHARE,
                      area_of: Optional[Callable[[QgsGeometry], float]] = None) -> list:
    """GridOverlap per pair of grids overlapping by more than `min_share` of the smaller one."""
    usable = [k for k, g in enumerate(geometries) if _usable(g) and g.area() > 0]
    if len(usable) < 2:
        return []
    areas = np.array([geometries[k].area() for k in usable])
    boxes = np.array([(b.xMinimum(), b.yMinimum(), b.xMaximum(), b.yMaximum())
                      for b in (geometries[k].boundingBox() for k in usable)])
    cores: dict = {}  # grid -> prepared engine of the grid shrunk by its band width (None: empty)

    def core(k: int):
        # Shrunk by d = min_share * area / perimeter, a grid keeps all but a band of area <= d * perimeter
        # = min_share * area along its boundary: a neighbour that misses the shrunk grid overlaps it by
        # at most that, so it is skipped without computing the intersection.
        if k not in cores:
            geom = geometries[usable[k]]
            perimeter = geom.length()
            shrunk = geom.buffer(-min_share * areas[k] / perimeter, 2) if perimeter > 0 else None
            engine = None
            if shrunk is not None and _usable(shrunk):
                engine = QgsGeometry.createGeometryEngine(shrunk.constGet())
                engine.prepareGeometry()
            cores[k] = engine
        return cores[k]

    out = []
    for i, j in zip(*(part.tolist() for part in _box_pairs(boxes, areas, min_share))):
        smaller = min(areas[i], areas[j])
        small, other = (i, j) if areas[i] <= areas[j] else (j, i)
        engine = core(small)
        if engine is not None and not engine.intersects(geometries[usable[other]].constGet()):
            continue
        inter = geometries[usable[i]].intersection(geometries[usable[j]])
        planar = inter.area() if _usable(inter) else 0.0
        if planar <= min_share * smaller:
            continue
        a, b = sorted((codes[usable[i]], codes[usable[j]]))
        area = area_of(inter) if area_of is not None else planar
        out.append(GridOverlap(a, b, float(area), float(planar / smaller)))
    out.sort(key=lambda o: (o.code_a, o.code_b))
    return out
