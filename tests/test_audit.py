"""The data-quality audit on hand-made fixtures: one known instance of each problem, and a clean district.

Each mutation of the clean district (tests/audit_fixtures.py) plants one problem; the audit must
report exactly the checks that mutation lists, with the counts worked out by hand, and nothing else.
"""

from __future__ import annotations

import json

import pytest
from audit_fixtures import MALFORMED_REASONS, MUTATIONS, clean_district, mutated, second_layer, write
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.audit.checks import CHECKS
from citycomponents_plugin.core.audit.output import JSON_NAME, XLSX_NAME, problem_layer, write_audit
from citycomponents_plugin.core.audit.record import headline_lines, index_fingerprint, manifest_entry
from citycomponents_plugin.core.audit.run import run_audit
from citycomponents_plugin.core.codes import load_profiles
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.errors import CityComponentsError

from district_fixtures import G1, G2, G4, G5, G6, load_layers

PROFILES = load_profiles()


@pytest.fixture(autouse=True)
def audit_record(tmp_path, monkeypatch):
    path = tmp_path / "record.json"
    monkeypatch.setenv("CITYCOMPONENTS_AUDIT_RECORD", str(path))
    return path


def _inputs(path) -> DistrictInputs:
    layers = load_layers(path)
    points = [layers["城市部件"]] + ([layers["道路部件"]] if "道路部件" in layers else [])
    return DistrictInputs(grids=layers["单元网格"], components=points, committees=layers["社区居委会"],
                          streets=layers["街道办事处"], supervisors=layers["监督员责任区"])


def _audit(path, **kwargs):
    return run_audit(_inputs(path), PROFILES.ids[0], PROFILES.grids[0], **kwargs)


def _found(result) -> dict:
    return {k: v for k, v in result.counts().items() if v}


def test_the_clean_district_yields_no_finding(tmp_path, qgis_app):
    result = _audit(write(tmp_path / "clean.gpkg", clean_district()))
    assert [c.check.id for c in result.checks] == [c.id for c in CHECKS]
    assert _found(result) == {}
    assert result.components_read == 7 and result.grids_read == 6


@pytest.mark.parametrize("check_id", sorted(MUTATIONS))
def test_one_planted_problem_is_found_and_nothing_else(tmp_path, qgis_app, check_id):
    result = _audit(write(tmp_path / f"{check_id}.gpkg", mutated(check_id)))
    assert _found(result) == MUTATIONS[check_id][1]


def test_items_name_the_component_or_region_and_the_codes_involved(tmp_path, qgis_app):
    def items(check_id, key=None):
        result = _audit(write(tmp_path / f"{check_id}.gpkg", mutated(check_id)))
        return result.by_id(key or check_id).items

    assert items("stored_grid_mismatch") == [{"id": "1101010118000009", "layer": "城市部件", "fid": 8,
                                              "type": "路灯", "stored_grid": G1, "grid": "11010100100201"}]
    assert items("near_edge")[0]["grid"] == G1
    assert items("multiple_grids")[0]["grids"] == f"{G2},{G5}" and items("multiple_grids")[0]["grid"] == G2
    assert items("duplicate_id") == [{"id": "1101010101000001", "count": 2, "features": "城市部件:1; 城市部件:8"}]
    assert items("unknown_status")[0]["status"] == "损坏"
    assert items("duplicate_grid_code") == [{"key": G1, "count": 2, "features": "1, 7"}]
    assert items("malformed_grid_code") == [{"key": "110101002001O2", "fid": 6, "reason": "non_digit"}]
    overlap = items("grid_overlap")[0]
    assert (overlap["grid_a"], overlap["grid_b"], overlap["area"], overlap["share"]) == (G2, G5, 2000.0, 0.2)
    gap = items("grid_gap")[0]
    assert gap["area"] == 100.0 and 450120 < gap["x"] < 450130 and 4420170 < gap["y"] < 4420180
    assert items("grid_code_region_mismatch") == [{"key": "11010100100301", "level": "社区居委会", "segment": "003",
                                                   "region": "甲", "region_code": "110101001001"}]
    assert sorted(i["level"] for i in items("grid_without_region")) == sorted(["社区居委会", "监督员责任区", "街道"])
    # 景山 covers 99.8 m x 40 m of G6
    assert items("grid_weakly_covered") == [{"key": G6, "level": "街道", "region": "景山", "share": 0.3992}]
    assert items("region_overlap")[0]["region_a"] == "乙" and items("region_overlap")[0]["region_b"] == "甲"
    assert items("region_without_grid") == [{"key": "丁", "level": "社区居委会"}]
    assert items("supervisor_cuts_committee") == [{"key": "一区", "committee": "乙", "grids": "11010100100201"}]
    assert G4  # the G4 hole is the gap above


