"""Place each grid in one region of an upper level: the region covering the largest share of its area.

Hand-drawn upper levels do not share edges with the grids exactly, so a strict `within` test
misses grids along every boundary; the largest share is robust to slivers and small offsets, and
split committees need no special case (SPEC 4.2, 4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
from qgis.core import QgsGeometry, QgsSpatialIndex

from citycomponents_plugin.core.errors import CancelledError


@dataclass
class GridPlacement:
    """Region index per grid (-1: no region overlaps it) and the share of the grid's area it covers."""

    region: np.ndarray
    share: np.ndarray


def place_grids(grids: Sequence[Optional[QgsGeometry]], regions: Sequence[Optional[QgsGeometry]],
                region_rank: Sequence[int], feedback=None) -> GridPlacement:
    """For each grid, the region with the largest intersection area (ties: lowest rank)."""
    index = QgsSpatialIndex()
    for i, geom in enumerate(regions):
        if geom is not None and not geom.isNull() and not geom.isEmpty():
            index.addFeature(i, geom.boundingBox())
    engines = {}
    region = np.full(len(grids), -1, dtype=np.int32)
    share = np.zeros(len(grids))
    for g, grid in enumerate(grids):
        if g % 200 == 0 and feedback is not None and feedback.isCanceled():
            raise CancelledError("placing grids in their regions")
        if grid is None or grid.isNull() or grid.isEmpty():
            continue
        area = grid.area()
        if area <= 0:
            continue
        box = grid.boundingBox()
        clip_box = box.buffered(max(box.width(), box.height()) * 0.01)
        # An intersection can never exceed the bounding-box overlap: test the largest overlaps
        # first and skip regions whose overlap cannot beat the best area found (offset neighbours
        # of a hand-drawn layer overlap by a sliver only).
        candidates = []
        for r in index.intersects(box):
            overlap = box.intersect(regions[r].boundingBox())
            candidates.append((-(overlap.width() * overlap.height()), region_rank[r], r))
        candidates.sort()
        best, best_area, best_rank = -1, 0.0, 0
        for neg_overlap, rank, r in candidates:
            if -neg_overlap < best_area:
                break
            engine = engines.get(r)
            if engine is None:
                engine = QgsGeometry.createGeometryEngine(regions[r].constGet())
                engine.prepareGeometry()
                engines[r] = engine
            if engine.contains(grid.constGet()):
                inter = area
            else:
                # Clip the (large) region to the grid's box first: the rectangle clip is cheap and
                # leaves GEOS two small polygons to intersect.
                piece = regions[r].clipped(clip_box)
                inter = grid.intersection(piece).area() if not piece.isEmpty() else 0.0
            if inter > 0 and (inter > best_area or (inter == best_area and rank < best_rank)):
                best, best_area, best_rank = r, inter, rank
        region[g] = best
        share[g] = best_area / area if best >= 0 else 0.0
    return GridPlacement(region, share)
