"""compareeditions on a hand-made pair of editions holding each change class once (answers by hand).

The district is tests/district_fixtures.py (six 100 m grids; 甲 = G1+G2, 乙 = G3+G4, 丙 = G5+G6;
东华门 = 甲+乙, 景山 = 丙; 甲乙区 = 甲+乙, 丙南 = G5, 丙北 = G6). The earlier edition (早期, 10
components) and the later one (后期, 11) differ as follows, worked out by hand:

    A  ...0101000001  G1 -> G1  identical                          unchanged
    B  ...0101000002  G1        only in 早期                        removed (缺失)
    C  ...0118000001  G2 -> G2  部件状态 完好 -> 废弃               removed (废弃)
    D  ...0118000002  G4 -> G6  moved 100 m into another grid       moved (所在单元网格 changed too)
    E  ...0118000003  G5 -> G5  moved 5 m inside its grid           moved
    F  ...0102000001  G3 -> G3  部件状态 完好 -> 破损, 权属单位 甲 -> 乙  changed
    G  ...0102000002  G4 -> G4  moved 0.5 m (within 1 m)            unchanged
    H  ...0101000009  twice in 早期 (G1, G5), three times in 后期 (G5, G1, G3), the G5/G1 ones identical:
                      paired nearest first -> 2 unchanged; the G3 one is added; reported as duplicate
    I  11010101O1000004 (letter O) G1 identical                     unchanged; reported as malformed
    J  ...0118000009  G6        only in 后期                        added

Counts: added 2, removed 2, moved 2, changed 1, unchanged 5 (12 rows). A change counts in the later
edition's region (removed: the earlier one's).
"""

from __future__ import annotations

import gc
import json
import os

import pytest
from osgeo import ogr

from citycomponents_plugin.core.editions.compare import compare_editions, level_rows
from citycomponents_plugin.core.editions.edition import edition_from_index
from citycomponents_plugin.core.editions.outputs import district_regions
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

P = "11010101"
FIELDS = ("标识码", "名称", "所在单元网格", "部件状态", "权属单位")
A, B, C, D, E = P + "01000001", P + "01000002", P + "18000001", P + "18000002", P + "18000003"
F, G, H, IDX, J = P + "02000001", P + "02000002", P + "01000009", "11010101O1000004", P + "18000009"
EARLIER = [  # (标识码, 名称, 所在单元网格, 部件状态, 权属单位, x, y)
    (A, "上水井盖", dfx.G1, "完好", "甲", 50, 50),
    (B, "上水井盖", dfx.G1, "完好", "甲", 30, 30),
    (C, "路灯", dfx.G2, "完好", "甲", 150, 50),
    (D, "路灯", dfx.G4, "完好", "甲", 150, 150),
    (E, "路灯", dfx.G5, "完好", "甲", 250, 50),
    (F, "污水井盖", dfx.G3, "完好", "甲", 50, 150),
    (G, "污水井盖", dfx.G4, "完好", "甲", 170, 170),
    (H, "上水井盖", dfx.G1, "完好", "甲", 20, 20),
    (H, "上水井盖", dfx.G5, "完好", "甲", 220, 20),
    (IDX, "上水井盖", dfx.G1, "完好", "甲", 60, 60),
]
LATER = [
    (A, "上水井盖", dfx.G1, "完好", "甲", 50, 50),
    (C, "路灯", dfx.G2, "废弃", "甲", 150, 50),
    (D, "路灯", dfx.G6, "完好", "甲", 250, 150),
    (E, "路灯", dfx.G5, "完好", "甲", 255, 50),
    (F, "污水井盖", dfx.G3, "破损", "乙", 50, 150),
    (G, "污水井盖", dfx.G4, "完好", "甲", 170.5, 170),
    (H, "上水井盖", dfx.G5, "完好", "甲", 220, 20),
    (H, "上水井盖", dfx.G1, "完好", "甲", 20, 20),
    (H, "上水井盖", dfx.G3, "完好", "甲", 60, 160),
    (IDX, "上水井盖", dfx.G1, "完好", "甲", 60, 60),
    (J, "路灯", dfx.G6, "完好", "甲", 260, 160),
]
EXPECTED_CLASS = {A: "unchanged", B: "removed", C: "removed", D: "moved", E: "moved", F: "changed",
                  G: "unchanged", IDX: "unchanged", J: "added"}
