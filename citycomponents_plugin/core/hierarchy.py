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
            raise CancelledError("Cancelled while placing grids in their regions.")
        if grid is None or grid.isNull() or grid.isEmpty():
            continue
        area = grid.area()
        if area <= 0:
            continue
        best, best_area = -1, 0.0
        for r in sorted(index.intersects(grid.boundingBox()), key=lambda r: region_rank[r]):
            engine = engines.get(r)
            if engine is None:
                engine = QgsGeometry.createGeometryEngine(regions[r].constGet())
                engine.prepareGeometry()
                engines[r] = engine
            if engine.contains(grid.constGet()):
                inter = area
            else:
                common = engine.intersection(grid.constGet())
                inter = common.area() if common is not None else 0.0
            if inter > best_area * (1 + 1e-12) or (best < 0 and inter > 0):
                best, best_area = r, inter
            if best_area >= area * (1 - 1e-9):
                break
        region[g] = best
        share[g] = best_area / area if best >= 0 else 0.0
    return GridPlacement(region, share)
