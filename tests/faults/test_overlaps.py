"""core/engine/overlaps.py on hand-made squares: every answer worked out by hand."""

from __future__ import annotations

import numpy as np
from qgis.core import QgsGeometry

from citycomponents_plugin.core.engine.overlaps import (
    OVERLAP_MIN_SHARE,
    ComponentOverlap,
    GridOverlap,
    components_in_several_grids,
    overlapping_grids,
)


def _square(x0: float, y0: float, size: float = 100.0) -> QgsGeometry:
    return QgsGeometry.fromWkt(f"POLYGON(({x0} {y0},{x0 + size} {y0},{x0 + size} {y0 + size},"
                               f"{x0} {y0 + size},{x0} {y0}))")


# A: 0..100 x 0..100; B: its neighbour 100..200; C: a copy of A under another code;
# D: 150..250 overlapping B by 50 x 100 = 5000 (half of each); E: 199.5..299.5 x 200..300, touching
# B and D along y=200 only (no interior in common).
GEOMS = [_square(0, 0), _square(100, 0), _square(0, 0), _square(150, 0, 100), _square(199.5, 200)]
CODES = ["A", "B", "C", "D", "E"]


def test_point_in_a_duplicated_grid_names_both_codes():
    x = np.array([50.0, 120.0, 170.0, 100.0, 500.0, np.nan])
    y = np.array([50.0, 50.0, 50.0, 50.0, 50.0, np.nan])
    valid = np.isfinite(x)
    found = components_in_several_grids(x, y, valid, GEOMS, CODES)
    # row 0 in A and its copy C; row 1 only in B; row 2 in B and D; row 3 on the A|B edge (and C's):
    # strictly inside none of them; row 4 in none; row 5 has no point.
    assert found == [ComponentOverlap(0, ["A", "C"]), ComponentOverlap(2, ["B", "D"])]


def test_rows_restrict_the_check_and_edges_are_not_inside():
    x = np.array([50.0, 170.0, 150.0])
    y = np.array([50.0, 50.0, 50.0])
    valid = np.ones(3, dtype=bool)
    assert components_in_several_grids(x, y, valid, GEOMS, CODES, rows=np.array([1])) == \
        [ComponentOverlap(1, ["B", "D"])]
    # (150, 50) lies on D's left edge and inside B: one grid strictly, not an overlap.
    assert components_in_several_grids(x, y, valid, GEOMS, CODES, rows=np.array([2])) == []


def test_overlapping_pairs_with_area_and_share():
    found = overlapping_grids(GEOMS, CODES)
    assert found == [GridOverlap("A", "C", 10000.0, 1.0), GridOverlap("B", "D", 5000.0, 0.5)]
    assert OVERLAP_MIN_SHARE == 0.01
    # E only touches B and D along an edge: never reported.
    assert all("E" not in (o.code_a, o.code_b) for o in found)


def test_sliver_below_the_tolerance_is_not_reported_and_above_it_is():
    left, sliver = _square(0, 0), _square(99.5, 0)  # 0.5 x 100 = 50 m2: 0.5% of 10000
    assert overlapping_grids([left, sliver], ["L", "S"]) == []
    assert overlapping_grids([left, sliver], ["L", "S"], min_share=0.001) == [GridOverlap("L", "S", 50.0, 0.005)]


def test_area_measure_and_missing_geometries():
    found = overlapping_grids([_square(0, 0), None, _square(50, 0)], ["X", "N", "Y"], area_of=lambda g: 2 * g.area())
    assert found == [GridOverlap("X", "Y", 10000.0, 0.5)]
    assert components_in_several_grids(np.array([60.0]), np.array([10.0]), np.array([True]),
                                       [_square(0, 0), None, _square(50, 0)], ["X", "N", "Y"]) == \
        [ComponentOverlap(0, ["X", "Y"])]