#                 added removed moved changed unchanged
EXPECTED_LEVELS = {
    Level.GRID: {dfx.G1: [0, 1, 0, 0, 3], dfx.G2: [0, 1, 0, 0, 0], dfx.G3: [1, 0, 0, 1, 0],
                 dfx.G4: [0, 0, 0, 0, 1], dfx.G5: [0, 0, 1, 0, 1], dfx.G6: [1, 0, 1, 0, 0]},
    Level.COMMITTEE: {"甲社区": [0, 2, 0, 0, 3], "乙社区": [1, 0, 0, 1, 1], "丙社区": [1, 0, 2, 0, 1]},
    Level.STREET: {"东华门": [1, 2, 0, 1, 4], "景山": [1, 0, 2, 0, 1]},
    Level.SUPERVISOR: {"甲乙区": [1, 2, 0, 1, 4], "丙南": [0, 0, 1, 0, 1], "丙北": [1, 0, 1, 0, 0]},
}


def _write_edition(ds, name: str, rows: list) -> None:
    lyr = ds.CreateLayer(name, dfx._srs(4548), ogr.wkbPoint)
    for f in FIELDS:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for *values, x, y in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for f, v in zip(FIELDS, values):
            feat[f] = v
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(dfx.X0 + x, dfx.Y0 + y)
        feat.SetGeometry(pt)
        lyr.CreateFeature(feat)


@pytest.fixture
def editions(tmp_path, qgis_app):
    path = tmp_path / "district.gpkg"  # written in one go: the district's polygons, then both editions
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    grid_rows = [((code,), dfx._rect(x, y, x + 100, y + 100)) for code, (x, y) in sorted(dfx.GRID_SQUARES.items())]
    dfx._polygon_layer(ds, "单元网格", ["网格编码"], grid_rows)
    dfx._polygon_layer(ds, "社区居委会", ["社区名称"], [((k,), v) for k, v in dfx.COMMITTEES.items()])
    dfx._polygon_layer(ds, "街道办事处", ["街道名称"], [((k,), v) for k, v in dfx.STREETS.items()])
    dfx._polygon_layer(ds, "监督员责任区", ["责任区名称", "监督员"],
                       [((k, person), wkt) for k, (wkt, person) in dfx.SUPERVISORS.items()])
    _write_edition(ds, "早期", EARLIER)
    _write_edition(ds, "后期", LATER)
    ds = None
    layers = dfx.load_layers(path)
    yield path, layers
    # pytest may keep a fixture's value until the session ends, after QGIS has exited: a layer freed
    # then crashes the interpreter. Let go of them while QGIS runs.
    layers.clear()


def _inputs(layers: dict, components: list) -> DistrictInputs:
    return DistrictInputs(grids=layers["单元网格"], components=components, committees=layers["社区居委会"],
                          streets=layers["街道办事处"], supervisors=layers["监督员责任区"])


def _compare(layers: dict):
    early_index = build_index(_inputs(layers, [layers["早期"]]))
    late_index = build_index(_inputs(layers, [layers["后期"]]))
    earlier = edition_from_index(early_index, [layers["早期"]])
    later = edition_from_index(late_index, [layers["后期"]])
    return compare_editions(earlier, later, 1.0), late_index


def test_each_class_once_by_hand(editions):
    _path, layers = editions
    cmp, _index = _compare(layers)
    assert cmp.counts() == {"added": 2, "removed": 2, "moved": 2, "changed": 1, "unchanged": 5}
    by_id: dict = {}
    for row in range(cmp.count):
        ident = cmp.later.ids[cmp.after[row]] if cmp.after[row] >= 0 else cmp.earlier.ids[cmp.before[row]]
        by_id.setdefault(str(ident), []).append(row)
    for ident, klass in EXPECTED_CLASS.items():
        (row,) = by_id[ident]
        assert ("added", "removed", "moved", "changed", "unchanged")[cmp.klass[row]] == klass, ident
    # The repeated 标识码: the two identical ones paired nearest first, the third added.
    h_rows = sorted(("added", "removed", "moved", "changed", "unchanged")[cmp.klass[r]] for r in by_id[H])
    assert h_rows == ["added", "unchanged", "unchanged"]
    added_h = [r for r in by_id[H] if cmp.klass[r] == 0][0]
    assert cmp.later.regions[Level.GRID][cmp.after[added_h]] == dfx.G3
    # Reasons and attributes, old and new.
    assert cmp.reason[by_id[B][0]] == "缺失"
    assert cmp.reason[by_id[C][0]] == "废弃"
    assert cmp.attribute_changes(by_id[F][0]) == {"部件状态": ["完好", "破损"], "权属单位": ["甲", "乙"]}
    assert cmp.attribute_changes(by_id[C][0]) == {"部件状态": ["完好", "废弃"]}
    assert cmp.attribute_changes(by_id[D][0]) == {"所在单元网格": [dfx.G4, dfx.G6]}
    assert cmp.attribute_changes(by_id[E][0]) == {}
    assert round(float(cmp.distance[by_id[E][0]]), 6) == 5.0
    assert round(float(cmp.distance[by_id[G][0]]), 6) == 0.5
    problems = {(p["id"], p["problem"]): (p["earlier"], p["later"]) for p in cmp.id_problems}
    assert problems == {(H, "duplicate"): (2, 3), (IDX, "malformed"): (1, 1)}


