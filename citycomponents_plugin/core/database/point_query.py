"""A point layer's columns read with psycopg2 in one server-side query, not through QGIS's provider.

Why: QGIS's postgres provider builds a QgsFeature and a QgsGeometry per row; for the index only the
key, the first point's x/y and a few attributes are needed, and a plain query hands them over
several times faster. The result is the PointColumns the QGIS iterator gives (point_reader), value
for value: the same feature ids (the integer key), the first point of a multipoint, attribute text
through value_text; read_points then applies the same checks (the complete-read count, SPEC 4.5)
and the same coordinate transform. A column whose values psycopg2 would hand over differently
from QGIS (a type not listed below, a field that is no table column) keeps the QGIS read.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from citycomponents_plugin.core.database.connection import Database, TableRef, psycopg2, sql
from citycomponents_plugin.core.engine.point_reader import PointColumns
from citycomponents_plugin.core.engine.text_columns import encode, value_text
from citycomponents_plugin.core.errors import CancelledError

# Column types whose Python values (psycopg2) read as QGIS's (QVariant) through value_text;
# numeric is read as double precision, as QGIS's provider does.
_SAME_TYPES = ("text", "character varying", "character", "integer", "bigint", "smallint", "double precision",
               "real", "numeric", "date", "boolean", "name")
_BATCH = 100_000


def column_types(db: Database, ref: TableRef, fields: Sequence[str]) -> dict:
    """field -> its column type (format_type without modifiers) for the table's columns among `fields`."""
    rows = []
    try:
        with db.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
                                "AND attname = ANY(%s)"), (ref.from_clause().as_string(db.conn), list(fields)))
            rows = cur.fetchall()
    except psycopg2.Error as exc:
        raise db.error(exc, _label(ref)) from None
    return dict(rows)


def read_columns(db: Database, ref: TableRef, layer_filter, fields: Sequence[str],
                 feedback=None) -> Optional[PointColumns]:
    """Every row of the layer (its filter applied) as PointColumns in the layer's CRS, or None (QGIS reads)."""
    types = column_types(db, ref, fields)
    if any(types.get(f) not in _SAME_TYPES for f in fields):
        return None
    geom = sql.SQL("c.{}").format(sql.Identifier(ref.geometry))
    first = sql.SQL("ST_GeometryN({}, 1)").format(geom)
    columns = [sql.SQL("c.{}::float8").format(sql.Identifier(f)) if types[f] == "numeric" else
               sql.SQL("c.{}").format(sql.Identifier(f)) for f in fields]
    query = sql.SQL("SELECT c.{key}, ST_X({first}), ST_Y({first}), ST_NumGeometries({geom}) > 1{cols} "
                    "FROM {table} c WHERE {where}").format(
        key=sql.Identifier(ref.key), first=first, geom=geom, table=ref.from_clause(), where=layer_filter,
        cols=sql.SQL("").join(sql.SQL(", {}").format(c) for c in columns))
    fids, xs, ys, multi = [], [], [], []
    values: list = [[] for _ in fields]
    try:
        # A server-side cursor: the table's rows in the table's order, as QGIS's provider reads them
        # (the detail order keeps the read order between equal 标识码), fetched in batches.
        with db.conn.cursor(name="citycomponents_points") as cur:
            cur.itersize = _BATCH
            cur.execute(query)
            while True:
                if feedback is not None and feedback.isCanceled():
                    raise CancelledError("reading components")
                rows = cur.fetchmany(_BATCH)
                if not rows:
                    break
                batch = list(zip(*rows))
                fids.append(np.asarray(batch[0], dtype=np.int64))
                xs.append(np.asarray(batch[1], dtype=float))
                ys.append(np.asarray(batch[2], dtype=float))
                multi.append(np.asarray(batch[3], dtype=bool))
                for j in range(len(fields)):
                    values[j].extend(v if v is None or type(v) is str else value_text(v) for v in batch[4 + j])
        db.conn.rollback()  # read-only transaction: the snapshot is released
    except psycopg2.Error as exc:
        raise db.error(exc, _label(ref)) from None
    if not fids:
        empty = np.array([], dtype=bytes)
        return PointColumns(np.array([], dtype=np.int64), np.array([]), np.array([]), np.array([], dtype=bool),
                            {f: empty for f in fields})
    x, y = np.concatenate(xs), np.concatenate(ys)  # NULL (no or empty geometry) arrives as NaN
    return PointColumns(np.concatenate(fids), x, y, np.isfinite(x) & np.isfinite(y),
                        {f: encode(v) for f, v in zip(fields, values)}, int(np.count_nonzero(np.concatenate(multi))))


def _label(ref: TableRef) -> str:
    return f"{ref.schema or 'public'}.{ref.table}"
