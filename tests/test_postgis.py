"""PostGIS (SPEC 11) on a real server: every algorithm on PostGIS layers gives what it gives on the
GeoPackage, with the database engine (pushdown) and with the local engine on the same layers.

The server is started by tests/postgis_server.py (loopback, temporary folder) and loaded with
ogr2ogr: the hand-made district (edge and vertex points, components in EPSG:4490 so the SQL has to
transform) in schema `hand`, the sample district at SCALE=0.1 in schema `archive`. Layers are read
as the SELECT-only user `city_reader`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import postgis_server as ps
import pytest
from qgis.core import QgsProcessingFeedback

import district_fixtures as dfx

pytestmark = pytest.mark.skipif(ps.server_binaries() is None, reason="PostgreSQL + PostGIS not installed")

LAYERS = {"GRIDS": "单元网格", "COMMITTEES": "社区居委会", "STREETS": "街道办事处", "SUPERVISORS": "监督员责任区"}
COMPONENTS = "城市部件"


class LogFeedback(QgsProcessingFeedback):
    """A Processing feedback that keeps every line it is given (the security test greps them)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list = []
        self.messages: list = []  # the log an operator reads: information and warnings, in order
        self.on_text = None  # called with each progress text (a test acts at a given step)

    def pushInfo(self, text):  # noqa: N802 - QGIS's name
        self.lines.append(text)
        self.messages.append(text)
        super().pushInfo(text)

    def pushWarning(self, text):  # noqa: N802
        self.lines.append(text)
        self.messages.append(text)
        super().pushWarning(text)

    def reportError(self, text, fatalError=False):  # noqa: N802,N803
        self.lines.append(text)
        super().reportError(text, fatalError)

    def setProgressText(self, text):  # noqa: N802
        self.lines.append(text)
        super().setProgressText(text)
        if self.on_text is not None:
            self.on_text(text)


@pytest.fixture(scope="session")
def server(qgis_app):
    srv = ps.start_server()
    yield srv
    ps.stop_server(srv)


@pytest.fixture(scope="session")
def hand_gpkg(tmp_path_factory, server) -> Path:
    path = dfx.write_district(tmp_path_factory.mktemp("hand") / "hand.gpkg", component_epsg=4490)
    server.load(path, schema="hand")
    return path


@pytest.fixture(scope="session")
def sample_pg(server, sample_gpkg) -> Path:
    server.load(sample_gpkg, schema=ps.SCHEMA, layers=(*LAYERS.values(), COMPONENTS))
    return sample_gpkg


def gpkg_params(path: Path) -> dict:
    from qgis.core import QgsVectorLayer

    out = {p: QgsVectorLayer(f"{path}|layername={n}", n, "ogr") for p, n in LAYERS.items()}
    out["COMPONENTS"] = [QgsVectorLayer(f"{path}|layername={COMPONENTS}", COMPONENTS, "ogr")]
    return out


def pg_params(server, schema: str, **kw) -> dict:
    out = {p: ps.postgres_layer(server, n, n, schema=schema, **kw) for p, n in LAYERS.items()}
    out["COMPONENTS"] = [ps.postgres_layer(server, COMPONENTS, COMPONENTS, schema=schema, **kw)]
    for layer in [*out["COMPONENTS"], *(v for k, v in out.items() if k != "COMPONENTS")]:
        assert layer.isValid(), layer.source()
    return out


@pytest.fixture()
def local_engine(monkeypatch):
    """The local engine on PostGIS layers (the same reads, assignment in Python)."""
    monkeypatch.setenv("CITYCOMPONENTS_ENGINE", "local")


def _run(alg: str, params: dict, log: LogFeedback = None) -> dict:
    import processing
    from qgis.core import QgsProcessingContext

    context = QgsProcessingContext()
    return processing.run(alg, params, context=context, feedback=log or LogFeedback())


def _features(layer) -> list:
    names = layer.fields().names()
    return [(tuple(f[n] for n in names), f.geometry().asWkt(6)) for f in layer.getFeatures()]


def _statistics(params: dict, level: int, region: str) -> tuple:
    """Every output of a regionstatistics run, field by field, and its log but for the engine and the result ids."""
    log = LogFeedback()
    res = _run("citycomponents:regionstatistics", {**params, "LEVEL": level, "REGION": region,
                                                   "STATISTICS": "TEMPORARY_OUTPUT", "DETAILS": "TEMPORARY_OUTPUT"},
               log)
    return (res["TOTAL"], json.loads(res["BY_TYPE"]), res["COMPONENTS_READ"], res["UNASSIGNED"],
            _features(res["STATISTICS"]), _features(res["DETAILS"]),
            [line for line in log.messages if not line.startswith(("Engine: ", "Results: "))])


def _index(params: dict):
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    return build_index(DistrictInputs(grids=params["GRIDS"], components=params["COMPONENTS"],
                                      committees=params["COMMITTEES"], streets=params["STREETS"],
                                      supervisors=params["SUPERVISORS"]))


