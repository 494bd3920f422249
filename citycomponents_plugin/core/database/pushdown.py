"""The PostGIS engine: assignment and placement as SQL in the database, the same rules as core/engine.

Only results travel: one row per assigned component (its grid's rank, whether it lay on a grid
edge) and one row per overlapping (grid, region) pair with the intersection area. The rules are
those of the local engine, stated once more in SQL because the database runs them:

- SPEC 4.1: a point is in a grid when it lies within `boundary_tolerance` (1 micrometre in a
  projected CRS) of the grid's polygon, inside or on its boundary (`ST_DWithin`, the points' GiST
  index via `&&` on the grid's widened box); among the grids a point touches, the smallest grid code wins:
  the grids' ranks in code order are sent as a bound array and the smallest is kept (`min`).
- SPEC 4.2: a grid's region is the one with the largest intersection area (contained: the grid's
  own area); ties go to the lowest rank, chosen here from the pairs exactly as place_grids does.
- Invalid polygons are made valid (`ST_MakeValid`, polygon parts kept) like the local reader;
  the first point of a multipoint counts; layers in other SRIDs are compared in the grid SRID
  (`ST_Transform`), like the local engine's transform to the grid CRS.
"""

from __future__ import annotations

import os
from typing import Optional

import numpy as np

from citycomponents_plugin.core import messages
from citycomponents_plugin.core.database.connection import Database, TableRef, database_key, psycopg2, sql, table_ref
from citycomponents_plugin.core.database.point_query import read_columns
from citycomponents_plugin.core.engine.placement import GridPlacement
from citycomponents_plugin.core.engine.point_in_polygon import boundary_tolerance
from citycomponents_plugin.core.errors import CancelledError
from citycomponents_plugin.core.messages import Message

ENGINE_LOCAL = "local"
ENGINE_POSTGIS = "postgis"
# CITYCOMPONENTS_ENGINE=local runs the local engine on PostGIS layers too (to compare, or to work around).
ENGINE_VARIABLE = "CITYCOMPONENTS_ENGINE"
_FETCH_ROWS = 200_000
# The index prefilter around a polygon in another SRID: generous, the exact test follows in its SRID.
_FILTER_MARGIN = 1e-3


def made_valid(expr):
    """A polygon expression made valid where it is not, keeping its polygon parts (as read_regions)."""
    return sql.SQL("(CASE WHEN ST_IsValid({e}) THEN {e} ELSE ST_CollectionExtract(ST_MakeValid({e}), 3) END)").format(
        e=expr)


def in_srid(expr, srid_from: int, srid_to: int):
    return expr if srid_from == srid_to else sql.SQL("ST_Transform({}, {})").format(expr, sql.Literal(srid_to))


def box_in_srid(expr, srid_from: int, srid_to: int):
    """An index filter in srid_to for the points within the tolerance of a polygon in srid_from.

    In another SRID the box is widened (by _FILTER_MARGIN, or 1e-5 of its size if more) and its edges
    cut into 16 pieces before the transform, so that the transformed corners do not cut off the
    curved image of its edges; the exact test follows in the polygon's SRID. In the same SRID it is
    the box widened by the tolerance.
    """
    if srid_from == srid_to:
        return sql.SQL("ST_Expand({}, %(eps)s)").format(expr)
    return sql.SQL("(SELECT ST_Transform(ST_Segmentize(ST_Expand(b, GREATEST({m}, s * 1e-5)), GREATEST(s, {m}) / 16),"
                   " {to}) FROM ST_Envelope({e}) b,"
                   " GREATEST(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b)) s)").format(
        m=sql.Literal(_FILTER_MARGIN), to=sql.Literal(srid_to), e=expr)