def test_a_second_layer_duplicates_across_layers_and_a_point_that_cannot_be_transformed(tmp_path, qgis_app):
    d = clean_district()
    d["道路部件"] = second_layer([("1101010118000001", "路灯", "完好", 116.38, 39.93, G1),  # the 路灯 of G2
                                  ("1101010118000010", "路灯", "完好", 116.38, 95.0, G1)], epsg=4490)
    result = _audit(write(tmp_path / "two.gpkg", d))
    found = _found(result)
    assert found.pop("untransformable") == 1 and result.by_id("untransformable").items[0]["layer"] == "道路部件"
    dup = result.by_id("duplicate_id").items
    assert found.pop("duplicate_id") == 1 and dup[0]["features"] == "城市部件:2; 道路部件:1"
    # the copy's point (116.38 E, 39.93 N) lies far from the fixture district: outside every grid
    assert found == {"outside_grids": 1}


@pytest.mark.parametrize("ident,name", sorted(MALFORMED_REASONS))
def test_each_kind_of_malformed_id_is_named(tmp_path, qgis_app, ident, name):
    d = clean_district()
    d["城市部件"]["rows"].append(((ident, name, "完好", G1), (60, 60)))
    result = _audit(write(tmp_path / "m.gpkg", d))
    assert _found(result) == {"malformed_id": 1}
    assert result.by_id("malformed_id").items[0]["reason"] == MALFORMED_REASONS[(ident, name)]


def test_other_profiles_change_what_is_malformed(tmp_path, qgis_app):
    path = write(tmp_path / "clean.gpkg", clean_district())
    long_ids = run_audit(_inputs(path), PROFILES.id_profile("17 位 6+2+3+6"), PROFILES.grids[0])
    assert long_ids.counts()["malformed_id"] == 7
    long_grids = run_audit(_inputs(path), PROFILES.ids[0], PROFILES.grid_profile("15 位 6+3+3+3"))
    assert long_grids.counts()["malformed_grid_code"] == 6 and long_grids.counts()["malformed_id"] == 0


def test_a_larger_tolerance_finds_more_points_near_edges(tmp_path, qgis_app):
    path = write(tmp_path / "clean.gpkg", clean_district())
    assert _audit(path, edge_tolerance=10.5).counts()["near_edge"] == 1  # (110, 110): 10 m from two edges
    with pytest.raises(CityComponentsError) as err:
        _audit(path, edge_tolerance=-1)
    assert err.value.message.id == "audit_bad_tolerance"


def test_files_layers_and_the_record(tmp_path, qgis_app, audit_record):
    path = write(tmp_path / "outside.gpkg", mutated("outside_grids"))
    inputs = _inputs(path)
    index = build_index(inputs)
    assert headline_lines(index_fingerprint(index)) == ["数据检查：同一输入未做过数据检查"]
    assert manifest_entry(index_fingerprint(index)) == {"ran": False}
    result = run_audit(inputs, PROFILES.ids[0], PROFILES.grids[0])
    assert result.fingerprint == index_fingerprint(index)
    paths = write_audit(result, str(tmp_path / "out"))
    doc = json.loads((tmp_path / "out" / JSON_NAME).read_text(encoding="utf-8"))
    assert set(doc) >= {"generator", "created", "profile", "inputs", "checks"}
    assert doc["profile"] == {"id": "16 位 6+2+2+6", "grid": "14 位 6+3+3+2"}
    by_id = {c["id"]: c for c in doc["checks"]}
    assert list(by_id) == [c.id for c in CHECKS]
    assert by_id["outside_grids"]["count"] == 1 and by_id["outside_grids"]["items"][0]["id"] == "1101010118000009"
    assert by_id["outside_grids"]["explanation"]

    import openpyxl

    wb = openpyxl.load_workbook(paths["xlsx"])
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[1:] == [c.id for c in CHECKS]
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[0] == ("检查", "编号", "说明", "个数", "处理办法")
    assert [r[3] for r in summary[1:] if r[1] == "outside_grids"] == [1]
    cell = wb["outside_grids"]["A2"]
    assert cell.value == "1101010118000009" and cell.data_type == "s"
    assert XLSX_NAME == "audit.xlsx"

    lines = headline_lines(index_fingerprint(index))
    assert lines[0].startswith("数据检查（") and lines[0].endswith("）：1 项检查发现问题 1 个")
    assert lines[1] == "区外部件 1"
    entry = manifest_entry(index_fingerprint(index))
    assert entry["ran"] and entry["counts"]["outside_grids"] == 1 and entry["path"] == paths["json"]
    other = build_index(DistrictInputs(grids=inputs.grids, components=inputs.components))  # fewer inputs
    assert manifest_entry(index_fingerprint(other)) == {"ran": False}

    points = problem_layer(result, "component", "p")
    assert points.featureCount() == 1 and points.renderer().type() == "categorizedSymbol"
    feat = next(points.getFeatures())
    assert feat["check"] == "outside_grids" and feat["explanation"] and feat["标识码"] == "1101010118000009"
    regions = problem_layer(_audit(write(tmp_path / "ov.gpkg", mutated("grid_overlap"))), "region", "r")
    feat = next(regions.getFeatures())
    assert feat["check"] == "grid_overlap" and abs(feat.geometry().area() - 2000.0) < 1e-6


