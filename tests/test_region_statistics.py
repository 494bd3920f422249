"""citycomponents:regionstatistics through Processing and qgis_process, and the native-count oracle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def fixture_path(tmp_path, qgis_app) -> Path:
    return dfx.write_district(tmp_path / "d.gpkg", component_epsg=4490)


def _params(path: Path, **extra) -> dict:
    return dfx.district_params(path, **{"STATISTICS": "TEMPORARY_OUTPUT", "DETAILS": "TEMPORARY_OUTPUT", **extra})


def test_committee_statistics_and_details(provider, fixture_path):
    import processing

    res = processing.run("citycomponents:regionstatistics", _params(fixture_path, LEVEL=2, REGION="乙社区"))
    assert res["TOTAL"] == 4
    assert json.loads(res["BY_TYPE"]) == dfx.EXPECTED_COMMITTEE["乙社区"]
    stats = [(f["部件名称"], f["部件总数"]) for f in res["STATISTICS"].getFeatures()]
    assert stats == [("路灯", 2), ("上水井盖", 1), ("污水井盖", 1)]
    details = res["DETAILS"]
    assert details.crs().authid() == "EPSG:4548"
    rows = [(f["标识码"], f["名称"], f["单元网格"]) for f in details.getFeatures()]
    assert rows == [("1101010101000003", "上水井盖", dfx.G3), ("1101010102000001", "污水井盖", dfx.G4),
                    ("1101010118000003", "路灯", dfx.G4), ("=1+2", "路灯", dfx.G4)]
    assert res["COMPONENTS_READ"] == len(dfx.COMPONENTS) and res["UNASSIGNED"] == 2


def test_grid_query_with_type_filter(provider, fixture_path):
    import processing

    res = processing.run("citycomponents:regionstatistics",
                         _params(fixture_path, LEVEL=3, REGION=dfx.G1, TYPES="路灯, 污水井盖"))
    assert json.loads(res["BY_TYPE"]) == {"路灯": 1}


def test_unknown_region_is_a_clear_error(provider, fixture_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="No 监督员责任区 named '丙' .*Did you mean"):
        processing.run("citycomponents:regionstatistics", _params(fixture_path, LEVEL=1, REGION="丙"))


def test_level_without_layer_is_a_clear_error(provider, fixture_path):
    import processing
    from qgis.core import QgsProcessingException

    params = _params(fixture_path, LEVEL=0, REGION="东华门")
    del params["STREETS"]
    with pytest.raises(QgsProcessingException, match="STREETS"):
        processing.run("citycomponents:regionstatistics", params)


def _qgis_process_env(tmp_path: Path) -> dict:
    env = dict(os.environ, QGIS_PLUGINPATH=str(REPO), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
               QT_QPA_PLATFORM="offscreen")
    return env


@pytest.mark.skipif(shutil.which("qgis_process.bin") is None, reason="qgis_process.bin not installed")
def test_qgis_process_reproduces_processing_run(provider, fixture_path, tmp_path):
    """The command line gives the numbers processing.run (and so the dialog) gives."""
    env = _qgis_process_env(tmp_path)
    subprocess.run(["qgis_process.bin", "plugins", "enable", "citycomponents_plugin"], env=env, check=True,
                   capture_output=True, timeout=120)
    listing = subprocess.run(["qgis_process.bin", "list"], env=env, check=True, capture_output=True, text=True,
                             timeout=120).stdout
    for alg in ("citycomponents:regionstatistics", "citycomponents:generatesample", "citycomponents:batchexport",
                "citycomponents:booklet"):
        assert alg in listing
    out = tmp_path / "stats.csv"
    cmd = ["qgis_process.bin", "run", "citycomponents:regionstatistics", "--json", "--",
           f"GRIDS={fixture_path}|layername=单元网格", f"SUPERVISORS={fixture_path}|layername=监督员责任区",
           f"COMPONENTS={fixture_path}|layername=城市部件", "LEVEL=1", "REGION=甲乙区",
           f"STATISTICS={out}", f"DETAILS={tmp_path / 'details.gpkg'}"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    result = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert result["TOTAL"] == 8
    assert json.loads(result["BY_TYPE"]) == dfx.EXPECTED_SUPERVISOR["甲乙区"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].replace('"', "") == "部件名称,部件总数" and len(lines) == 4


def test_native_count_oracle_on_sample(provider, sample_gpkg):
    """QGIS's native:countpointsinpolygon agrees grid by grid on every point not on a grid edge.

    Native uses GEOS `contains`, so a point exactly on an edge is counted in no grid (or, after a
    CRS round trip, in whichever grid it landed in by a nanometre); the engine gives it to the
    smallest code. Taking the edge points out must leave no difference at all.
    """
    import processing

    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in ("单元网格", "城市部件")}
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]]))
    edge = index.report.on_grid_edge
    assert 0 < len(edge) < 0.01 * index.components_read
    edge_fids = ",".join(str(f) for f in index.comp_fid[edge].tolist())
    not_edge = QgsVectorLayer(f"{sample_gpkg}|layername=城市部件", "not_edge", "ogr")
    assert not_edge.setSubsetString(f"fid NOT IN ({edge_fids})")
    res = processing.run("native:countpointsinpolygon", {"POLYGONS": layers["单元网格"], "POINTS": not_edge,
                                                          "FIELD": "NUMPOINTS", "OUTPUT": "TEMPORARY_OUTPUT"})
    native = {f["网格编码"]: int(f["NUMPOINTS"]) for f in res["OUTPUT"].getFeatures()}
    keep = np.ones(index.components_read, dtype=bool)
    keep[edge] = False
    ours = np.bincount(index.comp_grid[keep & (index.comp_grid >= 0)], minlength=len(index.grids))
    ours_by_code = {g.key: int(ours[g.index]) for g in index.grids}
    assert ours_by_code == native
    # And the edge points are all in the engine's answer, each exactly once.
    per_grid = index.crosstab(Level.GRID).sum(axis=1)
    assert int(per_grid.sum()) == index.assigned == int(ours.sum()) + int((index.comp_grid[edge] >= 0).sum())
