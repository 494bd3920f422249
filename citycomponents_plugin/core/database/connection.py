"""Which layers live in one PostGIS database, and a connection to it through QGIS's data-source URI.

Why psycopg2 and not QgsAbstractDatabaseProviderConnection: its executeSql takes SQL text only (no
bound values on QGIS 3.22), cannot stream millions of rows, and gives no error classes to tell a
lost connection from a missing privilege. psycopg2 is Debian's python3-psycopg2 on 12 and 13 and
ships with OSGeo4W; values are bound (`%s`), identifiers quoted with psycopg2.sql.Identifier.
The URI is QGIS's, so `authcfg` (QGIS's authentication database) and `service` work as in QGIS;
the expanded connection string with its password is never stored, logged or shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from qgis.core import QgsDataSourceUri, QgsVectorLayer

from citycomponents_plugin.core.database.credentials import scrub
from citycomponents_plugin.core.errors import CityComponentsError

APPLICATION_NAME = "citycomponents"
CONNECT_TIMEOUT_S = 10
_PASSWORD_ITEM = re.compile(r"""password='((?:[^'\\]|\\.)*)'|password=(\S+)""")

try:  # the local engine runs without it
    import psycopg2
    import psycopg2.errors
    from psycopg2 import sql
except ImportError:  # pragma: no cover - Debian ships python3-psycopg2, OSGeo4W psycopg2
    psycopg2 = None
    sql = None


@dataclass(frozen=True)
class TableRef:
    """One layer's table: quoted in SQL only through psycopg2.sql.Identifier."""

    schema: str
    table: str
    geometry: str
    key: str
    subset: str  # the layer's filter (QGIS's own SQL, as the postgres provider applies it)

    def from_clause(self):
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema or "public"), sql.Identifier(self.table))

    def where_clause(self):
        return sql.SQL("({})").format(sql.SQL(self.subset)) if self.subset.strip() else sql.SQL("TRUE")


def database_key(layer: Optional[QgsVectorLayer]) -> Optional[str]:
    """The connection a postgres layer uses (host, port, database, user or authcfg; no secret), else None."""
    if layer is None or layer.providerType() != "postgres":
        return None
    return QgsDataSourceUri(layer.source()).connectionInfo(False)


def table_ref(layer: QgsVectorLayer) -> Optional[TableRef]:
    """The table behind a postgres layer, or None where SQL cannot address it (a query layer, no key)."""
    uri = QgsDataSourceUri(layer.source())
    key = uri.keyColumn().strip('"')
    if not uri.table() or uri.table().lstrip().startswith("(") or not key or "," in key or not uri.geometryColumn():
        return None
    return TableRef(uri.schema(), uri.table(), uri.geometryColumn(), key, uri.sql())


def available() -> bool:
    return psycopg2 is not None


class Database:
    """One open connection, read-only; every failure becomes a CityComponentsError without secrets."""

    def __init__(self, layer: QgsVectorLayer) -> None:
        uri = QgsDataSourceUri(layer.source())
        self.label = uri.database() or uri.service() or uri.host()
        info = uri.connectionInfo(True)  # authcfg expanded: user and password from QGIS's auth database
        found = _PASSWORD_ITEM.search(info)
        self._secrets = tuple(s for s in (uri.password(), *(found.groups() if found else ())) if s)
        self.conn = None
        try:
            self.conn = psycopg2.connect(info, application_name=APPLICATION_NAME, connect_timeout=CONNECT_TIMEOUT_S,
                                        options="-c jit=off")  # compiling costs seconds, saves nothing here
        except psycopg2.Error as exc:
            raise self.error(exc, connecting=True) from None
        self.conn.set_session(readonly=True, autocommit=False)

    def error(self, exc: Exception, table: str = "", connecting: bool = False) -> CityComponentsError:
        """The message an operator can act on: which database, what went wrong, what to do."""
        text = scrub(str(exc).strip(), self._secrets)
        low = text.lower()
        if connecting:
            if "authentication failed" in low or "no password supplied" in low or \
                    ("role" in low and "does not exist" in low):
                return CityComponentsError("database_login_failed", database=self.label, reason=text)
            return CityComponentsError("database_unreachable", database=self.label, reason=text)
        if isinstance(exc, psycopg2.errors.InsufficientPrivilege):
            return CityComponentsError("database_no_privilege", database=self.label, table=table, reason=text)
        if isinstance(exc, (psycopg2.errors.UndefinedFunction, psycopg2.errors.UndefinedObject)):
            return CityComponentsError("database_no_postgis", database=self.label)
        if isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)):
            return CityComponentsError("database_connection_lost", database=self.label, reason=text)
        return CityComponentsError("database_error", database=self.label, reason=text)

    def postgis_version(self) -> str:
        """PostGIS's version, or an error naming the database when the extension is missing."""
        row = self.fetchone(sql.SQL("SELECT extversion FROM pg_extension WHERE extname = %s"), ("postgis",))
        if row is None:
            raise CityComponentsError("database_no_postgis", database=self.label)
        return str(row[0])

    def fetchone(self, query, values: tuple = ()):
        try:
            with self.conn.cursor() as cur:
                cur.execute(query, values)
                return cur.fetchone()
        except psycopg2.Error as exc:
            raise self.error(exc) from None

    def check_readable(self, table: TableRef) -> None:
        """SELECT on the table: said before the long query, naming the table."""
        name = f"{table.schema or 'public'}.{table.table}"
        quoted = sql.Identifier(table.schema or "public", table.table).as_string(self.conn)
        row = self.fetchone(sql.SQL("SELECT has_table_privilege(%s::regclass, %s)"), (quoted, "SELECT"))
        if not row or not row[0]:
            raise CityComponentsError("database_no_privilege", database=self.label, table=name,
                                      reason="permission denied")

    def close(self) -> None:
        if getattr(self, "conn", None) is not None:
            try:
                self.conn.close()
            except psycopg2.Error:
                pass
            self.conn = None


def database_problem(layer: QgsVectorLayer, parameter: str) -> Optional[CityComponentsError]:
    """What is wrong with a postgres layer's database, asked of the server itself; None when nothing is
    (or for other providers).

    QGIS marks a layer invalid, or finds no features, whatever the cause; the operator needs to know
    whether the server is down, the login wrong, PostGIS missing or the table not granted.
    """
    if layer is None or layer.providerType() != "postgres" or psycopg2 is None:
        return None
    try:
        db = Database(layer)
    except CityComponentsError as exc:
        return exc
    try:
        db.postgis_version()
        ref = table_ref(layer)
        if ref is not None:
            db.check_readable(ref)
    except CityComponentsError as exc:
        if exc.message.id == "database_no_privilege":
            return CityComponentsError("database_no_privilege", parameter, **exc.message.values)
        return exc
    finally:
        db.close()
    return None


def unreadable_layer_error(layer: QgsVectorLayer, parameter: str) -> Optional[CityComponentsError]:
    """Why QGIS could not open a postgres layer (None for other providers)."""
    if layer is None or layer.providerType() != "postgres":
        return None
    from citycomponents_plugin.core.engine.region_reader import layer_label

    uri = QgsDataSourceUri(layer.source())
    table = f"{uri.schema() or 'public'}.{uri.table()}"
    return database_problem(layer, parameter) or CityComponentsError(
        "database_layer_unreadable", parameter, layer=layer_label(layer), table=table,
        database=uri.database() or uri.service() or uri.host())