def _same_index(a, b) -> None:
    """Field by field: every component's grid, every grid's region and share, every report list."""
    assert np.array_equal(a.comp_grid, b.comp_grid)
    assert np.array_equal(a.comp_id, b.comp_id) and np.array_equal(a.comp_type, b.comp_type)
    assert np.array_equal(a.detail_order, b.detail_order)
    assert np.array_equal(a.comp_fid, b.comp_fid) and np.array_equal(a.comp_valid, b.comp_valid)
    assert np.array_equal(a.comp_x, b.comp_x, equal_nan=True) and np.array_equal(a.comp_y, b.comp_y, equal_nan=True)
    assert [g.key for g in a.grids] == [g.key for g in b.grids]
    for level, data in a.levels.items():
        other = b.levels[level]
        assert [r.key for r in data.regions] == [r.key for r in other.regions]
        assert np.array_equal(data.grid_region, other.grid_region), level
        # GEOS in QGIS (clipped to the grid's box first) and in PostGIS round differently in the last bits;
        # shares are compared, never printed, and the region chosen is the same.
        assert np.abs(data.grid_share - other.grid_share).max() < 1e-9, level
    for name in ("null_geometry", "untransformable", "unassigned", "on_grid_edge", "malformed_ids",
                 "grid_code_mismatch"):
        assert np.array_equal(getattr(a.report, name), getattr(b.report, name)), name
    assert a.report.duplicate_ids == b.report.duplicate_ids
    assert {k: [(g, r) for g, r, _s in v] for k, v in a.report.weak_grids.items()} == \
        {k: [(g, r) for g, r, _s in v] for k, v in b.report.weak_grids.items()}


# ----- the hand-made district: answers worked out by hand, edge and vertex points -------------------
def test_pushdown_places_edge_and_vertex_points_by_hand(server, hand_gpkg):
    index = _index(pg_params(server, "hand"))
    assert index.engine == "postgis"
    got = {i: (index.grids[g].key if g >= 0 else None) for i, g in enumerate(index.comp_grid.tolist())}
    assert got == dfx.EXPECTED_GRID  # the G1|G2 edge, the 4-grid vertex, the G4|G6 edge, the outer corner
    assert sorted(index.report.on_grid_edge.tolist()) == [2, 3, 6, 11]
    assert int(np.count_nonzero(index.comp_grid >= 0)) == 11


def test_hand_district_pushdown_local_and_gpkg_agree(server, hand_gpkg, monkeypatch):
    gpkg = _index(gpkg_params(hand_gpkg))
    pushed = _index(pg_params(server, "hand"))
    monkeypatch.setenv("CITYCOMPONENTS_ENGINE", "local")
    local = _index(pg_params(server, "hand"))
    assert (gpkg.engine, pushed.engine, local.engine) == ("local", "postgis", "local")
    _same_index(gpkg, pushed)
    _same_index(gpkg, local)


def test_hand_district_every_region_statistics_agree(provider, server, hand_gpkg):
    gpkg, pg = gpkg_params(hand_gpkg), pg_params(server, "hand")
    for level, regions in ((0, dfx.EXPECTED_STREET), (1, dfx.EXPECTED_SUPERVISOR), (2, dfx.EXPECTED_COMMITTEE),
                           (3, dfx.EXPECTED_BY_GRID)):
        for region, expected in regions.items():
            on_pg = _statistics(pg, level, region)
            assert on_pg[1] == expected, (level, region)
            assert on_pg == _statistics(gpkg, level, region), (level, region)


# ----- the sample district (SCALE=0.1), every algorithm ----------------------------------------------
def test_sample_index_agrees_field_by_field(server, sample_pg, monkeypatch):
    gpkg = _index(gpkg_params(sample_pg))
    pushed = _index(pg_params(server, ps.SCHEMA))
    assert pushed.engine == "postgis" and pushed.components_read == gpkg.components_read > 10000
    assert len(gpkg.report.on_grid_edge) > 0  # the sample has points on grid edges and vertices
    _same_index(gpkg, pushed)
    monkeypatch.setenv("CITYCOMPONENTS_ENGINE", "local")
    _same_index(gpkg, _index(pg_params(server, ps.SCHEMA)))


def test_region_statistics_reads_no_component_on_postgis(provider, server, sample_pg, monkeypatch):
    """One region on PostGIS: the database answers for it and counts the district; no component is read
    (either reader fails the run if called), and the log is the whole index's, warning for warning."""
    from citycomponents_plugin.core.database import pushdown
    from citycomponents_plugin.core.engine import build

    gpkg, pg = gpkg_params(sample_pg), pg_params(server, ps.SCHEMA)
    street = sorted({str(f["街道名称"]).strip() for f in pg["STREETS"].getFeatures()})[1]
    expected = _statistics(gpkg, 0, street)

    def no_read(*_args, **_kwargs):
        raise AssertionError("the components were read")

    monkeypatch.setattr(build, "read_components", no_read)
    monkeypatch.setattr(pushdown, "read_columns", no_read)
    log = LogFeedback()
    res = _run("citycomponents:regionstatistics", {**pg, "LEVEL": 0, "REGION": street}, log)
    assert "Engine: postgis" in " ".join(log.messages)
    got = _statistics(pg, 0, street)
    assert got == expected and res["TOTAL"] == expected[0] > 1000
    # the sample's dirty data is counted by the database as by the whole index
    warnings = " ".join(got[-1])
    assert "have no geometry" in warnings and "duplicate component id" in warnings
    assert "stored grid code that differs" in warnings


