"""One region's statistics and detail rows straight from PostGIS, without building the district index.

A panel asking for one street must not pull a city's millions of points: the database finds the
grids placed in the region (largest area share, SPEC 4.2), the points in those grids (the edge rule
of SPEC 4.1: a point on a shared edge or vertex belongs to the smallest grid code, so a point on the
region's outline may belong to a neighbour's grid), and returns only those components. Grid codes
and region names are ranked here, with the local engine's key rule (text, trimmed, sorted by code
point), read once per engine; ties and the detail order (grid code, then 标识码) are the same.

Why the edge rule costs little: a point can only go to a grid outside the region when it lies
within the tolerance of that grid and of one of the region's grids, so it lies in both grids'
boxes (a thin strip along their shared edge). Only the points in those strips are tested against
the neighbouring grids, instead of probing the grid index once per point.
"""

from __future__ import annotations

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
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level


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


def _ranked(engine: PostgisEngine, layer, field: str) -> list:
    """(feature id, key) of a grid or region layer's features in key order, read once per engine."""
    memo_key = ("ranked", layer.id(), field)
    if memo_key not in engine.memo:
        ref = engine.tables[layer.id()]
        query = sql.SQL("SELECT t.{}, t.{} FROM {} t WHERE {}").format(
            sql.Identifier(ref.key), sql.Identifier(field), ref.from_clause(), aliased_filter(ref, "t"))
        keys = [(fid, key_text(v)) for chunk in engine.rows(query, (), ref) for fid, v in chunk]
        engine.memo[memo_key] = sorted((item for item in keys if item[1]), key=lambda item: item[1])
    return engine.memo[memo_key]


def region_query(engine: PostgisEngine, grid_layer, grid_code_field: str, level: Level, region_layer,
                 region_field: str, region_key: str, component_layers: list, id_fields: list,
                 type_fields: list, layer_names: list, geographic: bool,
                 types: Optional[Iterable[str]] = None) -> RegionResult:
    """Counts and details of one region of `level` (Level.GRID: one grid) as SQL in the database."""
    grids = _ranked(engine, grid_layer, grid_code_field)
    if level == Level.GRID:
        fid = next((f for f, code in grids if code == region_key), None)
        if fid is None:
            raise CityComponentsError("region_unknown", "REGION", level=level.label, value=region_key,
                                      layer=grid_layer.name())
        mine = [fid]
    else:
        mine = list(_placed_grids(engine, grid_layer, region_layer, region_field, region_key, level))
    return region_components(engine, grid_layer, grids, mine, component_layers, id_fields, type_fields,
                             layer_names, geographic, types)


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
        "  FROM mine m JOIN {ct} c ON {cg} && m.box AND ST_DWithin(m.geom, {point}, %(eps)s)"
        "  WHERE {cw} AND NOT ST_IsEmpty({cg}) ORDER BY c.{ck}, m.pos)"
        " UNION ALL"
        " (SELECT DISTINCT c.{ck}, NULL::text, NULL::text, -o.fid"
        "  FROM ring o JOIN {ct} c ON {cg} && o.mbox AND {cg} && o.box AND ST_DWithin(o.geom, {point}, %(eps)s)"
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


def _placed_grids(engine: PostgisEngine, grid_layer, region_layer, region_field: str, region_key: str,
                  level: Level) -> set:
    """Feature ids of the grids whose largest area share lies in the region (ties: smallest name)."""
    names = _ranked(engine, region_layer, region_field)
    fid = next((f for f, name in names if name == region_key), None)
    if fid is None:
        raise CityComponentsError("region_unknown", "REGION", level=level.label, value=region_key,
                                  layer=region_layer.name())
    gref, rref = engine.tables[grid_layer.id()], engine.tables[region_layer.id()]
    gs, rs = engine.srid(grid_layer), engine.srid(region_layer)
    g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
    r_geom = sql.SQL("r.{}").format(sql.Identifier(rref.geometry))
    # The region and the regions near its grids made valid once (not once per grid), then each grid
    # touching the region against every one of them that overlaps it.
    query = sql.SQL(
        "WITH me AS MATERIALIZED (SELECT {rv} AS geom, {rg} AS stored FROM {rt} r WHERE r.{rk} = %(region)s),"
        " cand AS MATERIALIZED (SELECT g.{gk} AS fid, {gv} AS geom, {gbox} AS box FROM {gt} g, me"
        "  WHERE {gbox} && me.stored AND {gw} AND ST_Intersects({gv}, me.geom)),"
        " near AS MATERIALIZED (SELECT r.{rk} AS fid, {rv} AS geom FROM {rt} r"
        "  WHERE {rg} && (SELECT ST_SetSRID(ST_Extent(box)::geometry, {rs}) FROM cand)"
        "  AND r.{rk} = ANY(%(rf)s::bigint[]) AND {rw})"
        " SELECT DISTINCT ON (c.fid) c.fid, n.fid FROM cand c JOIN near n ON n.geom && c.geom"
        " CROSS JOIN LATERAL (SELECT CASE WHEN ST_Contains(n.geom, c.geom) THEN ST_Area(c.geom)"
        "  ELSE ST_Area(ST_Intersection(c.geom, n.geom)) END AS area) a"
        " WHERE a.area > 0 ORDER BY c.fid, a.area DESC, array_position(%(rf)s::bigint[], n.fid)").format(
        rt=rref.from_clause(), rk=sql.Identifier(rref.key), rv=made_valid(in_srid(r_geom, rs, gs)), rg=r_geom,
        rw=aliased_filter(rref, "r"), gt=gref.from_clause(), gk=sql.Identifier(gref.key), gv=made_valid(g_geom),
        gbox=in_srid(g_geom, gs, rs), gw=aliased_filter(gref, "g"), rs=sql.Literal(rs))
    values = {"region": fid, "rf": [f for f, _ in names]}
    return {gfid for chunk in engine.rows(query, values, rref) for gfid, rfid in chunk if rfid == fid}
