"""The command line as a new user meets it: outputs a user may not want are optional."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import district_fixtures as dfx


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