class PostgisEngine:
    """Assignment and placement for the layers of one run, all in one PostGIS database."""

    name = ENGINE_POSTGIS

    def __init__(self, db: Database, tables: dict, version: str) -> None:
        self.db = db
        self.tables = tables  # layer id -> TableRef
        self.version = version
        self._srid: dict = {}

    # ----- set-up --------------------------------------------------------------------------------
    @classmethod
    def open(cls, layers: list) -> PostgisEngine:
        db = Database(layers[0])
        try:
            version = db.postgis_version()
            tables = {}
            for layer in layers:
                ref = table_ref(layer)
                db.check_readable(ref)
                tables[layer.id()] = ref
            engine = cls(db, tables, version)
            for ref in tables.values():  # QGIS's feature id is the key's value only for an integer key
                row = db.fetchone(sql.SQL("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                          "WHERE attrelid = %s::regclass AND attname = %s"),
                                  (ref.from_clause().as_string(db.conn), ref.key))
                if not row or row[0] not in ("integer", "bigint", "smallint"):
                    raise _UnsuitableError("engine_local_key")
            for layer in layers:  # a CRS set on the layer by hand is not the table's: the local engine runs
                srid = engine.srid(layer)
                if srid <= 0 or layer.crs().postgisSrid() != srid:
                    raise _UnsuitableError("engine_local_crs")
            return engine
        except BaseException:
            db.close()
            raise

    def srid(self, layer) -> int:
        ref = self.tables[layer.id()]
        if ref not in self._srid:
            row = self.db.fetchone(sql.SQL("SELECT Find_SRID(%s, %s, %s)"), (ref.schema or "public", ref.table,
                                                                             ref.geometry))
            self._srid[ref] = int(row[0]) if row and row[0] is not None else 0
        return self._srid[ref]

    def close(self) -> None:
        self.db.close()

    def note(self) -> Message:
        return Message("engine_postgis", {"database": self.db.label, "version": self.version})

    def read_points(self, layer, fields, feedback=None):
        """A point layer's columns with psycopg2 (point_query), or None where QGIS's provider must read it."""
        ref = self.tables.get(layer.id())
        return None if ref is None else read_columns(self.db, ref, aliased_filter(ref, "c"), fields, feedback)

    # ----- running queries -----------------------------------------------------------------------
    def rows(self, query, values: tuple, table: TableRef, feedback=None):
        """Every row of a query in chunks; cancel is checked between chunks, a dropped link is an error."""
        try:
            # A client-side cursor: PostgreSQL runs a query in parallel workers only outside DECLARE CURSOR,
            # and the results (a few integers per component) fit in memory even for a whole city.
            with self.db.conn.cursor() as cur:
                cur.execute(query, values)
                while True:
                    if feedback is not None and feedback.isCanceled():
                        raise CancelledError("assigning components to grids")
                    chunk = cur.fetchmany(_FETCH_ROWS)
                    if not chunk:
                        break
                    yield chunk
            self.db.conn.rollback()  # read-only transaction: nothing to keep, the snapshot is released
        except psycopg2.Error as exc:
            raise self.db.error(exc, f"{table.schema or 'public'}.{table.table}") from None

    # ----- SPEC 4.2: placement -------------------------------------------------------------------
    def place_grids(self, grid_layer, grids, region_layer, region_fids: list, region_rank: list,
                    feedback=None) -> GridPlacement:
        """Region index per grid (positions in region_fids) and its share, as place_grids computes it.

        Driven by region: each region is made valid once (a street's outline has thousands of
        vertices; made valid per pair it was most of the time) and its grids come through the grid
        index on its made-valid box. A grid the local reader repaired may be larger than its stored
        box (a "hole" outside its shell becomes a part), so its pairs are listed without the index.
        """
        gref, rref = self.tables[grid_layer.id()], self.tables[region_layer.id()]
        gs, rs = self.srid(grid_layer), self.srid(region_layer)
        g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
        r_geom = sql.SQL("r.{}").format(sql.Identifier(rref.geometry))
        gk, rk = sql.Identifier(gref.key), sql.Identifier(rref.key)
        # OFFSET 0 keeps each made-valid polygon in its row, so that the planner does not copy the
        # expression into each test that uses it.
        pairs = sql.SQL(
            "SELECT g.{gk}, r.{rk}, CASE WHEN ST_Contains(v.rv, w.gv) THEN ST_Area(w.gv) "
            "ELSE ST_Area(ST_Intersection(w.gv, v.rv)) END "
            "FROM {rt} r CROSS JOIN LATERAL (SELECT {rv} AS rv OFFSET 0) v JOIN {gt} g ON {on} "
            "CROSS JOIN LATERAL (SELECT {gv} AS gv OFFSET 0) w "
            "WHERE {gw} AND {rw} AND ST_Intersects(w.gv, v.rv)")
        parts = dict(gk=gk, rk=rk, gv=made_valid(g_geom), rv=made_valid(in_srid(r_geom, rs, gs)),
                     gt=gref.from_clause(), rt=rref.from_clause(), gw=aliased_filter(gref, "g"),
                     rw=aliased_filter(rref, "r"))
        values = {"rep_g": [int(fid) for fid, _code in grids.repaired]}
        query = pairs.format(on=sql.SQL("{} && v.rv AND g.{} <> ALL(%(rep_g)s::bigint[])").format(g_geom, gk),
                             **parts)
        if values["rep_g"]:
            query = sql.SQL("{} UNION ALL {}").format(query, pairs.format(
                on=sql.SQL("g.{} = ANY(%(rep_g)s::bigint[])").format(gk), **parts))
        grid_of_fid = {g.fid: g.index for g in grids.grids}
        region_of_fid = {fid: i for i, fid in enumerate(region_fids)}
        n = len(grids.grids)
        best = np.full(n, -1, dtype=np.int64)
        best_area = np.zeros(n)
        for chunk in self.rows(query, values, rref, feedback):
            for gfid, rfid, area in chunk:
                g = grid_of_fid.get(gfid)
                r = region_of_fid.get(rfid)
                if g is None or r is None or area is None or area <= 0 or grids.geometries[g] is None:
                    continue
                b = best[g]
                if b < 0 or area > best_area[g] or (area == best_area[g] and region_rank[r] < region_rank[b]):
                    best[g], best_area[g] = r, area
        share = np.zeros(n)
        for g in np.nonzero(best >= 0)[0]:
            area = grids.geometries[g].area()
            if area <= 0:
                best[g] = -1
            else:
                share[g] = best_area[g] / area
        return GridPlacement(best.astype(np.int32), share)

    def pairs_query(self, grid_layer, layer, extra=None, ranked: bool = False):
        """Every (point, grid) pair within the tolerance (SPEC 4.1): the point's key, the grid's key, whether
        the point is on the grid's edge, then the `extra` columns of the point's row (SQL of alias c).

        Values: eps (the tolerance), repaired (the grids the local reader repaired: made valid here too).
        ranked: the grid's rank instead of its key, only for the grids given as the bound arrays fids and
        ranks (joined on the grid side, before the points: joined to the pairs, the planner misjudged
        their number and compared every pair with every grid).
        Driven by grid: each grid's polygon (made valid if the local reader repaired it), its boundary
        and its box in the points' SRID are made once (OFFSET 0 keeps them in the row: read from the
        table for each of its ~100 points, the test was three times slower), then its points come
        through the points' index. A point is transformed only once it is known to lie in the grid's box
        (CASE: the planner may evaluate the transform before the join's test): a point whose coordinates no
        transform accepts (latitude and longitude swapped) would stop the statement; it is in no grid.
        """
        gref, cref = self.tables[grid_layer.id()], self.tables[layer.id()]
        gs, cs = self.srid(grid_layer), self.srid(layer)
        c_geom = sql.SQL("c.{}").format(sql.Identifier(cref.geometry))
        point = in_srid(sql.SQL("ST_GeometryN({}, 1)").format(c_geom), cs, gs)
        g_geom = sql.SQL("g.{}").format(sql.Identifier(gref.geometry))
        return sql.SQL(
            "SELECT c.{ck}, {grid}, ST_DWithin(e.edge, p.pt, %(eps)s){extra} "
            "FROM {gt} g CROSS JOIN LATERAL (SELECT CASE WHEN g.{gk} = ANY(%(repaired)s::bigint[]) "
            "THEN {gv} ELSE ST_Force2D({gg}) END AS geom OFFSET 0) v "
            "CROSS JOIN LATERAL (SELECT ST_Boundary(v.geom) AS edge, {box} AS box OFFSET 0) e "
            "JOIN {ct} c ON {cg} && e.box CROSS JOIN LATERAL (SELECT CASE WHEN {cg} && e.box THEN {point} END AS pt) p "
            "WHERE {gw} AND {cw} AND NOT ST_IsEmpty({cg}) AND ST_DWithin(v.geom, p.pt, %(eps)s)").format(
            ck=sql.Identifier(cref.key), gk=sql.Identifier(gref.key),
            gv=made_valid(g_geom), gg=g_geom, box=box_in_srid(sql.SQL("v.geom"), gs, cs),
            ct=cref.from_clause(), cg=c_geom, point=point, cw=aliased_filter(cref, "c"),
            gw=aliased_filter(gref, "g"),
            extra=sql.SQL("").join(sql.SQL(", {}").format(e) for e in (extra or [])),
            grid=sql.SQL("g.citycomponents_rank") if ranked else sql.SQL("g.{}").format(sql.Identifier(gref.key)),
            gt=sql.SQL("(SELECT g.{k}, g.{g}, r.rank AS citycomponents_rank FROM {t} g JOIN unnest("
                       "%(fids)s::bigint[], %(ranks)s::int[]) r(fid, rank) ON r.fid = g.{k} OFFSET 0)").format(
                k=sql.Identifier(gref.key), g=sql.Identifier(gref.geometry), t=gref.from_clause())
            if ranked else gref.from_clause())

    # ----- SPEC 4.1: assignment ------------------------------------------------------------------
    def locate(self, comps, grids, grid_layer, component_layers: list, feedback=None) -> tuple:
        """(grid per component or -1, on-edge mask, grids each point is in or on), as locate_with_hits gives them."""
        eps = boundary_tolerance(grids.crs.isGeographic())
        lookup = _rank_lookup([g.fid for g in grids.grids], [geom is not None for geom in grids.geometries])
        located = np.full(comps.count, -1, dtype=np.int32)
        on_edge = np.zeros(comps.count, dtype=bool)
        hits = np.zeros(comps.count, dtype=np.int32)  # pairs per point: >= 2 are the overlap candidates
        for n, layer in enumerate(component_layers):
            query = self.pairs_query(grid_layer, layer)
            members = np.nonzero(comps.layer == n)[0]
            order = np.argsort(comps.fid[members], kind="stable")
            sorted_fids = comps.fid[members][order]
            values = {"eps": eps, "repaired": [int(fid) for fid, _code in grids.repaired]}
            for chunk in self.rows(query, values, self.tables[layer.id()], feedback):
                rows = np.array(chunk, dtype=np.int64).reshape(-1, 3)
                rank = lookup(rows[:, 1])
                pos = np.minimum(np.searchsorted(sorted_fids, rows[:, 0]), max(len(sorted_fids) - 1, 0))
                found = (sorted_fids[pos] == rows[:, 0]) & (rank >= 0) if len(sorted_fids) else \
                    np.zeros(len(rows), dtype=bool)
                comp = members[order[pos[found]]]
                keep = comps.valid[comp]  # a point the local reader could not use stays unassigned there too
                comp, rank, edge = comp[keep], rank[found][keep], rows[found, 2][keep].astype(bool)
                # A point's pairs may span chunks: keep the smallest rank seen so far (SPEC 4.1).
                sel = np.lexsort((rank, comp))
                first = np.ones(len(sel), dtype=bool)
                first[1:] = comp[sel][1:] != comp[sel][:-1]
                c, r = comp[sel][first], rank[sel][first]
                take = (located[c] < 0) | (r < located[c])
                located[c[take]] = r[take]
                np.logical_or.at(on_edge, comp, edge)
                np.add.at(hits, comp, 1)
        return located, on_edge, hits


def _rank_lookup(fids: list, usable: list):
    """A function: grid feature ids -> their rank in code order (-1: not a grid of this run)."""
    fid = np.asarray(fids, dtype=np.int64)
    rank = np.where(np.asarray(usable, dtype=bool), np.arange(len(fids)), -1).astype(np.int64)
    order = np.argsort(fid)
    fid, rank = fid[order], rank[order]

    def lookup(values: np.ndarray) -> np.ndarray:
        if not len(fid):
            return np.full(len(values), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(fid, values), len(fid) - 1)
        return np.where(fid[pos] == values, rank[pos], -1)

    return lookup


def aliased_filter(ref: TableRef, alias: str):
    """The layer's filter; QGIS's filter names columns unqualified, so it applies to the aliased table."""
    if not ref.subset.strip():
        return sql.SQL("TRUE")
    return sql.SQL("{}.{} IN (SELECT {} FROM {} WHERE {})").format(
        sql.Identifier(alias), sql.Identifier(ref.key), sql.Identifier(ref.key), ref.from_clause(), ref.where_clause())


class _UnsuitableError(Exception):
    """The layers cannot be queried together in SQL: the local engine runs (with the reason in the log)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def choose_engine(inputs, feedback=None) -> Optional[PostgisEngine]:
    """The PostGIS engine when every layer of the run is in one PostGIS database, else None (local).

    Errors of the database itself (down, wrong credentials, no PostGIS, no SELECT) are raised: the
    operator must hear them rather than wait for a local run over the same unreachable server.
    """
    layers = [inputs.grids, *inputs.upper_layers().values(), *inputs.components]
    reason = local_reason(inputs)
    if reason is None:
        try:
            return PostgisEngine.open(layers)
        except _UnsuitableError as exc:
            reason = exc.reason
    messages.info(feedback, Message(reason))
    return None


def local_reason(inputs) -> Optional[str]:
    """Why the local engine must run for these layers (a message key), found without connecting; None: the
    layers may go to the database (the connection itself can still turn it down)."""
    layers = [inputs.grids, *inputs.upper_layers().values(), *inputs.components]
    keys = {database_key(layer) for layer in layers}
    reason = None
    if os.environ.get(ENGINE_VARIABLE, "").strip().lower() == ENGINE_LOCAL:
        reason = "engine_local_chosen"
    elif None in keys:
        reason = "engine_local_sources" if any(k is not None for k in keys) else "engine_local"
    elif len(keys) > 1:
        reason = "engine_local_sources"
    elif not _available():
        reason = "engine_local_no_driver"
    elif any(table_ref(layer) is None for layer in layers):
        reason = "engine_local_query_layer"
    elif any(layer.isEditable() and layer.isModified() for layer in layers):
        reason = "engine_local_edits"
    return reason


def _available() -> bool:
    return psycopg2 is not None

