"""Place each grid in one region of an upper level: the region covering the largest share of its area.

Hand-drawn upper levels do not share edges with the grids exactly, so a strict `within` test
misses grids along every boundary; the largest share is robust to slivers and small offsets, and
split committees need no special case (SPEC 4.2, 4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
from qgis.core import QgsGeometry, QgsRectangle

from citycomponents_plugin.core.engine.point_in_polygon import bounding_boxes
from citycomponents_plugin.core.errors import CancelledError

# Grids whose candidate regions are listed together (one small boxes x regions matrix at a time).
_GRID_BLOCK = 256


@dataclass
class GridPlacement:
    """Region index per grid (-1: no region overlaps it) and the share of the grid's area it covers."""

    region: np.ndarray
    share: np.ndarray


def _candidates(grid_boxes: np.ndarray, region_boxes: np.ndarray, regions: np.ndarray, rank: np.ndarray) -> tuple:
    """For a block of grids, every (grid, region) pair whose closed boxes meet (as an R-tree query lists
    them), with the area of the boxes' overlap as QgsRectangle.intersect computes it; sorted by grid,
    then largest overlap, then region rank, then region: (bounds per grid, overlaps, ranks, regions)."""
    lo = grid_boxes.min(axis=0)
    hi = grid_boxes.max(axis=0)
    near = (region_boxes[:, 0] <= hi[2]) & (region_boxes[:, 2] >= lo[0]) & \
        (region_boxes[:, 1] <= hi[3]) & (region_boxes[:, 3] >= lo[1])
    rb, regions = region_boxes[near], regions[near]
    g = grid_boxes[:, None, :]
    meets = (rb[None, :, 0] <= g[..., 2]) & (rb[None, :, 2] >= g[..., 0]) & \
        (rb[None, :, 1] <= g[..., 3]) & (rb[None, :, 3] >= g[..., 1])
    rows, cols = np.nonzero(meets)
    gb, rb = grid_boxes[rows], rb[cols]
    width = np.minimum(gb[:, 2], rb[:, 2]) - np.maximum(gb[:, 0], rb[:, 0])
    height = np.minimum(gb[:, 3], rb[:, 3]) - np.maximum(gb[:, 1], rb[:, 1])
    overlap = width * height
    region = regions[cols]
    order = np.lexsort((region, rank[region], -overlap, rows))
    bounds = np.searchsorted(rows[order], np.arange(len(grid_boxes) + 1))
    return bounds.tolist(), overlap[order].tolist(), rank[region[order]].tolist(), region[order].tolist()


def place_grids(grids: Sequence[Optional[QgsGeometry]], regions: Sequence[Optional[QgsGeometry]],
                region_rank: Sequence[int], feedback=None) -> GridPlacement:
    """For each grid, the region with the largest intersection area (ties: lowest rank).

    Boxes and their overlaps are worked out in numpy, so the loop calls QGIS only for the GEOS
    tests themselves (each call hands the GIL over: this runs beside the component read).
    """
    region_boxes, region_usable = bounding_boxes(regions)
    usable_regions = np.nonzero(region_usable)[0]
    region_boxes = region_boxes[usable_regions]
    rank = np.asarray(list(region_rank), dtype=np.int64)
    grid_boxes, grid_usable = bounding_boxes(grids)
    engines = {}
    region = np.full(len(grids), -1, dtype=np.int32)
    share = np.zeros(len(grids))
    for start in range(0, len(grids), _GRID_BLOCK):
        stop = min(start + _GRID_BLOCK, len(grids))
        bounds, overlaps, ranks, regs = [0], [], [], []
        block = grid_boxes[start:stop][grid_usable[start:stop]]
        if len(block) and len(usable_regions):
            bounds, overlaps, ranks, regs = _candidates(block, region_boxes, usable_regions, rank)
        row = -1
        for g in range(start, stop):
            if g % 200 == 0 and feedback is not None and feedback.isCanceled():
                raise CancelledError("placing grids in their regions")
            if not grid_usable[g]:
                continue
            row += 1
            grid = grids[g]
            area = grid.area()
            if area <= 0 or row + 1 >= len(bounds):
                continue
            # An intersection can never exceed the bounding-box overlap: test the largest overlaps
            # first and skip regions whose overlap cannot beat the best area found (offset neighbours
            # of a hand-drawn layer overlap by a sliver only).
            best, best_area, best_rank = -1, 0.0, 0
            shape = None
            clip_box = None
            for c in range(bounds[row], bounds[row + 1]):
                if overlaps[c] < best_area:
                    break
                r = regs[c]
                engine = engines.get(r)
                if engine is None:
                    engine = QgsGeometry.createGeometryEngine(regions[r].constGet())
                    engine.prepareGeometry()
                    engines[r] = engine
                if shape is None:
                    shape = grid.constGet()
                if engine.contains(shape):
                    inter = area
                else:
                    # Clip the (large) region to the grid's box first: the rectangle clip is cheap and
                    # leaves GEOS two small polygons to intersect.
                    if clip_box is None:
                        x0, y0, x1, y1 = grid_boxes[g].tolist()
                        pad = max(x1 - x0, y1 - y0) * 0.01
                        clip_box = QgsRectangle(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
                    piece = regions[r].clipped(clip_box)
                    inter = grid.intersection(piece).area() if not piece.isEmpty() else 0.0
                if inter > 0 and (inter > best_area or (inter == best_area and ranks[c] < best_rank)):
                    best, best_area, best_rank = r, inter, ranks[c]
            region[g] = best
            share[g] = best_area / area if best >= 0 else 0.0
    return GridPlacement(region, share)