def test_counts_per_region_at_all_four_levels(editions):
    _path, layers = editions
    cmp, index = _compare(layers)
    regions = district_regions(index)
    for level, expected in EXPECTED_LEVELS.items():
        rows = {key: counts for key, _name, _code, counts, _t in level_rows(cmp, level, regions[level])}
        assert rows == expected, level


def test_tolerance_decides_small_moves(editions):
    _path, layers = editions
    cmp, _ = _compare(layers)
    looser = compare_editions(cmp.earlier, cmp.later, 10.0)
    assert looser.counts() == {"added": 2, "removed": 2, "moved": 1, "changed": 1, "unchanged": 6}
    stricter = compare_editions(cmp.earlier, cmp.later, 0.1)
    assert stricter.counts()["moved"] == 3


def _run(params: dict):
    import processing

    return processing.run("citycomponents:compareeditions", params)


def test_algorithm_writes_workbook_json_and_layers(editions, tmp_path, provider):
    path, _layers = editions
    out = tmp_path / "cmp"
    params = dfx.district_params(path, COMPONENTS=[f"{path}|layername=后期"], EARLIER=[f"{path}|layername=早期"],
                                 OUTPUT_FOLDER=str(out), CHANGES=str(tmp_path / "changes.gpkg"),
                                 MOVES=str(tmp_path / "moves.gpkg"))
    res = _run(params)
    assert (res["ADDED"], res["REMOVED"], res["MOVED"], res["CHANGED"], res["UNCHANGED"]) == (2, 2, 2, 1, 5)
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["counts"] == {"added": 2, "removed": 2, "moved": 2, "changed": 1, "unchanged": 5}
    assert sorted(data["levels"]) == ["committee", "grid", "street", "supervisor"]
    grid = {e["key"]: [e[c] for c in ("added", "removed", "moved", "changed", "unchanged")]
            for e in data["levels"]["grid"]}
    assert grid == EXPECTED_LEVELS[Level.GRID]
    changes = {(c["id"], c["class"]) for c in data["changes"]}
    assert changes == {(B, "removed"), (C, "removed"), (D, "moved"), (E, "moved"), (F, "changed"), (H, "added"),
                       (J, "added")}
    f_change = [c for c in data["changes"] if c["id"] == F][0]
    assert f_change["attributes"] == {"部件状态": ["完好", "破损"], "权属单位": ["甲", "乙"]}
    assert (f_change["grid_before"], f_change["grid_after"]) == (dfx.G3, dfx.G3)
    count, moved, lines = _read_change_layers(tmp_path)
    assert count == 7
    assert moved[D] == (250, 150)  # at its new position
    assert lines == {D: [(150, 150), (250, 150)], E: [(250, 50), (255, 50)]}
    import openpyxl

    wb = openpyxl.load_workbook(out / "变更.xlsx", read_only=True)
    assert wb.sheetnames == ["街道", "监督员责任区", "社区居委会", "单元网格", "按类型", "变更明细", "标识码问题"]
    streets = list(wb["街道"].iter_rows(values_only=True))
    assert streets[0][:7] == ("代码", "名称", "新增", "删除", "移位", "变更", "未变")
    assert [r[1:7] for r in streets[1:]] == [("东华门", 1, 2, 0, 1, 4), ("景山", 1, 0, 2, 0, 1)]
    detail = list(wb["变更明细"].iter_rows(values_only=True))
    assert len(detail) == 8 and all(isinstance(r[0], str) for r in detail[1:])
    assert isinstance(detail[1][3], str)  # grid codes stay text
    # The same run again is refused unless OVERWRITE.
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="already holds a comparison"):
        _run(params)
    _run({**params, "OVERWRITE": True, "CHANGES": str(tmp_path / "changes2.gpkg"), "MOVES": str(tmp_path / "m2.gpkg")})
    gc.collect()  # nothing of QGIS may outlive the test (freed after QGIS exits, it crashes the interpreter)


