"""The command line as a new user meets it: optional outputs, and an error printed once by qgis_process."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import district_fixtures as dfx

REPO = Path(__file__).resolve().parent.parent
needs_qgis_process = pytest.mark.skipif(shutil.which("qgis_process.bin") is None,
                                        reason="qgis_process.bin not installed")


@pytest.fixture()
def fixture_path(tmp_path, qgis_app) -> Path:
    return dfx.write_district(tmp_path / "d.gpkg", component_epsg=4490)


def test_statistics_and_details_are_optional_outputs(provider):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById("citycomponents:regionstatistics")
    for name in ("STATISTICS", "DETAILS"):
        sink = alg.parameterDefinition(name)
        assert sink.flags() & sink.FlagOptional, name
        assert sink.createByDefault(), name  # the toolbox still creates both unless skipped


def test_only_the_outputs_asked_for_are_written(provider, fixture_path):
    import processing

    res = processing.run("citycomponents:regionstatistics", dfx.district_params(fixture_path, LEVEL=2, REGION="乙社区"))
    assert res["TOTAL"] == 4 and json.loads(res["BY_TYPE"]) == dfx.EXPECTED_COMMITTEE["乙社区"]
    assert "STATISTICS" not in res and "DETAILS" not in res

    res = processing.run("citycomponents:regionstatistics", dfx.district_params(
        fixture_path, LEVEL=2, REGION="乙社区", STATISTICS="TEMPORARY_OUTPUT"))
    assert [(f["部件名称"], f["部件总数"]) for f in res["STATISTICS"].getFeatures()] == [
        ("路灯", 2), ("上水井盖", 1), ("污水井盖", 1)]
    assert "DETAILS" not in res


def _qgis_process(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QGIS_PLUGINPATH=str(REPO), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
               QT_QPA_PLATFORM="offscreen")
    if not (tmp_path / "profile").exists():
        subprocess.run(["qgis_process.bin", "plugins", "enable", "citycomponents_plugin"], env=env, check=True,
                       capture_output=True, timeout=120)
    return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True, timeout=180)


@needs_qgis_process
@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_an_engine_error_is_printed_once(fixture_path, tmp_path, json_output):
    """Without the fix qgis_process printed the message three times (see processing_provider/error_channel.py)."""
    proc = _qgis_process(tmp_path, "run", "citycomponents:regionstatistics", *(["--json"] if json_output else []),
                         "--", f"GRIDS={fixture_path}|layername=单元网格",
                         f"COMPONENTS={fixture_path}|layername=城市部件", "LEVEL=3", "REGION=11010199999999")
    combined = proc.stdout + proc.stderr
    assert proc.returncode != 0, combined
    message = "No 单元网格 named '11010199999999'"
    assert combined.count(message) == 1, combined
    if not json_output:
        assert f"ERROR:\t{message}" in proc.stderr


@needs_qgis_process
def test_an_existing_sample_is_refused_once(tmp_path, qgis_app):
    target = tmp_path / "已有.gpkg"
    target.write_bytes(b"not replaced")
    proc = _qgis_process(tmp_path, "run", "citycomponents:generatesample", "--", "SCALE=0.01", f"OUTPUT={target}")
    combined = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert combined.count("already exists") == 1, combined
    assert target.read_bytes() == b"not replaced"


def _script(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([os.sys.executable, str(REPO / "scripts" / "run_algorithm.py"), *args], env=env,
                          capture_output=True, text=True, timeout=180, cwd=REPO)


def test_the_script_runner_answers_as_processing_run(fixture_path, tmp_path, provider):
    """scripts/run_algorithm.py runs our algorithms without the Processing plugin: same results, same errors."""
    import processing

    params = dfx.district_params(fixture_path, LEVEL=2, REGION="乙社区", STATISTICS=str(tmp_path / "a.csv"))
    expected = processing.run("citycomponents:regionstatistics", params)
    args = [f"{key}={';'.join(value) if isinstance(value, list) else value}"
            for key, value in dict(params, STATISTICS=str(tmp_path / "b.csv")).items()]
    proc = _script("citycomponents:regionstatistics", *args)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout[re.search(r"^\{$", proc.stdout, re.M).start():])  # after the progress lines
    assert results["TOTAL"] == expected["TOTAL"] == 4
    assert json.loads(results["BY_TYPE"]) == json.loads(expected["BY_TYPE"]) == dfx.EXPECTED_COMMITTEE["乙社区"]
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()

    failed = _script("citycomponents:regionstatistics", *args[:-1], "REGION=没有这个社区")
    assert failed.returncode == 1
    assert "Error: No 社区居委会 named '没有这个社区'" in failed.stderr, failed.stderr
    missing = _script("citycomponents:nosuchalgorithm")
    assert missing.returncode == 1 and "nosuchalgorithm" in missing.stderr
