"""One region's statistics and detail rows straight from PostGIS, without reading the components.

A panel asking for one street must not pull a city's millions of points: given the grids placed in
the region (the region index's placement, SPEC 4.2, computed once by the same code as the whole
index), the database finds the points in those grids (the edge rule of SPEC 4.1: a point on a shared
edge or vertex belongs to the smallest grid code, so a point on the region's outline may belong to a
neighbour's grid) and returns only those components. The grid ranks are the index's; the detail
order (grid code, then 标识码) is the local engine's.

Why the edge rule costs little: a point can only go to a grid outside the region when it lies
within the tolerance of that grid and of one of the region's grids, so it lies in both grids'
boxes (a thin strip along their shared edge). Only the points in those strips are tested against
the neighbouring grids, instead of probing the grid index once per point.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Optional

from citycomponents_plugin.core.database.connection import sql
from citycomponents_plugin.core.database.pushdown import (
    PostgisEngine,
    aliased_filter,
    box_in_srid,
    in_srid,
    made_valid,
)
from citycomponents_plugin.core.engine.point_in_polygon import boundary_tolerance


@dataclass
class RegionResult:
    """What the panel shows for one region: per-type counts and the detail rows, in SPEC 4.9 order."""

    total: int
    statistics: list  # (部件名称, 部件总数): count descending, then name
    details: list  # (标识码, 名称, 单元网格): grid code, then 标识码
    members: list  # (component layer position, feature id) per detail row: what the map selects


def key_text(value) -> str:
    """A key or type as the local engine compares it: text, trimmed (None: empty)."""
    return "" if value is None else str(value).strip()


@contextmanager
def _collection_paused():
    """Python's cyclic garbage collector paused while a region's rows are built.

    Why: the rows are tens of thousands of new tuples, none in a cycle; each batch of them set off a
    collection that walked every object of the QGIS process (the panel holds the district's index),
    a third of a street's count at 10x. The collector is process-wide: it is enabled again after,
    if it was before (another thread's pause may end it early, which is harmless).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def region_components(engine: PostgisEngine, grid_layer, grid_keys: list, mine: list, component_layers: list,
                      id_fields: list, type_fields: list, layer_names: list, geographic: bool,
                      types: Optional[Iterable[str]] = None) -> RegionResult:
    """Counts and details of the components whose grid (SPEC 4.1) is one of `mine` (grid feature ids).

    `grid_keys` is every grid's (feature id, code) in code order (the ranks of the edge rule); the
    panel passes those of its region index, so what it counts is what its lists show. `types` keeps
    only those type names (None: all), as DistrictIndex.region_members does.
    """
    rank_of = {fid: rank for rank, (fid, _code) in enumerate(grid_keys)}
    mine = sorted((f for f in mine if f in rank_of), key=rank_of.__getitem__)
    wanted = None if types is None else {t.strip() for t in types if t and t.strip()} or None
    rows = []
    with _collection_paused():
        for n, layer in enumerate(component_layers):
            for fid, ident, kind, rank in _components_of(engine, grid_layer, rank_of, mine, layer, id_fields[n],
                                                         type_fields[n], geographic):
                kind = key_text(kind) or layer_names[n]
                if wanted is None or kind in wanted:
                    rows.append((rank, key_text(ident), n, fid, kind))
        rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))  # grid code, 标识码, then the read order
    counts: dict = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    statistics = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    details = [(ident, kind, grid_keys[rank][1]) for rank, ident, _n, _fid, kind in rows]
    return RegionResult(len(rows), statistics, details, [(n, fid) for _r, _i, n, fid, _k in rows])