def _read_change_layers(folder):
    """The CHANGES and MOVES layers as plain values (the layers are gone when this returns)."""
    from qgis.core import QgsVectorLayer

    points = QgsVectorLayer(str(folder / "changes.gpkg"), "changes", "ogr")
    count = points.featureCount()
    moved = {}
    for f in points.getFeatures():
        if f["变更类别"] == "移位":
            p = f.geometry().asPoint()
            moved[f["标识码"]] = (p.x() - dfx.X0, p.y() - dfx.Y0)
    lines_layer = QgsVectorLayer(str(folder / "moves.gpkg"), "moves", "ogr")
    lines = {f["标识码"]: [(p.x() - dfx.X0, p.y() - dfx.Y0) for p in f.geometry().asPolyline()]
             for f in lines_layer.getFeatures()}
    return count, moved, lines


def test_folder_edition_from_a_batch_export(editions, tmp_path, provider):
    """The earlier edition recorded by batchexport: comparing against the folder alone gives the same answer."""
    import processing

    path, _layers = editions
    batch = tmp_path / "batch"
    processing.run("citycomponents:batchexport", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=早期"], OUTPUT_FOLDER=str(batch), EDITION_DATE="2012-06-30"))
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"]["date"] == "2012-06-30" and manifest["edition"]["components"] == 10
    assert "部件版本.json" in manifest["files"]
    out = tmp_path / "cmp"
    res = _run(dfx.district_params(path, COMPONENTS=[f"{path}|layername=后期"], EARLIER_FOLDER=str(batch),
                                   OUTPUT_FOLDER=str(out)))
    assert (res["ADDED"], res["REMOVED"], res["MOVED"], res["CHANGED"], res["UNCHANGED"]) == (2, 2, 2, 1, 5)
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["earlier"]["date"] == "2012-06-30"
    street = {e["key"]: [e[c] for c in ("added", "removed", "moved", "changed", "unchanged")]
              for e in data["levels"]["street"]}
    assert street == EXPECTED_LEVELS[Level.STREET]
    # A record edited after the export is refused, naming the folder.
    edition_file = batch / "部件版本.json"
    edition_file.write_bytes(edition_file.read_bytes().replace("甲".encode(), "丁".encode(), 1))
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="does not record an edition"):
        _run(dfx.district_params(path, COMPONENTS=[f"{path}|layername=后期"], EARLIER_FOLDER=str(batch),
                                 OUTPUT_FOLDER=str(tmp_path / "cmp2")))


def test_no_earlier_edition_is_an_error(editions, tmp_path, provider):
    from qgis.core import QgsProcessingException

    path, _layers = editions
    with pytest.raises(QgsProcessingException, match="No earlier edition"):
        _run(dfx.district_params(path, COMPONENTS=[f"{path}|layername=后期"], OUTPUT_FOLDER=str(tmp_path / "x")))


