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
    values = {"eps": eps, "gf": [fid for fid, _ in codes], "gr": list(range(len(codes)))}
    g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
    parts = {"gt": gref.from_clause(), "gk": sql.Identifier(gref.key), "gv": made_valid(g_geom), "gg": g_geom,
             "gw": aliased_filter(gref, "g")}
    if level == Level.GRID:
        fid = next((f for f, code in codes if code == region_key), None)
        if fid is None:
            raise CityComponentsError("region_unknown", "REGION", level=level.label, value=region_key,
                                      layer=grid_layer.name())
        values["region"] = fid
        mine = sql.SQL("SELECT g.{gk} AS fid, {gv} AS geom FROM {gt} g WHERE g.{gk} = %(region)s").format(**parts)
    else:
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
        values.update(region=fid, rf=[f for f, _ in names], rr=list(range(len(names))))
        r_geom = sql.SQL("r.{}").format(sql.Identifier(rref.geometry))
        parts.update(rt=rref.from_clause(), rk=sql.Identifier(rref.key), rv=made_valid(in_srid(r_geom, rs, gs)),
                     rg=r_geom, gbox=in_srid(g_geom, gs, rs), cbox=in_srid(sql.SQL("c.geom"), gs, rs),
                     rw=aliased_filter(rref, "r"))
        mine = sql.SQL(
            "SELECT fid, geom FROM ("
            " SELECT DISTINCT ON (c.fid) c.fid, c.geom, r.{rk} AS rfid FROM ("
            "  SELECT g.{gk} AS fid, {gv} AS geom FROM {gt} g JOIN {rt} r ON r.{rk} = %(region)s AND {rg} && {gbox}"
            "  WHERE {gw} AND ST_Intersects({gv}, {rv})) c"
            " JOIN {rt} r ON {rg} && {cbox}"
            " JOIN unnest(%(rf)s::bigint[], %(rr)s::bigint[]) AS rr(fid, rank) ON rr.fid = r.{rk}"
            " CROSS JOIN LATERAL (SELECT CASE WHEN ST_Contains({rv}, c.geom) THEN ST_Area(c.geom)"
            "  ELSE ST_Area(ST_Intersection(c.geom, {rv})) END AS area) a"
            " WHERE {rw} AND a.area > 0 ORDER BY c.fid, a.area DESC, rr.rank) best WHERE rfid = %(region)s").format(
            **parts)
    rows = []
    for n, layer in enumerate(component_layers):
        cref = engine.tables[layer.id()]
        cs = engine.srid(layer)
        c_geom = sql.SQL("c.{}").format(sql.Identifier(cref.geometry))
        point = in_srid(sql.SQL("ST_GeometryN({}, 1)").format(c_geom), cs, gs)
        margin = sql.SQL("%(eps)s") if cs == gs else sql.Literal(_FILTER_MARGIN)
        id_col = sql.SQL("c.{}::text").format(sql.Identifier(id_fields[n])) if id_fields[n] else sql.SQL("''")
        type_col = sql.SQL("c.{}::text").format(sql.Identifier(type_fields[n])) if type_fields[n] else sql.SQL("''")
        query = sql.SQL(
            "WITH rk AS (SELECT * FROM unnest(%(gf)s::bigint[], %(gr)s::bigint[]) AS t(fid, rank)),"
            " mine AS MATERIALIZED ({mine}),"
            " pts AS (SELECT DISTINCT c.{ck} AS fid, {point} AS pt FROM mine m JOIN {ct} c"
            "  ON {cg} && {mbox} AND ST_DWithin(m.geom, {point}, %(eps)s) WHERE {cw} AND NOT ST_IsEmpty({cg})),"
            " won AS (SELECT p.fid, (SELECT rk.rank FROM {gt} g JOIN rk ON rk.fid = g.{gk}"
            "  WHERE {gg} && ST_Expand(p.pt, %(eps)s) AND ST_DWithin({gv}, p.pt, %(eps)s) AND {gw}"
            "  ORDER BY rk.rank LIMIT 1) AS rank FROM pts p)"
            " SELECT c.{ck}, {id_col}, {type_col}, won.rank FROM won JOIN rk ON rk.rank = won.rank"
            " JOIN mine ON mine.fid = rk.fid JOIN {ct} c ON c.{ck} = won.fid").format(
            mine=mine, ck=sql.Identifier(cref.key), point=point, ct=cref.from_clause(), cg=c_geom,
            mbox=in_srid(sql.SQL("ST_Expand(m.geom, {})").format(margin), gs, cs), cw=aliased_filter(cref, "c"),
            id_col=id_col, type_col=type_col, **{k: parts[k] for k in ("gt", "gk", "gv", "gg", "gw")})
        for chunk in engine._rows(query, values, cref):
            for fid, ident, kind, rank in chunk:
                rows.append((int(rank), _key(ident), n, int(fid), _key(kind) or layer_names[n]))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))  # grid code, 标识码, then the read order
    counts: dict = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    statistics = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    details = [(ident, kind, codes[rank][1]) for rank, ident, _n, _fid, kind in rows]
    return RegionResult(len(rows), statistics, details)