def test_the_algorithm_writes_the_files_and_returns_both_layers(tmp_path, provider):
    import processing

    path = write(tmp_path / "dup.gpkg", mutated("duplicate_grid_code"))
    out = tmp_path / "audit"
    params = {"GRIDS": f"{path}|layername=单元网格", "COMMITTEES": f"{path}|layername=社区居委会",
              "STREETS": f"{path}|layername=街道办事处", "SUPERVISORS": f"{path}|layername=监督员责任区",
              "COMPONENTS": [f"{path}|layername=城市部件"], "OUTPUT_FOLDER": str(out),
              "PROBLEM_COMPONENTS": "TEMPORARY_OUTPUT", "PROBLEM_REGIONS": str(tmp_path / "regions.gpkg")}
    res = processing.run("citycomponents:audit", params)
    assert res["PROBLEMS"] == 1 and (out / "audit.xlsx").is_file() and (out / "audit.json").is_file()
    regions = QgsVectorLayer(res["PROBLEM_REGIONS"], "r", "ogr")
    assert [f["check"] for f in regions.getFeatures()] == ["duplicate_grid_code"]
    assert [f["对象"] for f in regions.getFeatures()] == [G1]
    assert res["PROBLEM_COMPONENTS"].featureCount() == 0


def test_manifest_and_booklet_cover_carry_the_audit_of_the_same_inputs(tmp_path, provider):
    import processing
    from test_booklet import pdf_text, squeeze

    path = write(tmp_path / "d.gpkg", mutated("stored_grid_mismatch"))
    params = {"GRIDS": f"{path}|layername=单元网格", "COMMITTEES": f"{path}|layername=社区居委会",
              "STREETS": f"{path}|layername=街道办事处", "SUPERVISORS": f"{path}|layername=监督员责任区",
              "COMPONENTS": [f"{path}|layername=城市部件"]}
    before = processing.run("citycomponents:batchexport", dict(params, OUTPUT_FOLDER=str(tmp_path / "b0")))
    assert json.loads(open(before["MANIFEST"], encoding="utf-8").read())["audit"] == {"ran": False}
    processing.run("citycomponents:audit", dict(params, OUTPUT_FOLDER=str(tmp_path / "a"),
                                                PROBLEM_COMPONENTS="TEMPORARY_OUTPUT",
                                                PROBLEM_REGIONS="TEMPORARY_OUTPUT"))
    after = processing.run("citycomponents:batchexport", dict(params, OUTPUT_FOLDER=str(tmp_path / "b1")))
    audit = json.loads(open(after["MANIFEST"], encoding="utf-8").read())["audit"]
    assert audit["ran"] and audit["counts"]["stored_grid_mismatch"] == 1 and sum(audit["counts"].values()) == 1
    assert audit["path"] == str((tmp_path / "a" / "audit.json").resolve())
    processing.run("citycomponents:booklet", dict(params, OUTPUT_FOLDER=str(tmp_path / "k"), SUPERVISOR_AREAS="丙北"))
    cover = squeeze(pdf_text(tmp_path / "k" / "丙北.pdf"))
    assert "1项检查发现问题1个" in cover and "网格不符1" in cover


def test_loaded_problem_layers_are_styled_by_check(tmp_path, provider, qgis_new_project, qgis_iface, monkeypatch):
    import processing
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    # QGIS 3.40's Processing puts loaded results into the layer tree view, which the test iface lacks.
    view = QgsLayerTreeView()
    view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
    if not hasattr(qgis_iface, "layerTreeView"):
        monkeypatch.setattr(qgis_iface, "layerTreeView", lambda: view, raising=False)

    path = write(tmp_path / "ov.gpkg", mutated("multiple_grids"))
    params = {"GRIDS": f"{path}|layername=单元网格", "COMPONENTS": [f"{path}|layername=城市部件"],
              "OUTPUT_FOLDER": str(tmp_path / "a"), "PROBLEM_COMPONENTS": "TEMPORARY_OUTPUT",
              "PROBLEM_REGIONS": "TEMPORARY_OUTPUT"}
    res = processing.runAndLoadResults("citycomponents:audit", params)
    for name, check in (("PROBLEM_COMPONENTS", "multiple_grids"), ("PROBLEM_REGIONS", "grid_overlap")):
        layer = QgsProject.instance().mapLayer(res[name])
        assert layer is not None and [f["check"] for f in layer.getFeatures()] == [check]
        renderer = layer.renderer()
        assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "check"
        assert check in [c.value() for c in renderer.categories()]
    QgsProject.instance().clear()
