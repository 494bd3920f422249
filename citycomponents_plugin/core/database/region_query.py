"""One region's statistics and detail rows straight from PostGIS, without building the district index.

A panel asking for one street must not pull a city's millions of points: the database finds the
grids placed in the region (largest area share, SPEC 4.2), the points in those grids (the edge rule
of SPEC 4.1: a point on a shared edge or vertex belongs to the smallest grid code, so a point on the
region's outline may belong to a neighbour's grid), and returns only those components. Grid codes
and region names are ranked here, with the local engine's key rule (text, trimmed, sorted by code
point), and sent as bound arrays; ties and the detail order (grid code, then 标识码) are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from citycomponents_plugin.core.database.connection import sql
from citycomponents_plugin.core.database.pushdown import PostgisEngine, aliased_filter, in_srid, made_valid
from citycomponents_plugin.core.engine.point_in_polygon import boundary_tolerance
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level

# The index prefilter around a grid in another SRID: generous, the exact test follows in the grid SRID.
_FILTER_MARGIN = 1e-3


@dataclass
class RegionResult:
    """What the panel shows for one region: per-type counts and the detail rows, in SPEC 4.9 order."""

    total: int
    statistics: list  # (部件名称, 部件总数): count descending, then name
    details: list  # (标识码, 名称, 单元网格): grid code, then 标识码


def _key(value) -> str:
    return "" if value is None else str(value).strip()


def region_query(engine: PostgisEngine, grid_layer, grid_code_field: str, level: Level, region_layer,
                 region_field: str, region_key: str, component_layers: list, id_fields: list,
                 type_fields: list, layer_names: list, geographic: bool) -> RegionResult:
    """Counts and details of one region of `level` (Level.GRID: one grid) as SQL in the database."""
    gref = engine.tables[grid_layer.id()]
    gs = engine.srid(grid_layer)
    eps = boundary_tolerance(geographic)
    codes = [(fid, _key(v)) for chunk in engine._rows(sql.SQL("SELECT g.{}, g.{} FROM {} g WHERE {}").format(
        sql.Identifier(gref.key), sql.Identifier(grid_code_field), gref.from_clause(), aliased_filter(gref, "g")), (),
        gref) for fid, v in chunk]
    codes = [(fid, code) for fid, code in codes if code]
    codes.sort(key=lambda item: item[1])
    rank_of = {fid: rank for rank, (fid, _code) in enumerate(codes)}
    g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
    parts = {"gt": gref.from_clause(), "gk": sql.Identifier(gref.key), "gv": made_valid(g_geom), "gg": g_geom,
             "gw": aliased_filter(gref, "g")}
    if level == Level.GRID:
        fid = next((f for f, code in codes if code == region_key), None)
        if fid is None:
            raise CityComponentsError("region_unknown", "REGION", level=level.label, value=region_key,
                                      layer=grid_layer.name())
        mine = {fid}
    else:
        mine = _placed_grids(engine, grid_layer, region_layer, region_field, region_key, level, parts)
    values = {"eps": eps, "mine": sorted(mine)}
    rows = []
    for n, layer in enumerate(component_layers):
        cref = engine.tables[layer.id()]
        cs = engine.srid(layer)
        c_geom = sql.SQL("c.{}").format(sql.Identifier(cref.geometry))
        point = in_srid(sql.SQL("ST_GeometryN({}, 1)").format(c_geom), cs, gs)
        margin = sql.SQL("%(eps)s") if cs == gs else sql.Literal(_FILTER_MARGIN)
        id_col = sql.SQL("c.{}::text").format(sql.Identifier(id_fields[n])) if id_fields[n] else sql.SQL("''")
        type_col = sql.SQL("c.{}::text").format(sql.Identifier(type_fields[n])) if type_fields[n] else sql.SQL("''")
        # The points near the region's grids, each with every grid it touches: the smallest code wins here.
        query = sql.SQL(
            "WITH mine AS MATERIALIZED (SELECT {gv} AS geom FROM {gt} g WHERE g.{gk} = ANY(%(mine)s::bigint[])),"
            " pts AS (SELECT DISTINCT c.{ck} AS fid, {id_col} AS ident, {type_col} AS kind, {point} AS pt"
            "  FROM mine m JOIN {ct} c ON {cg} && {mbox} AND ST_DWithin(m.geom, {point}, %(eps)s)"
            "  WHERE {cw} AND NOT ST_IsEmpty({cg}))"
            " SELECT p.fid, p.ident, p.kind, ARRAY(SELECT g.{gk} FROM {gt} g WHERE {gg} && ST_Expand(p.pt, %(eps)s)"
            "  AND ST_DWithin({gv}, p.pt, %(eps)s) AND {gw}) FROM pts p").format(
            ck=sql.Identifier(cref.key), point=point, ct=cref.from_clause(), cg=c_geom,
            mbox=in_srid(sql.SQL("ST_Expand(m.geom, {})").format(margin), gs, cs), cw=aliased_filter(cref, "c"),
            id_col=id_col, type_col=type_col, **parts)
        for chunk in engine._rows(query, values, cref):
            for fid, ident, kind, touched in chunk:
                ranks = [rank_of[g] for g in touched if g in rank_of]
                if ranks and codes[min(ranks)][0] in mine:
                    rows.append((min(ranks), _key(ident), n, int(fid), _key(kind) or layer_names[n]))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))  # grid code, 标识码, then the read order
    counts: dict = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    statistics = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    details = [(ident, kind, codes[rank][1]) for rank, ident, _n, _fid, kind in rows]
    return RegionResult(len(rows), statistics, details)


def _placed_grids(engine: PostgisEngine, grid_layer, region_layer, region_field: str, region_key: str,
                  level: Level, parts: dict) -> set:
    """Feature ids of the grids whose largest area share lies in the region (ties: smallest name)."""
    gs = engine.srid(grid_layer)
    rref = engine.tables[region_layer.id()]
    rs = engine.srid(region_layer)
    names = [(fid, _key(v)) for chunk in engine._rows(sql.SQL("SELECT r.{}, r.{} FROM {} r WHERE {}").format(
        sql.Identifier(rref.key), sql.Identifier(region_field), rref.from_clause(), aliased_filter(rref, "r")), (),
        rref) for fid, v in chunk]
    names = sorted((item for item in names if item[1]), key=lambda item: item[1])
    fid = next((f for f, name in names if name == region_key), None)
    if fid is None:
        raise CityComponentsError("region_unknown", "REGION", level=level.label, value=region_key,
                                  layer=region_layer.name())
    r_geom = sql.SQL("r.{}").format(sql.Identifier(rref.geometry))
    query = sql.SQL(
        "SELECT DISTINCT ON (c.fid) c.fid, r.{rk} FROM ("
        " SELECT g.{gk} AS fid, {gv} AS geom FROM {gt} g JOIN {rt} r ON r.{rk} = %(region)s AND {rg} && {gbox}"
        " WHERE {gw} AND ST_Intersects({gv}, {rv})) c"
        " JOIN {rt} r ON {rg} && {cbox}"
        " CROSS JOIN LATERAL (SELECT CASE WHEN ST_Contains({rv}, c.geom) THEN ST_Area(c.geom)"
        "  ELSE ST_Area(ST_Intersection(c.geom, {rv})) END AS area) a"
        " WHERE {rw} AND a.area > 0 AND r.{rk} = ANY(%(rf)s::bigint[])"
        " ORDER BY c.fid, a.area DESC, array_position(%(rf)s::bigint[], r.{rk})").format(
        rt=rref.from_clause(), rk=sql.Identifier(rref.key), rv=made_valid(in_srid(r_geom, rs, gs)), rg=r_geom,
        gbox=in_srid(parts["gg"], gs, rs), cbox=in_srid(sql.SQL("c.geom"), gs, rs), rw=aliased_filter(rref, "r"),
        **parts)
    values = {"region": fid, "rf": [f for f, _ in names]}
    return {gfid for chunk in engine._rows(query, values, rref) for gfid, rfid in chunk if rfid == fid}
