"""One region's answer on PostGIS without reading the components: the region's rows and the district's
counts, both asked of the database.

Why: the whole index pulls every component's key, point and attributes over the link (about 30 s at
10x) to answer one region and log a few district-wide counts. Here the region index (grids, levels
and placement, built by the same code as the whole index) gives the region's grids; the region's
rows come from region_components, as the panel's do; and the counts the run's log reports
(components read and assigned, without geometry, with several points, duplicate 标识码, stored grid
codes that differ, points inside several grids, components in grids outside a level) are
aggregates over the same (point, grid) pairs as the pushdown's assignment (PostgisEngine.pairs_query):
a few thousand rows come back, not one per component. The messages are made by the whole index's
functions from these counts.

Used where the region index can be built (components placed by position, every layer in one
database) and the database's answer is the whole index's (_database_can_answer: a UTF-8 database,
plain tables, no datum transformation chosen, 标识码, type and stored grid code columns of text or
integers); anywhere else answer_in_database returns None and the whole index runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from citycomponents_plugin.core import messages
from citycomponents_plugin.core.database.connection import sql
from citycomponents_plugin.core.database.point_query import column_types
from citycomponents_plugin.core.database.pushdown import PostgisEngine, aliased_filter
from citycomponents_plugin.core.database.region_index import count_on, open_region_engine, region_index_on
from citycomponents_plugin.core.database.region_query import RegionResult, key_text
from citycomponents_plugin.core.engine.build import (
    GridSet,
    encoding_warnings,
    few_in_grids_warnings,
    grid_overlaps,
    numeric_code_warnings,
    overlap_messages,
    several_grids,
    uncovered_warnings,
    weak_grids,
)
from citycomponents_plugin.core.engine.district_index import DistrictIndex, ReportCounts
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.engine.point_in_polygon import boundary_tolerance
from citycomponents_plugin.core.engine.point_reader import PointColumns, datum_transform, transform_columns
from citycomponents_plugin.core.engine.read_checks import check_complete, expected_features
from citycomponents_plugin.core.engine.region_reader import Region, layer_label
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level

# Column types whose text in SQL (::text, as every value here is read) is the local reader's.
_TEXT_EXACT = ("text", "character varying", "integer", "bigint", "smallint")
# What Python's str.strip() removes (the local reader strips keys so): stripped in SQL before grouping.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


@dataclass
class DatabaseAnswer:
    """What regionstatistics writes and logs, from the database."""

    index: DistrictIndex  # the region index: grids and levels, no component (components_in_database)
    region: Region
    result: RegionResult  # statistics, detail rows and their (layer, fid)
    x: np.ndarray  # each detail row's point in the grid CRS
    y: np.ndarray
    has_point: np.ndarray
    counts: ReportCounts  # the district's, for the log


def answer_in_database(inputs: DistrictInputs, level: Level, region_text: str, types=None,
                       feedback=None) -> Optional[DatabaseAnswer]:
    """One region's answer and the district's counts from the database; None where the whole index must run."""
    engine = open_region_engine(inputs)
    if engine is None:
        return None
    try:
        if not _database_can_answer(engine, inputs):
            return None
        messages.info(feedback, engine.note())
        index, grids = region_index_on(engine, inputs, feedback)
        region = index.find_region(level, region_text)
        index.known_types(types)  # a name of no type is the whole index's error, not an empty answer
        if feedback is not None:
            feedback.setProgressText("Counting the region in the database")
        result = count_on(engine, index, inputs, level, region, types)
        x, y, has_point = member_points(engine, inputs, index, result.members)
        if feedback is not None:
            feedback.setProgressText("Counting the district in the database")
        counts = district_counts(engine, inputs, index, grids, feedback)
        return DatabaseAnswer(index, region, result, x, y, has_point, counts)
    finally:
        engine.close()


def _database_can_answer(engine: PostgisEngine, inputs: DistrictInputs) -> bool:
    """True when the database's answer is the whole index's: a UTF-8 database (the stripping pattern), the
    component layers plain tables (their physical order is the read order), no datum transformation chosen
    in the project (the database would not apply it), and every 标识码, type and stored grid code column
    text or integers (their text in SQL is the local reader's)."""
    from citycomponents_plugin.core.engine.build import component_fields

    if engine.db.fetchone(sql.SQL("SHOW server_encoding"))[0] != "UTF8":
        return False
    grid_crs = inputs.grids.crs()
    for layer in inputs.components:
        ref = engine.tables[layer.id()]
        kind = engine.db.fetchone(sql.SQL("SELECT relkind FROM pg_class WHERE oid = %s::regclass"),
                                  (ref.from_clause().as_string(engine.db.conn),))
        if kind is None or kind[0] not in ("r", "p") or datum_transform(layer, grid_crs, inputs.transform_context):
            return False
        info = component_fields(layer, inputs)
        fields = [f for f in (info.id_field, info.type_field, info.grid_attr_field) if f]
        if fields:
            types = column_types(engine.db, ref, fields)
            if any(types.get(f) not in _TEXT_EXACT for f in fields):
                return False
    return True


def _first_point(ref):
    return sql.SQL("ST_GeometryN(c.{}, 1)").format(sql.Identifier(ref.geometry))


def _points(engine: PostgisEngine, layer, fids: list, extra=None) -> tuple:
    """(PointColumns in the layer's CRS, extra column values) of the given features, in the table's order."""
    ref = engine.tables[layer.id()]
    query = sql.SQL("SELECT c.{k}, ST_X({p}), ST_Y({p}){extra} FROM {t} c WHERE c.{k} = ANY(%(fids)s::bigint[]) "
                    "ORDER BY c.ctid").format(
        k=sql.Identifier(ref.key), p=_first_point(ref), t=ref.from_clause(),
        extra=sql.SQL(", c.{}::text").format(sql.Identifier(extra)) if extra else sql.SQL(", NULL::text"))
    rows = [row for chunk in engine.rows(query, {"fids": [int(f) for f in fids]}, ref) for row in chunk]
    x = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    y = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float)
    cols = PointColumns(np.array([r[0] for r in rows], dtype=np.int64), x, y, np.isfinite(x) & np.isfinite(y))
    return cols, [r[3] for r in rows]


