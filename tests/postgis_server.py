"""A real PostgreSQL + PostGIS server for the tests: started here, on loopback, in a temporary folder.

Whichever Debian version is installed is used (15 on Debian 12, 17 on Debian 13): the first
/usr/lib/postgresql/*/bin with initdb whose share folder has PostGIS. postgres refuses to run as
root, so under root the server runs as the `postgres` user (runuser) in a folder it owns. The
server listens on 127.0.0.1 only, on a free port, with password (scram) logins; it is stopped and
its folder removed at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

OWNER, OWNER_PASSWORD = "city_owner", "Owner-pw-5f3a9d"
READER, READER_PASSWORD = "city_reader", "Rd-s3cret-7c1e42"
DATABASE = "city"
PLAIN_DATABASE = "plain"  # no PostGIS extension
SCHEMA = "archive"


def server_binaries() -> Optional[Path]:
    """The newest installed PostgreSQL's bin folder with PostGIS available, or None."""
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                         reverse=True):
        version = Path(bindir).parent.name
        if os.path.exists(os.path.join(bindir, "initdb")) and \
                os.path.exists(f"/usr/share/postgresql/{version}/extension/postgis.control"):
            return Path(bindir)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    bindir: Path
    folder: Path
    port: int
    as_postgres: bool

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, env: Optional[dict] = None, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, env={**os.environ, **(env or {})},
                              cwd=str(self.folder))

    def start(self) -> None:
        pwfile = self.folder / "pw"
        pwfile.write_text(OWNER_PASSWORD + "\n")
        if self.as_postgres:
            shutil.chown(pwfile, "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", OWNER, f"--pwfile={pwfile}",
                  "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
        pwfile.unlink()
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def pg_ctl(self, action: str) -> None:
        """Stop or start the server during a test (a server that is down)."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-m", "fast", "-w", action)

    def conninfo(self, database: str = DATABASE, user: str = OWNER, password: str = OWNER_PASSWORD) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={database} user={user} password={password}"

    def sql(self, statements, database: str = DATABASE) -> None:
        """Statements separated by ';' (or a list of them, when a name holds a ';')."""
        import psycopg2

        conn = psycopg2.connect(self.conninfo(database))
        conn.autocommit = True
        with conn.cursor() as cur:
            parts = statements.split(";") if isinstance(statements, str) else statements
            for statement in parts:  # one by one: CREATE DATABASE runs outside a transaction block
                if statement.strip():
                    cur.execute(statement)
        conn.close()

    def load(self, gpkg: Path, schema: str = SCHEMA, layers: tuple = ()) -> None:
        """Copy GeoPackage tables with ogr2ogr, names as they are (Chinese), fid as the key, GiST indexes."""
        self.sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"; GRANT USAGE ON SCHEMA "{schema}" TO {READER}; '
                 f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT SELECT ON TABLES TO {READER}')
        env = {"PGPASSWORD": OWNER_PASSWORD, "PGCLIENTENCODING": "UTF8"}
        target = f"PG:host=127.0.0.1 port={self.port} dbname={DATABASE} user={OWNER}"
        subprocess.run(["ogr2ogr", "-f", "PostgreSQL", target, str(gpkg), *layers, "-lco", f"SCHEMA={schema}",
                        "-lco", "LAUNDER=NO", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
                        "-lco", "SPATIAL_INDEX=GIST", "-overwrite", "-nlt", "PROMOTE_TO_MULTI"],
                       check=True, capture_output=True, env={**os.environ, **env})
        self.sql(f'ANALYZE; GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {READER}')


def start_server() -> Server:
    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("no PostgreSQL with PostGIS under /usr/lib/postgresql: run make setup")
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="citycomponents-pg-"))
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    server = Server(bindir, folder, _free_port(), as_postgres)
    try:
        server.start()
        server.sql(f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'; CREATE DATABASE {DATABASE}; "
                   f"CREATE DATABASE {PLAIN_DATABASE}", database="postgres")
        server.sql("CREATE EXTENSION postgis")
    except BaseException:
        log = folder / "server.log"
        detail = log.read_text(errors="replace") if log.exists() else ""
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {detail[-2000:]}") from None
    return server


def stop_server(server: Server) -> None:
    server.stop()
    for _ in range(50):  # pg_ctl -w returns when the postmaster is gone; the folder then goes
        if not (server.data / "postmaster.pid").exists():
            break
        time.sleep(0.1)
    shutil.rmtree(server.folder, ignore_errors=True)


def postgres_layer(server: Server, table: str, name: str, *, user: str = READER, password: str = READER_PASSWORD,
                   authcfg: str = "", schema: str = SCHEMA, database: str = DATABASE, sql: str = ""):
    """A QGIS postgres layer of one table, with a password in the URI or an authcfg id instead."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri()
    if authcfg:
        uri.setConnection("127.0.0.1", str(server.port), database, "", "", QgsDataSourceUri.SslDisable, authcfg)
    else:
        uri.setConnection("127.0.0.1", str(server.port), database, user, password)
    uri.setDataSource(schema, table, "geom", sql, "fid")
    return QgsVectorLayer(uri.uri(False), name, "postgres")