def _components_of(engine: PostgisEngine, grid_layer, rank_of: dict, mine: list, layer, id_field: str,
                   type_field: str, geographic: bool) -> list:
    """(fid, 标识码, type, grid rank) of the layer's points whose grid (SPEC 4.1) is one of `mine`.

    One statement returns two kinds of rows: each point near the region's grids with the first of
    them (in code order) it lies in or on, and, for the points in the strips along the region's
    outline, every neighbouring grid they touch; a point goes to a neighbour with a smaller code.
    A point is transformed only once it is known to lie in a grid's box (CASE), so that a point no
    transform accepts (swapped coordinates) cannot stop the statement.
    """
    gref, cref = engine.tables[grid_layer.id()], engine.tables[layer.id()]
    gs, cs = engine.srid(grid_layer), engine.srid(layer)
    eps = boundary_tolerance(geographic)
    g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
    o_geom = sql.SQL("o.{}").format(sql.Identifier(gref.geometry))
    c_geom = sql.SQL("c.{}").format(sql.Identifier(cref.geometry))
    point = in_srid(sql.SQL("ST_GeometryN({}, 1)").format(c_geom), cs, gs)
    column = sql.SQL("c.{}::text")
    query = sql.SQL(
        "WITH mine AS MATERIALIZED (SELECT m.pos, v.geom, {vbox} AS box FROM unnest(%(mine)s::bigint[])"
        "  WITH ORDINALITY m(fid, pos) JOIN {gt} g ON g.{gk} = m.fid"
        "  CROSS JOIN LATERAL (SELECT {gv} AS geom OFFSET 0) v WHERE {gw}),"
        " ring AS MATERIALIZED (SELECT o.{gk} AS fid, v.geom, {vbox} AS box, m.box AS mbox FROM mine m JOIN {gt} o"
        "  ON {og} && ST_Expand(m.geom, 2 * %(eps)s) AND o.{gk} <> ALL(%(mine)s::bigint[])"
        "  CROSS JOIN LATERAL (SELECT {ov} AS geom OFFSET 0) v WHERE {ow} AND ST_DWithin(v.geom, m.geom, 2 * %(eps)s))"
        " (SELECT DISTINCT ON (c.{ck}) c.{ck}, {ident}, {kind}, m.pos"
        "  FROM mine m JOIN {ct} c ON {cg} && m.box AND ST_DWithin(m.geom, CASE WHEN {cg} && m.box THEN {point} END,"
        "  %(eps)s)"
        "  WHERE {cw} AND NOT ST_IsEmpty({cg}) ORDER BY c.{ck}, m.pos)"
        " UNION ALL"
        " (SELECT DISTINCT c.{ck}, NULL::text, NULL::text, -o.fid"
        "  FROM ring o JOIN {ct} c ON {cg} && o.mbox AND {cg} && o.box"
        "  AND ST_DWithin(o.geom, CASE WHEN {cg} && o.box THEN {point} END, %(eps)s)"
        "  WHERE {cw} AND NOT ST_IsEmpty({cg}))"
        " ORDER BY 1, 4 DESC").format(
        gv=made_valid(g_geom), ov=made_valid(o_geom), og=o_geom, gt=gref.from_clause(),
        gk=sql.Identifier(gref.key), gw=aliased_filter(gref, "g"), ow=aliased_filter(gref, "o"),
        ck=sql.Identifier(cref.key), ct=cref.from_clause(), cg=c_geom, point=point, cw=aliased_filter(cref, "c"),
        ident=column.format(sql.Identifier(id_field)) if id_field else sql.SQL("''"),
        kind=column.format(sql.Identifier(type_field)) if type_field else sql.SQL("''"),
        vbox=box_in_srid(sql.SQL("v.geom"), gs, cs))
    found = []
    current, best = None, None
    for chunk in engine.rows(query, {"eps": eps, "mine": mine}, cref):
        for fid, ident, kind, pos in chunk:  # ordered by point: its region row first (pos > 0), then neighbours
            if pos > 0:
                current = [int(fid), ident, kind, rank_of[mine[pos - 1]]]
                best = current[3]
                found.append(current)
            elif current is not None and current[0] == fid:
                rank = rank_of.get(-pos)
                if rank is not None and rank < best:
                    current[3] = -1  # the neighbour's code is smaller: the point is the neighbour's
    return [tuple(row) for row in found if row[3] >= 0]