def test_batch_export_with_previous_edition(editions, tmp_path, provider):
    """PREVIOUS_EDITION adds a 变更 sheet to each changed region's workbook and change columns to 汇总.xlsx."""
    import openpyxl
    import processing

    path, _layers = editions
    before, after = tmp_path / "before", tmp_path / "after"
    processing.run("citycomponents:batchexport", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=早期"], OUTPUT_FOLDER=str(before), FORMATS=[0]))
    processing.run("citycomponents:batchexport", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=后期"], OUTPUT_FOLDER=str(after), FORMATS=[0],
        PREVIOUS_EDITION=str(before)))
    wb = openpyxl.load_workbook(after / "单元网格" / f"{dfx.G6}.xlsx", read_only=True)
    assert wb.sheetnames == ["统计", "明细", "变更"]
    rows = list(wb["变更"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in rows[1:]] == [(P + "18000002", "移位"), (P + "18000009", "新增")]
    assert openpyxl.load_workbook(after / "单元网格" / f"{dfx.G4}.xlsx", read_only=True).sheetnames == ["统计", "明细"]
    summary = openpyxl.load_workbook(after / "汇总.xlsx", read_only=True)
    streets = list(summary["街道"].iter_rows(values_only=True))
    assert streets[0][-4:] == ("新增", "删除", "移位", "变更")
    assert {r[1]: r[-4:] for r in streets[1:]} == {"东华门": (1, 2, 0, 1), "景山": (1, 0, 2, 0), "合计": (2, 2, 2, 1)}
    # The removed 上水井盖 B of G1: its grid's workbook lists it though the later edition has nothing of it.
    g1 = list(openpyxl.load_workbook(after / "单元网格" / f"{dfx.G1}.xlsx", read_only=True)["变更"]
              .iter_rows(values_only=True))
    assert [(r[0], r[1], r[6]) for r in g1[1:]] == [(B, "删除", "缺失")]


def test_booklet_marks_new_and_changed_since_the_previous_edition(editions, tmp_path, provider):
    """丙北 (G6) holds D (moved in) and J (added): its grid page marks them, its cover counts them."""
    import subprocess

    import processing

    path, _layers = editions
    before = tmp_path / "before"
    processing.run("citycomponents:batchexport", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=早期"], OUTPUT_FOLDER=str(before), FORMATS=[1]))
    res = processing.run("citycomponents:booklet", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=后期"], OUTPUT_FOLDER=str(tmp_path / "pdf"),
        SUPERVISOR_AREAS="丙北,甲乙区", PREVIOUS_EDITION=str(before)))
    texts = {}
    for pdf in res["PDF_FILES"]:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True,
                             text=True)
        texts[os.path.basename(pdf)] = "".join(out.stdout.split())
    north = texts["丙北.pdf"]
    assert "较上版：新增1，删除0，移位1，变更0" in north
    assert "路灯（移）" in north and "路灯（新）" in north
    area = texts["甲乙区.pdf"]
    assert "较上版：新增1，删除2，移位0，变更1" in area
    assert "污水井盖（变）" in area and "上水井盖（新）" in area
    assert sum(area.count(m) for m in ("（新）", "（变）", "（移）")) == 2  # unchanged ones carry no mark


def test_dialog_shows_the_change_per_type_beside_the_counts(editions, tmp_path, provider, qgis_iface,
                                                            qgis_new_project):
    """乙社区 (G3+G4) in the later edition: 污水井盖 F changed, G unchanged; 上水井盖 H's third copy added."""
    import processing
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    path, layers = editions
    before = tmp_path / "before"
    processing.run("citycomponents:batchexport", dfx.district_params(
        path, COMPONENTS=[f"{path}|layername=早期"], OUTPUT_FOLDER=str(before), FORMATS=[1]))
    QgsProject.instance().addMapLayers([layers[n] for n in ("单元网格", "社区居委会", "街道办事处", "监督员责任区",
                                                            "后期")])
    dlg = StatisticsPanel(qgis_iface, parent=qgis_iface.mainWindow())
    try:
        assert dlg.ensure_index() is not None
        assert dlg.edition_panel.set_folder(str(before))
        assert dlg.edition_panel.status.text() == f"{manifest_date(before)}, 10 components"
        dlg.committeeCombo.setCurrentIndex(dlg.committeeCombo.findText("乙社区"))
        dlg.countButton.click()
        model = dlg.statistics_model
        rows = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
        assert rows == [("污水井盖", 2, "1 changed"), ("上水井盖", 1, "+1 new"), ("Total", 3, None)]
        assert model.headerData(2, 1) == "Since the previous edition"
        # No previous edition: two columns, as before.
        dlg.edition_panel.set_folder("")
        dlg.countButton.click()
        assert model.columnCount() == 2
    finally:
        dlg.close_and_cleanup()
        dlg.deleteLater()
        QgsProject.instance().clear()
        QCoreApplication.processEvents()


def manifest_date(folder) -> str:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["edition"]["date"]


def test_changes_json_is_json_with_a_line_per_change(editions, tmp_path, provider):
    path, _layers = editions
    out = tmp_path / "cmp"
    _run(dfx.district_params(path, COMPONENTS=[f"{path}|layername=后期"], EARLIER=[f"{path}|layername=早期"],
                             OUTPUT_FOLDER=str(out)))
    text = (out / "changes.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["earlier", "later", "tolerance", "counts", "compared_fields", "fields_only_earlier",
                          "fields_only_later", "id_problems", "changes", "levels"]
    change_lines = [line for line in text.splitlines() if line.startswith('  {"id": ')]
    assert len(change_lines) == len(data["changes"]) == 7