def _in_grid_crs(cols: PointColumns, layer, index: DistrictIndex, inputs: DistrictInputs, name: str) -> None:
    """The points moved to the grid CRS as read_points moves the whole index's (transform_columns)."""
    transform_columns(cols, layer, index.grid_crs, inputs.transform_context,
                      not datum_transform(layer, index.grid_crs, inputs.transform_context), name=name)


def member_points(engine: PostgisEngine, inputs: DistrictInputs, index: DistrictIndex, members: list) -> tuple:
    """(x, y, has_point) of each detail row's component in the grid CRS."""
    n_rows = len(members)
    x, y, has_point = np.full(n_rows, np.nan), np.full(n_rows, np.nan), np.zeros(n_rows, dtype=bool)
    for n, layer in enumerate(inputs.components):
        rows = [i for i, (layer_no, _fid) in enumerate(members) if layer_no == n]
        if not rows:
            continue
        cols, _ = _points(engine, layer, [members[i][1] for i in rows])
        _in_grid_crs(cols, layer, index, inputs, index.layers[n].name)
        at = {int(fid): j for j, fid in enumerate(cols.fids.tolist())}
        for i in rows:
            j = at.get(int(members[i][1]))
            if j is not None and cols.has_geometry[j]:
                x[i], y[i], has_point[i] = cols.x[j], cols.y[j], True
    return x, y, has_point