def test_region_statistics_unknown_type_is_the_same_error_on_postgis(provider, server, hand_gpkg):
    """A TYPES name of no type: the database path fails with the whole index's message (not an empty answer)."""
    from qgis.core import QgsProcessingException

    def error(params: dict) -> str:
        with pytest.raises(QgsProcessingException) as err:
            _run("citycomponents:regionstatistics", {**params, "LEVEL": 0, "REGION": "东华门", "TYPES": "路灯,路登"})
        return str(err.value)

    # The file side as sources, not layer objects: after a Python algorithm's exception the run's
    # parameters stay referenced until the process ends, and a GeoPackage layer destroyed at the
    # interpreter's exit, after GDAL, crashes the test process.
    on_file = error(dfx.district_params(hand_gpkg))
    on_pg = error(pg_params(server, "hand"))
    assert on_file == on_pg and "路登" in on_pg


def test_region_statistics_on_a_view_of_the_components(provider, server, hand_gpkg):
    """Components from a view (no physical order to read them in): the whole index answers, as on the file."""
    server.sql(['CREATE OR REPLACE VIEW hand."部件视图" AS SELECT * FROM hand."城市部件"',
                f'GRANT SELECT ON hand."部件视图" TO {ps.READER}'])
    pg = pg_params(server, "hand")
    pg["COMPONENTS"] = [ps.postgres_layer(server, "部件视图", COMPONENTS, schema="hand")]
    assert pg["COMPONENTS"][0].isValid()
    assert _statistics(pg, 2, "乙社区") == _statistics(gpkg_params(hand_gpkg), 2, "乙社区")


def test_dirty_points_on_postgis_count_as_in_the_local_engine(provider, server, hand_gpkg, monkeypatch):
    """Dirty points in the database path: one with swapped coordinates (latitude 116, which PostGIS refuses
    to transform: before, it stopped every PostGIS run), one far outside the district, one with NaN
    coordinates. Counted and warned as the local engine counts them on the same layers (its reads and
    transforms are QGIS's), by regionstatistics and by the pushdown's whole index."""
    server.sql(['CREATE TABLE hand."部件_坏点" AS SELECT * FROM hand."城市部件"',
                'ALTER TABLE hand."部件_坏点" ADD PRIMARY KEY (fid)',
                'INSERT INTO hand."部件_坏点" (fid, "标识码", "名称", geom) VALUES '
                "(9001, '1101010101009001', '路灯', ST_Multi(ST_SetSRID(ST_MakePoint(39.9, 116.4), 4490))), "
                "(9002, '1101010101009002', '路灯', ST_Multi(ST_SetSRID(ST_MakePoint(100.0, 30.0), 4490))), "
                "(9003, '1101010101009003', '路灯', ST_Multi(ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 4490)))",
                f'GRANT SELECT ON hand."部件_坏点" TO {ps.READER}'])
    pg = pg_params(server, "hand")
    pg["COMPONENTS"] = [ps.postgres_layer(server, "部件_坏点", COMPONENTS, schema="hand")]
    log = LogFeedback()
    _run("citycomponents:regionstatistics", {**pg, "LEVEL": 2, "REGION": "乙社区"}, log)
    assert "Engine: postgis" in " ".join(log.messages)
    got = _statistics(pg, 2, "乙社区")
    pushed = _index(pg)  # the pushdown's whole index, as a batch export builds it
    monkeypatch.setenv("CITYCOMPONENTS_ENGINE", "local")
    expected = _statistics(pg, 2, "乙社区")
    assert got == expected
    assert got[2] == 16 and got[3] == 5  # the three in no grid; the NaN point without geometry, as a NULL
    assert "2 component(s) have no geometry" in " ".join(got[-1])
    local = _index(pg)
    assert pushed.engine == "postgis" and local.engine == "local"
    _same_index(pushed, local)


def test_region_statistics_falls_back_to_the_whole_index(provider, server, hand_gpkg, monkeypatch):
    """Where the database's text of an id column could differ from QGIS's (here: no type counts as exact),
    the whole index answers, read from the database, with the same outputs and log."""
    from citycomponents_plugin.core.database import district
    from citycomponents_plugin.core.engine import build

    gpkg, pg = gpkg_params(hand_gpkg), pg_params(server, "hand")
    expected = _statistics(gpkg, 2, "乙社区")
    reads = []
    real_read = build.read_components
    monkeypatch.setattr(build, "read_components", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    monkeypatch.setattr(district, "_TEXT_EXACT", ())
    assert _statistics(pg, 2, "乙社区") == expected and reads == [1]


def test_sample_region_statistics_agree(provider, server, sample_pg):
    gpkg, pg = gpkg_params(sample_pg), pg_params(server, ps.SCHEMA)
    index = _index(gpkg)
    from citycomponents_plugin.core.levels import Level

    for level, number in ((Level.STREET, 0), (Level.SUPERVISOR, 1), (Level.COMMITTEE, 2), (Level.GRID, 3)):
        regions = index.regions(level)
        region = regions[len(regions) // 2]  # one per level: each run builds the index (the hand district does all)
        assert _statistics(pg, number, region.key) == _statistics(gpkg, number, region.key), (level, region.key)


def _tree(folder: Path) -> dict:
    """Every file's content: text as bytes, workbooks as cell values, the manifest without run details."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            out[rel] = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
        elif path.name == "manifest.json":
            m = json.loads(path.read_text(encoding="utf-8"))
            for key in ("created", "inputs", "engine"):
                m.pop(key)
            m.get("edition", {}).pop("source", None)  # the layers' sources (files or a database)
            out[rel] = m
        else:
            out[rel] = path.read_bytes()
    return out


def test_sample_batch_export_agrees_file_by_file(provider, server, sample_pg, tmp_path):
    # Streets, supervisor areas and committees in every format (the grids' files: the index test above).
    params = {"FORMATS": [0, 1, 2], "LEVELS": [0, 1, 2]}
    _run("citycomponents:batchexport", {**gpkg_params(sample_pg), **params, "OUTPUT_FOLDER": str(tmp_path / "g")})
    log = LogFeedback()
    _run("citycomponents:batchexport", {**pg_params(server, ps.SCHEMA), **params,
                                        "OUTPUT_FOLDER": str(tmp_path / "p")}, log)
    manifest = json.loads((tmp_path / "p" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgis"
    assert any(line.startswith("Engine: postgis") for line in log.lines)
    assert json.loads((tmp_path / "g" / "manifest.json").read_text(encoding="utf-8"))["engine"] == "local"
    gpkg, pg = _tree(tmp_path / "g"), _tree(tmp_path / "p")
    assert len(gpkg) > 300 and list(gpkg) == list(pg)
    assert gpkg == pg


def test_sample_booklet_agrees(provider, server, sample_pg, tmp_path):
    index = _index(gpkg_params(sample_pg))
    from citycomponents_plugin.core.levels import Level

    regions = index.regions(Level.SUPERVISOR)
    small = min(regions, key=lambda r: len(index.region_members(Level.SUPERVISOR, r)) or 10 ** 9)
    texts = []
    for name, params in (("g", gpkg_params(sample_pg)), ("p", pg_params(server, ps.SCHEMA))):
        res = _run("citycomponents:booklet", {**params, "SUPERVISOR_AREAS": small.key,
                                              "OUTPUT_FOLDER": str(tmp_path / name)})
        (pdf,) = res["PDF_FILES"] if isinstance(res["PDF_FILES"], list) else json.loads(res["PDF_FILES"])
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True).stdout
        texts.append(text.decode("utf-8"))
    assert texts[0] == texts[1] and small.key in texts[0]


def test_local_engine_on_postgis_layers_writes_engine_local(provider, server, sample_pg, tmp_path, local_engine):
    log = LogFeedback()
    _run("citycomponents:batchexport", {**pg_params(server, ps.SCHEMA), "LEVELS": [0],
                                        "OUTPUT_FOLDER": str(tmp_path / "l")}, log)
    assert json.loads((tmp_path / "l" / "manifest.json").read_text(encoding="utf-8"))["engine"] == "local"
    assert any(line.startswith("Engine: local") for line in log.lines)


def test_mixed_sources_fall_back_to_local(provider, server, hand_gpkg, tmp_path):
    params = pg_params(server, "hand")
    params["COMPONENTS"] = gpkg_params(hand_gpkg)["COMPONENTS"]
    index = _index(params)
    assert index.engine == "local"
    assert {i: (index.grids[g].key if g >= 0 else None) for i, g in enumerate(index.comp_grid.tolist())} == \
        dfx.EXPECTED_GRID


# ----- security ------------------------------------------------------------------------------------
def _contains_password(path: Path) -> bool:
    secret = ps.READER_PASSWORD.encode()
    data = path.read_bytes()
    if secret in data:
        return True
    if zipfile.is_zipfile(path):  # xlsx, qgz: their members
        with zipfile.ZipFile(path) as zf:
            return any(secret in zf.read(name) for name in zf.namelist())
    return False


def _no_password_anywhere(out: Path, log_lines: list) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgis"
    assert manifest["inputs"]["GRIDS"]["source"].startswith("dbname=")
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20 and any(p.suffix == ".pdf" for p in files)
    assert [p for p in files if _contains_password(p)] == []
    assert log_lines and [line for line in log_lines if ps.READER_PASSWORD in line] == []


def test_no_password_in_outputs_log_or_manifest(provider, server, hand_gpkg, tmp_path):
    """Layers with the password in their URI (the form QGIS stores without authcfg)."""
    params = pg_params(server, "hand")
    assert ps.READER_PASSWORD in params["GRIDS"].source()
    log = LogFeedback()
    out = tmp_path / "out"
    _run("citycomponents:batchexport", {**params, "FORMATS": [0, 1, 2], "OUTPUT_FOLDER": str(out)}, log)
    _run("citycomponents:booklet", {**params, "OUTPUT_FOLDER": str(out / "booklets")}, log)
    res = _run("citycomponents:regionstatistics", {**params, "LEVEL": 0, "REGION": "东华门",
                                                   "STATISTICS": str(out / "s.gpkg"), "DETAILS": str(out / "d.csv")},
               log)
    assert res["TOTAL"] == 8
    _no_password_anywhere(out, log.lines)


def test_authcfg_login_leaves_no_password_in_outputs_log_manifest_or_project(server, hand_gpkg, tmp_path):
    """Layers logging in through QGIS's authentication database, in a QGIS process of its own."""
    out = tmp_path / "out"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, str(Path(__file__).parent / "postgis_authcfg_run.py"), str(server.port),
                           str(tmp_path / "config"), str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert ps.READER_PASSWORD not in proc.stdout + proc.stderr
    log_lines = (out / "log.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("Engine: postgis") for line in log_lines)
    _no_password_anywhere(out, log_lines)
    authcfg = (out / "authcfg.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "project.qgz") as zf:  # the project keeps the authcfg id, never the login
        qgs = zf.read(next(n for n in zf.namelist() if n.endswith(".qgs"))).decode("utf-8")
    assert f"authcfg={authcfg}" in qgs and ps.READER_PASSWORD not in qgs


def test_identifiers_are_quoted(server, hand_gpkg):
    """A table and a key named to break unquoted SQL are read as names, never run as SQL."""
    hostile = 'grids"; DROP TABLE hand."城市部件"; --'
    quoted = hostile.replace('"', '""')
    server.sql([f'CREATE TABLE hand."{quoted}" AS SELECT * FROM hand."单元网格"',
                f'ALTER TABLE hand."{quoted}" ADD PRIMARY KEY (fid)',
                f'GRANT SELECT ON ALL TABLES IN SCHEMA hand TO {ps.READER}'])
    params = pg_params(server, "hand")
    params["GRIDS"] = ps.postgres_layer(server, hostile, "单元网格", schema="hand")
    assert params["GRIDS"].isValid()
    index = _index(params)
    assert index.engine == "postgis"
    assert {i: (index.grids[g].key if g >= 0 else None) for i, g in enumerate(index.comp_grid.tolist())} == \
        dfx.EXPECTED_GRID
    assert ps.postgres_layer(server, COMPONENTS, COMPONENTS, schema="hand").featureCount() == len(dfx.COMPONENTS)


# ----- failures: clear messages, nothing written ----------------------------------------------------
def _export_error(params: dict, out: Path) -> str:
    from qgis.core import QgsProcessingException

    log = LogFeedback()
    with pytest.raises(QgsProcessingException) as err:
        _run("citycomponents:batchexport", {**params, "OUTPUT_FOLDER": str(out)}, log)
    message = str(err.value)
    assert ps.READER_PASSWORD not in message and ps.OWNER_PASSWORD not in message
    assert not [line for line in log.lines if ps.READER_PASSWORD in line]
    assert not out.exists() or not any(out.iterdir())  # nothing half-written
    return message


def test_wrong_password_is_a_clear_error(provider, server, hand_gpkg, tmp_path):
    params = pg_params(server, "hand")
    params["GRIDS"] = ps.postgres_layer(server, "单元网格", "单元网格", schema="hand", password="wrong-Pw-91")
    message = _export_error(params, tmp_path / "o")
    assert "refused the login" in message and "city" in message and "wrong-Pw-91" not in message


def test_no_postgis_extension_is_a_clear_error(provider, server, hand_gpkg, tmp_path):
    params = pg_params(server, "hand")
    params["GRIDS"] = ps.postgres_layer(server, "单元网格", "单元网格", schema="hand", database=ps.PLAIN_DATABASE)
    message = _export_error(params, tmp_path / "o")
    assert "has no PostGIS extension" in message and "'plain'" in message


def test_no_select_permission_is_a_clear_error(provider, server, hand_gpkg, tmp_path):
    server.sql('CREATE TABLE hand."网格_无权" AS SELECT * FROM hand."单元网格"; '
               'ALTER TABLE hand."网格_无权" ADD PRIMARY KEY (fid); '
               f'REVOKE ALL ON hand."网格_无权" FROM {ps.READER}')
    params = pg_params(server, "hand")
    params["GRIDS"] = ps.postgres_layer(server, "网格_无权", "单元网格", schema="hand")
    message = _export_error(params, tmp_path / "o")
    assert "may not read table 'hand.网格_无权'" in message and "SELECT" in message


def test_server_down_is_a_clear_error(provider, server, hand_gpkg, tmp_path):
    params = pg_params(server, "hand")  # opened while the server runs
    server.pg_ctl("stop")
    try:
        message = _export_error(params, tmp_path / "o")
        assert "cannot be reached" in message
        fresh = ps.postgres_layer(server, "单元网格", "单元网格", schema="hand")  # opened while it is down
        assert not fresh.isValid()
        message = _export_error({**params, "GRIDS": fresh}, tmp_path / "o2")
        assert "cannot be reached" in message
    finally:
        server.pg_ctl("start")


class _DropBetweenFetches:
    """A feedback whose cancel check (asked before each fetch) drops the reading connection for real:
    pg_terminate_backend from a second connection, once the first batch of rows is in."""

    def __init__(self, server, pid: int) -> None:
        self.server, self.pid, self.asked, self.killed = server, pid, 0, False

    def isCanceled(self) -> bool:  # noqa: N802 - the QgsFeedback name
        import psycopg2

        self.asked += 1
        if self.asked == 2 and not self.killed:
            killer = psycopg2.connect(self.server.conninfo())
            try:
                killer.autocommit = True
                with killer.cursor() as cur:
                    cur.execute("SELECT pg_terminate_backend(%s)", (self.pid,))
                    self.killed = bool(cur.fetchone()[0])
            finally:
                killer.close()
        return False


def test_connection_dropped_while_the_components_are_read(server, sample_pg, monkeypatch):
    """The psycopg2 component read (point_query) loses its connection between two batches of rows: the
    run stops with the operator's message for a lost connection, not with the rows read so far."""
    from citycomponents_plugin.core.database import point_query
    from citycomponents_plugin.core.database.connection import Database, table_ref
    from citycomponents_plugin.core.database.pushdown import aliased_filter
    from citycomponents_plugin.core.errors import CityComponentsError

    monkeypatch.setattr(point_query, "_BATCH", 5000)  # the test sample's rows in several batches
    layer = ps.postgres_layer(server, COMPONENTS, COMPONENTS, schema=ps.SCHEMA)
    assert layer.isValid() and layer.featureCount() > 2 * point_query._BATCH
    db = Database(layer)
    try:
        ref = table_ref(layer)
        feedback = _DropBetweenFetches(server, db.conn.get_backend_pid())
        with pytest.raises(CityComponentsError) as err:
            point_query.read_columns(db, ref, aliased_filter(ref, "c"), ["标识码", "名称"], feedback)
    finally:
        db.close()
    assert feedback.killed and feedback.asked == 2
    assert err.value.message.id == "database_connection_lost"
    message = str(err.value)
    assert "connection to the database 'city' was lost" in message and "Nothing was written" in message
    assert ps.READER_PASSWORD not in message


class DroppedMidQuery:
    """Drops a run's connection for real while its query waits: lock() takes an exclusive lock on the
    hand district's components from one connection, and a thread terminates, from another, the first
    plugin backend found waiting on it (pg_terminate_backend). close() releases the lock."""

    def __init__(self, server) -> None:
        import psycopg2

        self.blocker = psycopg2.connect(server.conninfo())
        self.killer = psycopg2.connect(server.conninfo())
        self.killer.autocommit = True
        self.killed: list = []
        self.thread = None

    def lock(self) -> None:
        import threading

        with self.blocker.cursor() as cur:
            cur.execute('LOCK TABLE hand."城市部件" IN ACCESS EXCLUSIVE MODE')
        self.thread = threading.Thread(target=self._terminate, daemon=True)
        self.thread.start()

    def _terminate(self) -> None:
        import threading

        with self.killer.cursor() as cur:
            for _ in range(600):
                cur.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'citycomponents' "
                            "AND wait_event_type = 'Lock'")
                rows = cur.fetchall()
                if rows:
                    cur.execute("SELECT pg_terminate_backend(%s)", (rows[0][0],))
                    self.killed.append(rows[0][0])
                    return
                threading.Event().wait(0.05)

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join(60)

    def close(self) -> None:
        self.blocker.rollback()
        self.blocker.close()
        self.killer.close()


def test_connection_dropped_mid_run(provider, server, hand_gpkg, tmp_path):
    """The assignment query is stopped for real: pg_terminate_backend from a second connection."""
    from qgis.core import QgsProcessingException

    drop = DroppedMidQuery(server)
    feedback = LogFeedback()

    def on_step(text: str) -> None:  # the components are read: lock their table before the SQL runs
        if text == "Assigning components to grids" and drop.thread is None:
            drop.lock()

    feedback.on_text = on_step
    out = tmp_path / "o"
    import processing

    try:
        with pytest.raises(QgsProcessingException) as err:
            processing.run("citycomponents:batchexport", {**pg_params(server, "hand"), "OUTPUT_FOLDER": str(out)},
                           feedback=feedback)
    finally:
        drop.close()
    assert drop.killed, "the run's query never waited on the lock"
    message = str(err.value)
    assert "connection to the database 'city' was lost" in message and "Nothing was written" in message
    assert ps.READER_PASSWORD not in message
    assert not out.exists() or not any(out.iterdir())


def test_connection_dropped_while_the_database_counts_the_district(provider, server, hand_gpkg, tmp_path):
    """regionstatistics on PostGIS: the district's aggregates are stopped for real (pg_terminate_backend
    while the query waits on a lock): the run fails naming the lost connection, and no output exists."""
    from qgis.core import QgsProcessingException

    drop = DroppedMidQuery(server)
    feedback = LogFeedback()

    def on_step(text: str) -> None:
        if text == "Counting the district in the database" and drop.thread is None:
            drop.lock()

    feedback.on_text = on_step
    stats, details = tmp_path / "统计.csv", tmp_path / "明细.gpkg"
    try:
        with pytest.raises(QgsProcessingException) as err:
            _run("citycomponents:regionstatistics", {**pg_params(server, "hand"), "LEVEL": 0, "REGION": "东华门",
                                                     "STATISTICS": str(stats), "DETAILS": str(details)}, feedback)
    finally:
        drop.close()
    assert drop.killed, "the district's count never waited on the lock"
    message = str(err.value)
    assert "connection to the database 'city' was lost" in message, message
    assert ps.READER_PASSWORD not in message
    assert not stats.exists() and not details.exists()


def test_server_binaries_are_found():
    bindir = ps.server_binaries()
    assert bindir is not None and (bindir / "pg_ctl").exists()
    assert os.path.basename(os.path.dirname(bindir)).isdigit()


# ----- one region straight from the database (what a panel asks) --------------------------------
def _expected(index, level, region) -> tuple:
    members = index.region_members(level, region)
    return len(members), index.statistics(members), index.detail_rows(members)


def test_invalid_grid_is_repaired_in_the_database_too(server, hand_gpkg, monkeypatch):
    """Invalid grids made valid as the local reader does: a bow-tie (crossing itself at (50, 50);
    repaired, two triangles, as in test_engine) and a square whose "hole" lies outside it (repaired,
    the hole becomes a second polygon of the grid: a point in it is in the grid)."""
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    x0, y0 = dfx.X0, dfx.Y0
    bowtie = f"POLYGON(({x0} {y0},{x0 + 100} {y0 + 100},{x0 + 100} {y0},{x0} {y0 + 100},{x0} {y0}))"
    outside_hole = (f"POLYGON(({x0 + 300} {y0},{x0 + 400} {y0},{x0 + 400} {y0 + 100},{x0 + 300} {y0 + 100},"
                    f"{x0 + 300} {y0}),({x0 + 500} {y0},{x0 + 550} {y0},{x0 + 550} {y0 + 50},{x0 + 500} {y0}))")
    probes = ((20, 50), (80, 50), (50, 20), (50, 80), (540, 10), (350, 50))
    server.sql(["CREATE TABLE hand.bowtie (fid serial PRIMARY KEY, 网格编码 text, geom geometry(Polygon, 4548))",
                f"INSERT INTO hand.bowtie (网格编码, geom) VALUES ('{dfx.G1}', ST_GeomFromText('{bowtie}', 4548))",
                f"INSERT INTO hand.bowtie (网格编码, geom) VALUES "
                f"('{dfx.G2}', ST_GeomFromText('{outside_hole}', 4548))",
                "CREATE TABLE hand.probes (fid serial PRIMARY KEY, 标识码 text, 名称 text, geom geometry(Point, 4548))",
                *(f"INSERT INTO hand.probes (标识码, 名称, geom) VALUES "
                  f"('p{x}_{y}', '路灯', ST_SetSRID(ST_MakePoint({x0 + x}, {y0 + y}), 4548))" for x, y in probes),
                f"GRANT SELECT ON ALL TABLES IN SCHEMA hand TO {ps.READER}"])
    grids = ps.postgres_layer(server, "bowtie", "grids", schema="hand")
    points = ps.postgres_layer(server, "probes", "probes", schema="hand")
    index = build_index(DistrictInputs(grids=grids, components=[points]))
    assert index.engine == "postgis"
    assert [code for _fid, code in index.grid_repaired] == [dfx.G1, dfx.G2]
    located = dict(zip(index.comp_id.tolist(), index.grid_code_of(np.arange(index.components_read))))
    monkeypatch.setenv("CITYCOMPONENTS_ENGINE", "local")
    local = build_index(DistrictInputs(grids=grids, components=[points]))
    assert [located[f"p{x}_{y}"] for x, y in probes] == [dfx.G1, dfx.G1, "", "", dfx.G2, dfx.G2]
    assert np.array_equal(local.comp_grid, index.comp_grid) and local.engine == "local"


# ----- the panel's region index: grids and regions from the database, each count asked of it -----
def _region_index(server, schema: str):
    from citycomponents_plugin.core.database.region_index import build_region_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    params = pg_params(server, schema)
    inputs = DistrictInputs(grids=params["GRIDS"], components=params["COMPONENTS"], committees=params["COMMITTEES"],
                            streets=params["STREETS"], supervisors=params["SUPERVISORS"])
    return build_region_index(inputs), inputs


def _same_regions(light, index) -> None:
    assert light.components_in_database and not index.components_in_database
    assert [(g.key, g.fid) for g in light.grids] == [(g.key, g.fid) for g in index.grids]
    assert light.levels_present() == index.levels_present()
    for level in index.levels:
        assert [(r.key, r.fid, r.pseudo) for r in light.regions(level)] == \
            [(r.key, r.fid, r.pseudo) for r in index.regions(level)]
        assert light.grid_region(level).tolist() == index.grid_region(level).tolist()
    assert light.type_names == index.type_names
    assert light.components_read == 0


def test_region_index_counts_every_region_as_the_whole_index(server, hand_gpkg):
    from citycomponents_plugin.core.database.region_index import count_region
    from citycomponents_plugin.core.levels import Level

    index = _index(gpkg_params(hand_gpkg))
    light, inputs = _region_index(server, "hand")
    _same_regions(light, index)
    for level in (Level.STREET, Level.SUPERVISOR, Level.COMMITTEE, Level.GRID):
        for region in light.regions(level):
            got = count_region(light, inputs, level, region)
            assert (got.total, got.statistics, got.details) == _expected(index, level, region), (level, region.key)
            members = index.region_members(level, index.find_region(level, region.key))
            assert got.members == list(zip(index.comp_layer[members].tolist(), index.comp_fid[members].tolist()))
    # a type filter keeps only those types, as region_members does
    street = light.regions(Level.STREET)[0]
    got = count_region(light, inputs, Level.STREET, street, ["路灯"])
    members = index.region_members(Level.STREET, street, ["路灯"])
    assert got.details == index.detail_rows(members) and got.statistics == [("路灯", 4)]


def test_region_index_on_the_sample_streets(server, sample_pg):
    from citycomponents_plugin.core.database.region_index import count_region
    from citycomponents_plugin.core.levels import Level

    index = _index(gpkg_params(sample_pg))
    light, inputs = _region_index(server, ps.SCHEMA)
    _same_regions(light, index)
    for region in light.regions(Level.STREET):
        got = count_region(light, inputs, Level.STREET, region)
        assert (got.total, got.statistics, got.details) == _expected(index, Level.STREET, region), region.key


def test_region_index_is_not_built_where_the_local_engine_runs(server, hand_gpkg, local_engine):
    light, _inputs = _region_index(server, "hand")
    assert light is None


@pytest.fixture()
def pg_panel(qgis_iface, qgis_new_project, server, hand_gpkg):
    """The panel on the hand district's PostGIS layers (SELECT-only login), as an operator opens it."""
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    params = pg_params(server, "hand")
    layers = [*params["COMPONENTS"], *(params[p] for p in LAYERS)]
    QgsProject.instance().addMapLayers(layers)
    panel = StatisticsPanel(qgis_iface, parent=qgis_iface.mainWindow())
    yield panel, {layer.name(): layer for layer in layers}
    panel.close_and_cleanup()
    panel.deleteLater()
    QgsProject.instance().clear()
    QCoreApplication.processEvents()


def test_panel_counts_in_the_database_before_the_components_are_read(pg_panel, hand_gpkg, monkeypatch):
    """The region lists come from the region index; 统计 is answered by the database (in a task) with
    the hand-worked numbers, the map selects the region's components; then the whole index replaces
    it, the shown result stays, and the same count comes from memory."""
    import threading

    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.gui import index_cache

    # The components are read slowly (as at city scale): the whole build waits until the test lets it go.
    read_on = threading.Event()
    real_build = index_cache.build_index

    def slow_build(inputs, feedback):
        read_on.wait(120)
        return real_build(inputs, feedback)

    monkeypatch.setattr(index_cache, "build_index", slow_build)
    panel, layers = pg_panel
    light = panel.ensure_index()
    assert light is not None and light.components_in_database
    assert [panel.streetCombo.itemText(i) for i in range(1, panel.streetCombo.count())] == ["东华门", "景山"]
    panel.picker.select(Level.COMMITTEE, "乙社区")
    assert panel.count() is None  # asked of the database
    result = panel.wait_for_count()
    assert result is not None and result.in_database
    expected = sorted(dfx.EXPECTED_COMMITTEE["乙社区"].items(), key=lambda kv: (-kv[1], kv[0]))
    assert result.statistics == expected
    assert [row[0] for row in result.rows] == ["1101010101000003", "1101010102000001", "1101010118000003", "=1+2"]
    comps = layers[COMPONENTS]
    assert {comps.getFeature(fid)["标识码"] for fid in comps.selectedFeatureIds()} == {r[0] for r in result.rows}
    assert panel.show_component(0)
    # a type filter: only the checked types are counted
    panel.picker.select(Level.STREET, "东华门")
    every_type = panel.type_model.checked_types()
    panel.type_model.set_checked(["路灯"])
    panel.count()
    result = panel.wait_for_count()
    assert result.statistics == [("路灯", 4)] and result.types == ["路灯"]
    panel.type_model.set_checked(every_type)

    assert panel.cache.building() and panel.cancelButton.isEnabled()  # the components are read meanwhile
    read_on.set()
    panel.cache.wait()  # the whole index, read after the region index
    index = panel.cache.index
    assert index is not None and not index.components_in_database and panel.result is not None
    panel.picker.select(Level.COMMITTEE, "乙社区")
    memory = panel.count()
    assert memory is not None and not memory.in_database and memory.statistics == expected


def test_panel_count_survives_a_connection_dropped_mid_count(pg_panel, server, monkeypatch):
    """The database's count is stopped for real (pg_terminate_backend while its query waits on a lock):
    the panel says the connection was lost, without the password, QGIS goes on, and the next 统计
    connects again and gets the hand-worked numbers."""
    import threading

    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.gui import index_cache

    read_on = threading.Event()  # the whole index waits: every count goes to the database
    real_build = index_cache.build_index
    monkeypatch.setattr(index_cache, "build_index", lambda inputs, feedback: (read_on.wait(120),
                                                                              real_build(inputs, feedback))[1])
    panel, _layers = pg_panel
    expected = sorted(dfx.EXPECTED_COMMITTEE["乙社区"].items(), key=lambda kv: (-kv[1], kv[0]))
    try:
        assert panel.ensure_index().components_in_database
        panel.picker.select(Level.COMMITTEE, "乙社区")
        panel.count()
        assert panel.wait_for_count().statistics == expected  # the counter's connection is open now

        drop = DroppedMidQuery(server)
        try:
            drop.lock()
            panel.picker.select(Level.STREET, "东华门")
            panel.count()
            drop.wait()
        finally:
            drop.close()
        assert drop.killed, "the panel's count never waited on the lock"
        panel.wait_for_count()
        message = panel.message_text()
        assert "connection to the database 'city' was lost" in message, message
        assert ps.READER_PASSWORD not in message and panel.summaryLabel.text() == ""
        assert panel.cache.counter._engine is None  # the dead connection was let go

        panel.picker.select(Level.COMMITTEE, "乙社区")
        panel.count()
        again = panel.wait_for_count()
        assert again.in_database and again.statistics == expected and panel.message_text() == ""
    finally:
        read_on.set()
        panel.cache.wait()