def district_counts(engine: PostgisEngine, inputs: DistrictInputs, index: DistrictIndex, grids: GridSet,
                    feedback=None) -> ReportCounts:
    """The district's counts for the log, as aggregates in SQL; the component warnings join index.warnings."""
    eps = boundary_tolerance(grids.crs.isGeographic())
    usable = [(int(g.fid), g.index) for g, geom in zip(grids.grids, grids.geometries) if geom is not None]
    code_to_grid = {g.key: g.index for g in grids.grids}
    per_grid = np.zeros(len(grids.grids), dtype=np.int64)
    read = no_point = multipart = mismatch = untransformable = 0
    component_warnings = []
    candidates = []  # per component layer: the keys of its points in or on two or more grids
    for n, layer in enumerate(inputs.components):
        info = index.layers[n]
        ref = engine.tables[layer.id()]
        geom = sql.SQL("c.{}").format(sql.Identifier(ref.geometry))
        where = aliased_filter(ref, "c")
        total, empty, multi = engine.db.fetchone(sql.SQL(
            "SELECT count(*), count(*) FILTER (WHERE NOT {has}), count(*) FILTER (WHERE ST_NumGeometries({g}) > 1) "
            "FROM {t} c WHERE {w}").format(has=_has_point(ref), g=geom, t=ref.from_clause(), w=where), ())
        check_complete(layer, info.name, int(total), expected_features(layer), "COMPONENTS")
        read, no_point, multipart = read + int(total), no_point + int(empty), multipart + int(multi)
        component_warnings += encoding_warnings(layer)
        stored = sql.SQL("c.{}").format(sql.Identifier(info.grid_attr_field)) if info.grid_attr_field else None
        if stored is not None:
            # Every value is read as text (::text): NULL is empty, as in the local reader's raw column.
            head = [v or "" for chunk in engine.rows(sql.SQL("SELECT {s}::text FROM {t} c WHERE {w} LIMIT 1000")
                                                      .format(s=stored, t=ref.from_clause(), w=where), (), ref)
                    for (v,) in chunk]
            first = next((v for v in head if v), "")
            component_warnings += numeric_code_warnings(
                layer, [(info.grid_attr_field, "stored grid code (所在单元网格)")], [first])
        # Per point: its smallest grid rank (SPEC 4.1) and how many grids it is in or on; per (grid, stored
        # code): how many points, and the keys of the points in or on several grids (the overlap candidates).
        pairs = engine.pairs_query(inputs.grids, layer, [sql.SQL("{}::text").format(stored) if stored is not None
                                                        else sql.SQL("NULL::text")], ranked=True)
        # Then the points with a point of their own in no grid (rank -1: key and coordinates), which QGIS may
        # not be able to transform: the whole index counts those apart.
        query = sql.SQL(
            "WITH pairs(ck, rank, edge, stored) AS ({pairs}),"
            " per AS (SELECT ck, min(rank) AS rank, count(*) AS hits, stored FROM pairs GROUP BY ck, stored)"
            " SELECT rank, stored, count(*), array_agg(ck) FILTER (WHERE hits >= 2), NULL::float8, NULL::float8"
            " FROM per GROUP BY rank, stored"
            " UNION ALL SELECT -1, NULL::text, c.{k}::bigint, NULL::bigint[], ST_X({p}), ST_Y({p})"
            " FROM {t} c LEFT JOIN per ON per.ck = c.{k} WHERE per.ck IS NULL AND {w} AND {has}"
        ).format(pairs=pairs, k=sql.Identifier(ref.key), p=_first_point(ref), t=ref.from_clause(), w=where,
                 has=_has_point(ref))
        values = {"eps": eps, "repaired": [int(fid) for fid, _code in grids.repaired],
                  "fids": [f for f, _ in usable], "ranks": [r for _, r in usable]}
        several, outside = [], []
        for chunk in engine.rows(query, values, ref, feedback):
            for rank, value, count, keys, x, y in chunk:
                if rank < 0:
                    outside.append((count, x, y))
                    continue
                per_grid[rank] += count
                if stored is not None and code_to_grid.get(key_text(value), -1) != rank:
                    mismatch += count
                several += keys or []
        candidates.append(several)
        untransformable += _untransformable(outside, layer, index, inputs)
    if read == 0:  # as read_components says it
        raise CityComponentsError("component_layers_empty", "COMPONENTS",
                                  layers=", ".join(layer_label(layer) for layer in inputs.components))
    component_warnings += few_in_grids_warnings(inputs, grids, read - no_point, int(per_grid.sum()))
    component_warnings += _overlaps(engine, inputs, index, grids, candidates)
    index.warnings += component_warnings + uncovered_warnings(index, per_grid)
    weak = {level: weak_grids(data, grids) for level, data in index.levels.items()}
    return ReportCounts(read, int(per_grid.sum()), no_point, untransformable, duplicate_ids(engine, inputs, index),
                        mismatch, multipart, weak)


def _has_point(ref):
    """The row has a first point with finite coordinates (the local reader's has_geometry)."""
    p = _first_point(ref)
    return sql.SQL("({g} IS NOT NULL AND NOT ST_IsEmpty({g}) AND ST_X({p}) IS NOT NULL"
                   " AND ST_X({p}) NOT IN ('NaN', 'Infinity', '-Infinity')"
                   " AND ST_Y({p}) NOT IN ('NaN', 'Infinity', '-Infinity'))").format(
        g=sql.SQL("c.{}").format(sql.Identifier(ref.geometry)), p=p)


def _untransformable(points: list, layer, index: DistrictIndex, inputs: DistrictInputs) -> int:
    """How many of these (key, x, y) points, in no grid, QGIS cannot transform to the grid CRS."""
    if not points:
        return 0
    x = np.array([p[1] for p in points], dtype=float)
    y = np.array([p[2] for p in points], dtype=float)
    cols = PointColumns(np.array([p[0] for p in points], dtype=np.int64), x, y, np.ones(len(points), dtype=bool))
    _in_grid_crs(cols, layer, index, inputs, layer.name())
    return len(cols.untransformable)


def _overlaps(engine: PostgisEngine, inputs: DistrictInputs, index: DistrictIndex, grids: GridSet,
              candidates: list) -> list:
    """The overlap warnings: the candidates read (point and 标识码) and tested as the whole index tests them."""
    xs, ys, valid, labels = [], [], [], []
    for n, layer in enumerate(inputs.components):
        if not candidates[n]:
            continue
        info = index.layers[n]
        cols, ids = _points(engine, layer, candidates[n], info.id_field)
        _in_grid_crs(cols, layer, index, inputs, info.name)
        xs.append(cols.x)
        ys.append(cols.y)
        valid.append(cols.has_geometry)
        labels += [key_text(i) or f"{info.name}:{int(f)}" for i, f in zip(ids, cols.fids.tolist())]
    several = []
    if xs:
        x, y, ok = np.concatenate(xs), np.concatenate(ys), np.concatenate(valid)
        several = several_grids(x, y, ok, grids, np.arange(len(x)))
    return overlap_messages(grids, several, grid_overlaps(grids), labels.__getitem__)


def duplicate_ids(engine: PostgisEngine, inputs: DistrictInputs, index: DistrictIndex) -> dict:
    """标识码 -> count for the ids (stripped, not empty) used more than once over every layer, in 标识码 order."""
    parts = []
    for n, layer in enumerate(inputs.components):
        field = index.layers[n].id_field
        if field:
            ref = engine.tables[layer.id()]
            parts.append(sql.SQL("SELECT c.{}::text AS v FROM {} c WHERE {}").format(
                sql.Identifier(field), ref.from_clause(), aliased_filter(ref, "c")))
    if not parts:
        return {}
    query = sql.SQL(
        "SELECT k, count(*) FROM (SELECT regexp_replace(v, %(trim)s, '', 'g') AS k FROM ({u}) ids"
        " WHERE v IS NOT NULL) t WHERE k <> '' GROUP BY k HAVING count(*) > 1").format(
        u=sql.SQL(" UNION ALL ").join(parts))
    trim = f"^[{_SPACES}]+|[{_SPACES}]+$"
    ref = engine.tables[inputs.components[0].id()]
    found = [row for chunk in engine.rows(query, {"trim": trim}, ref) for row in chunk]
    return {key: int(count) for key, count in sorted(found)}
