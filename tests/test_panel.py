"""The statistics dialog driven like an operator: layers, cascade, 统计, map, saving, batch runs, errors, project.

Exact numbers come from the hand-made district (tests/district_fixtures.py); the sample district checks the
auto-detection on realistic names and that the dialog's numbers are the engine's and the algorithm's.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from qgis.core import Qgis, QgsApplication, QgsFeature, QgsField, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapToolIdentifyFeature
from qgis.PyQt.QtCore import QCoreApplication, Qt, QVariant

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx

SAMPLE_LAYERS = ["单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件", "门址", "参照物", "兴趣点"]


def _expected_stats(by_type: dict) -> list:
    return sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))


@pytest.fixture()
def bar(qgis_iface):
    """The fake iface's message bar, emptied for the test."""
    mb = qgis_iface.messageBar()
    for messages in mb.messages.values():
        messages.clear()
    return mb


@pytest.fixture()
def open_dialog(qgis_iface, qgis_new_project, bar):
    """Create dialogs as the plugin does; every one is cleaned up after the test."""
    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    made = []

    def make():
        dlg = StatisticsPanel(qgis_iface, parent=qgis_iface.mainWindow())
        made.append(dlg)
        return dlg

    yield make
    for dlg in made:
        dlg.close_and_cleanup()
        dlg.deleteLater()
    QgsProject.instance().clear()
    QCoreApplication.processEvents()


@pytest.fixture()
def hand_layers(tmp_path, qgis_new_project) -> dict:
    """The hand-made district (components in EPSG:4490, grids in EPSG:4548) loaded into the project."""
    path = dfx.write_district(tmp_path / "hand.gpkg", component_epsg=4490)
    layers = dfx.load_layers(path)
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


def _combo_items(combo) -> list:
    return [combo.itemText(i) for i in range(1, combo.count())]


def _stats_rows(dlg) -> list:
    model = dlg.statistics_model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def _detail_rows(dlg) -> list:
    model = dlg.detail_model
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def _wait(condition, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


# ----- layers and fields ----------------------------------------------------------------------------
def test_layers_and_fields_are_detected(open_dialog, hand_layers):
    dlg = open_dialog()
    assert dlg.gridLayerCombo.currentLayer() is hand_layers["单元网格"]
    assert dlg.committeeLayerCombo.currentLayer() is hand_layers["社区居委会"]
    assert dlg.streetLayerCombo.currentLayer() is hand_layers["街道办事处"]
    assert dlg.supervisorLayerCombo.currentLayer() is hand_layers["监督员责任区"]
    assert [dlg.gridFieldCombo.currentField(), dlg.committeeFieldCombo.currentField(),
            dlg.streetFieldCombo.currentField(), dlg.supervisorFieldCombo.currentField()] == \
        ["网格编码", "社区名称", "街道名称", "责任区名称"]
    assert [dlg.idFieldCombo.currentField(), dlg.typeFieldCombo.currentField(),
            dlg.gridAttrFieldCombo.currentField()] == ["标识码", "名称", "所在单元网格"]
    checked = [dlg.componentLayerList.item(i).text() for i in range(dlg.componentLayerList.count())
               if dlg.componentLayerList.item(i).checkState()]
    assert checked == ["城市部件"]
    # Detected fields are passed as "auto-detect", exactly like empty algorithm parameters.
    assert all(v == "" for v in dlg.settings().fields.values())


# ----- cascade, 统计, map ---------------------------------------------------------------------------
def test_cascade_and_count_give_the_hand_worked_answers(open_dialog, hand_layers, bar):
    dlg = open_dialog()
    index = dlg.ensure_index()
    assert index is not None and bar.get_messages(Qgis.Critical) == [], bar.messages
    assert _combo_items(dlg.streetCombo) == ["东华门", "景山"]
    dlg.streetCombo.setCurrentIndex(dlg.streetCombo.findText("东华门"))
    assert _combo_items(dlg.committeeCombo) == ["乙社区", "甲社区"]  # committees of the street's grids
    assert [t.split()[0] for t in _combo_items(dlg.supervisorCombo)] == ["甲乙区"]
    assert _combo_items(dlg.gridCombo) == [dfx.G1, dfx.G2, dfx.G3, dfx.G4]
    dlg.committeeCombo.setCurrentIndex(dlg.committeeCombo.findText("乙社区"))
    assert _combo_items(dlg.gridCombo) == [dfx.G3, dfx.G4]
    assert dlg.picker.query()[0] == Level.COMMITTEE and "乙社区" in dlg.queryLevelLabel.text()

    dlg.countButton.click()
    expected = _expected_stats(dfx.EXPECTED_COMMITTEE["乙社区"])
    assert _stats_rows(dlg) == expected + [("Total", 4)]
    assert _detail_rows(dlg) == [("1101010101000003", "上水井盖", dfx.G3), ("1101010102000001", "污水井盖", dfx.G4),
                                 ("1101010118000003", "路灯", dfx.G4), ("=1+2", "路灯", dfx.G4)]
    assert dlg.summaryLabel.text() == "Community committee 乙社区: 4 components of 3 types."

    # The map: the committee outlined, its components selected in their layer.
    assert dlg.map.highlight is not None
    comps = hand_layers["城市部件"]
    wanted = {f.id() for f in comps.getFeatures() if f["标识码"] in {r[0] for r in _detail_rows(dlg)}
              and f["所在单元网格"] != dfx.G5}
    assert set(comps.selectedFeatureIds()) == wanted and len(wanted) == 4
    assert dlg.show_component(0)  # double-click: pan and flash

    # The list sorts and filters itself; a displayed row still leads to its own component.
    dlg.detailView.sortByColumn(0, 1)  # 标识码 descending
    assert [r[0] for r in _detail_rows(dlg)] == ["=1+2", "1101010118000003", "1101010102000001", "1101010101000003"]
    dlg.detailFilterEdit.setText("污水")
    assert _detail_rows(dlg) == [("1101010102000001", "污水井盖", dfx.G4)]
    assert dlg.cache.index.comp_id[dlg.detail_model.component_at(0)] == "1101010102000001"
    dlg.detailFilterEdit.clear()
    dlg.detailView.sortByColumn(-1, 0)

    # Sorting keeps the total row last; the numbers are sortable as numbers.
    dlg.statisticsView.sortByColumn(1, 0)  # ascending
    proxy = dlg.statistics_proxy
    shown = [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]
    assert shown[-1] == ("Total", 4) and [c for _n, c in shown[:-1]] == sorted(c for _n, c in expected)

    # Closing removes the outline from the canvas.
    dlg.close()
    assert dlg.map.highlight is None


def test_every_region_matches_the_engine_and_the_hand_answers(open_dialog, hand_layers):
    dlg = open_dialog()
    index = dlg.ensure_index()
    engine = build_index(dlg.settings().to_inputs())
    for level, expected_by_region in ((Level.COMMITTEE, dfx.EXPECTED_COMMITTEE), (Level.STREET, dfx.EXPECTED_STREET),
                                      (Level.SUPERVISOR, dfx.EXPECTED_SUPERVISOR), (Level.GRID, dfx.EXPECTED_BY_GRID)):
        for key, by_type in expected_by_region.items():
            dlg.select_region(level, key)
            result = dlg.count()
            assert result is not None and result.statistics == _expected_stats(by_type), (level, key)
            members = engine.region_members(level, engine.find_region(level, key))
            assert result.rows == engine.detail_rows(members)
    assert index is dlg.ensure_index() and dlg.cache.builds == 1  # built once for all those queries


def test_type_tree_counts_and_filter(open_dialog, hand_layers):
    dlg = open_dialog()
    dlg.ensure_index()
    model = dlg.type_model
    assert model.class_names() == ["公用设施 (01)"]  # from component_types.csv
    assert sorted(model.type_names()) == sorted(["上水井盖", "污水井盖", "路灯"])
    dlg.select_region(Level.COMMITTEE, "乙社区")
    counts = {name: int(model._items[name][1].text()) for name in model.type_names()}
    assert counts == {"上水井盖": 1, "污水井盖": 1, "路灯": 2}
    model.set_checked(["路灯"])
    assert dlg.count().statistics == [("路灯", 2)]
    dlg.selectNoneButton.click()
    assert dlg.count() is None  # nothing checked: a warning, no result
    dlg.selectAllButton.click()
    assert dlg.count().statistics == _expected_stats(dfx.EXPECTED_COMMITTEE["乙社区"])


def test_map_pick_and_split_committee(open_dialog, hand_layers):
    dlg = open_dialog()
    dlg.ensure_index()
    grids = hand_layers["单元网格"]
    g6 = next(f.id() for f in grids.getFeatures() if f["网格编码"] == dfx.G6)
    assert dlg.picker.pick_feature(Level.GRID, g6)  # what a click on G6 does
    assert (dlg.streetCombo.currentText(), dlg.supervisorCombo.currentText().split()[0],
            dlg.committeeCombo.currentText(), dlg.gridCombo.currentText()) == ("景山", "丙北", "丙社区", dfx.G6)
    assert dlg.count().statistics == [("路灯", 2)]
    # The split committee: 丙南 holds only G5 of 丙社区.
    dlg.select_region(Level.SUPERVISOR, "丙南")
    assert _combo_items(dlg.committeeCombo) == ["丙社区"]
    assert _combo_items(dlg.gridCombo) == [dfx.G5]
    assert dlg.count().statistics == [("污水井盖", 1)]
    # The map tool is QGIS's identify-feature tool on the level's layer, and it is removed again.
    assert dlg.picker.start_map_pick(Level.COMMITTEE)
    tool = dlg.picker._map_tool
    assert isinstance(tool, QgsMapToolIdentifyFeature) and dlg.canvas.mapTool() is tool
    assert dlg.committeePickButton.isChecked()
    dlg.picker.stop_map_pick()
    assert dlg.canvas.mapTool() is not tool and not dlg.committeePickButton.isChecked()
    # A real click on the map (mouse press and release on the canvas): QGIS's tool emits featureIdentified
    # twice inside its canvasReleaseEvent; the pick is handled after the event and the tool let go later.
    assert dlg.picker.start_map_pick(Level.COMMITTEE)
    tool = dlg.picker._map_tool
    committees = hand_layers["社区居委会"]
    committee = next(f for f in committees.getFeatures() if f["社区名称"] == "甲社区")
    click_feature(dlg.canvas, committees, committee)
    assert _wait(lambda: dlg.picker.query()[0] == Level.COMMITTEE, 5)
    assert dlg.picker.query()[1].key == "甲社区" and dlg.streetCombo.currentText() == "东华门"
    assert dlg.canvas.mapTool() is not tool and dlg.picker._map_tool is None
    QCoreApplication.processEvents()
    assert dlg.picker._retired == []  # released once the click was over


def click_feature(canvas, layer, feature) -> None:
    """Press and release the left button on the canvas over a point inside `feature`."""
    from qgis.PyQt.QtCore import QPoint, Qt
    from qgis.PyQt.QtTest import QTest

    canvas.resize(500, 500)
    canvas.show()
    canvas.setDestinationCrs(layer.crs())
    canvas.setExtent(layer.extent())
    canvas.refresh()
    QCoreApplication.processEvents()
    pixel = canvas.getCoordinateTransform().transform(feature.geometry().pointOnSurface().asPoint())
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(pixel.x()), int(pixel.y())))


def test_typing_filters_the_grid_list(open_dialog, hand_layers):
    dlg = open_dialog()
    dlg.ensure_index()
    completer = dlg.gridCombo.completer()
    completer.setCompletionPrefix("0202")
    assert completer.completionCount() == 1 and completer.currentCompletion() == dfx.G4
    dlg.gridCombo.lineEdit().setText("00202")  # unique part of a code, then Enter/leaving the field
    dlg.gridCombo.lineEdit().editingFinished.emit()
    assert dlg.picker.query()[1].key == dfx.G4


def test_choosing_a_region_fills_the_levels_above(open_dialog, hand_layers):
    """Cascade both ways: a supervisor area chosen in its list brings its street; the lists below narrow."""
    dlg = open_dialog()
    dlg.ensure_index()
    assert dlg.streetCombo.currentText() == "(all)"
    dlg.supervisorCombo.setCurrentIndex(dlg.supervisorCombo.findText("丙南", Qt.MatchFlag.MatchStartsWith))
    assert dlg.streetCombo.currentText() == "景山"
    assert _combo_items(dlg.committeeCombo) == ["丙社区"] and _combo_items(dlg.gridCombo) == [dfx.G5]
    dlg.gridCombo.setCurrentIndex(dlg.gridCombo.findText(dfx.G5))  # a grid: its committee too
    assert (dlg.committeeCombo.currentText(), dlg.supervisorCombo.currentText().split()[0]) == ("丙社区", "丙南")
    dlg.streetCombo.setCurrentIndex(0)  # (all) at the top widens everything again
    assert dlg.picker.query() == (None, None)


def test_short_grid_codes(open_dialog, hand_layers):
    """The booklets' 5-digit code (community + serial): G1 and G5 share 00101 in two streets, G3 is alone."""
    from citycomponents_plugin.core.errors import CityComponentsError

    dlg = open_dialog()
    index = dlg.ensure_index()
    assert index.find_region(Level.GRID, "00201").key == dfx.G3  # the engine (and so regionstatistics)
    with pytest.raises(CityComponentsError) as err:
        index.find_region(Level.GRID, "00101")
    assert err.value.message.id == "grid_short_ambiguous" and f"{dfx.G1}, {dfx.G5}" in str(err.value)
    line = dlg.gridCombo.lineEdit()
    line.setText("00101")
    line.editingFinished.emit()
    assert dlg.picker.query() == (None, None)  # not unique in the district: the panel lists them
    assert dlg.message_text().startswith("The short code 00101 names 2 grids: ") and dfx.G5 in dlg.message_text()
    dlg.select_region(Level.STREET, "景山")
    line.setText("00101")
    line.editingFinished.emit()
    assert dlg.picker.query()[1].key == dfx.G5  # unique within the street
    line.setText("00201")
    line.editingFinished.emit()
    assert dlg.picker.query()[1].key == dfx.G5  # G3 is not in 景山: the choice stays


def test_index_builds_in_a_task_that_can_be_cancelled(open_dialog, hand_layers):
    dlg = open_dialog()
    assert dlg.request_index(report=False) is None and dlg.cache.building()
    task = dlg.cache.task
    assert dlg.cancelButton.isEnabled() and not dlg.cancelButton.isHidden()
    dlg.cancelButton.click()
    assert not dlg.cache.building() and dlg.picker.index is None
    assert dlg.taskLabel.text() == "Cancelled: click Count to read the layers again."
    assert _wait(lambda: task.ended, 30)  # the task itself ends (its result, if any, is dropped)
    assert dlg.cache.index is None
    dlg.select_region(Level.STREET, "景山")  # the next request builds again
    assert dlg.picker.query()[1].key == "景山" and dlg.cache.builds == 1


def test_a_build_whose_layers_changed_is_not_kept(hand_layers):
    """adopt() refuses an index when the inputs' signature changed during the build."""
    from citycomponents_plugin.core.engine.index_cache import IndexCache, inputs_signature
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    inputs = DistrictInputs(grids=hand_layers["单元网格"], components=[hand_layers["城市部件"]])
    signature = inputs_signature(inputs)
    index = build_index(inputs)
    hand_layers["城市部件"].setSubsetString("\"标识码\" <> ''")  # changed while the task ran
    cache = IndexCache()
    assert not cache.adopt(inputs, index, signature) and cache.cached() is None
    assert cache.adopt(inputs, index, inputs_signature(inputs)) and cache.cached() is index


# ----- saving ----------------------------------------------------------------------------------------
def test_save_writes_workbook_and_the_original_text_files(open_dialog, hand_layers, tmp_path, bar):
    openpyxl = pytest.importorskip("openpyxl")
    dlg = open_dialog()
    assert dlg.save_result(str(tmp_path / "x.xlsx")) == []  # nothing counted yet
    dlg.select_region(Level.COMMITTEE, "乙社区")
    dlg.count()
    written = dlg.save_result(str(tmp_path / "乙社区.xlsx"))
    assert written, bar.messages
    assert sorted(os.path.basename(f) for f in written) == ["乙社区.txt", "乙社区.xlsx", "乙社区统计结果.txt"]
    detail = (tmp_path / "乙社区.txt").read_bytes()
    assert detail.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and Word open it right
    lines = detail.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "标识码\t名称\t单元网格"
    assert lines[1] == f"1101010101000003\t上水井盖\t{dfx.G3}" and lines[4] == f"'=1+2\t路灯\t{dfx.G4}"
    stats = (tmp_path / "乙社区统计结果.txt").read_bytes().decode("utf-8-sig").split("\r\n")
    assert stats[:4] == ["部件名称\t部件总数", "路灯\t2", "上水井盖\t1", "污水井盖\t1"]
    book = openpyxl.load_workbook(tmp_path / "乙社区.xlsx")
    assert book.sheetnames == ["统计", "明细"]
    assert [tuple(r) for r in book["统计"].iter_rows(values_only=True)] == \
        [("部件名称", "部件总数"), ("路灯", 2), ("上水井盖", 1), ("污水井盖", 1), ("合计", 4)]
    rows = list(book["明细"].iter_rows(values_only=True))
    assert rows[0] == ("标识码", "名称", "单元网格") and rows[1][0] == "1101010101000003"
    formula_cell = book["明细"]["A5"]
    assert formula_cell.value == "=1+2" and formula_cell.data_type == "s"  # text, never a formula
    assert any("乙社区.xlsx" in m for m in bar.get_messages(Qgis.Success))
    written = dlg.save_result(str(tmp_path / "only"), formats=("txt",), encoding="gbk")
    assert [os.path.basename(f) for f in written] == ["only.txt", "only统计结果.txt"]
    assert not (tmp_path / "only.xlsx").exists()
    gbk = (tmp_path / "only.txt").read_bytes()
    assert not gbk.startswith(b"\xef\xbb\xbf")  # GBK has no byte-order mark
    assert gbk.decode("gbk").split("\r\n")[:2] == ["标识码\t名称\t单元网格", f"1101010101000003\t上水井盖\t{dfx.G3}"]


def _workbook_content(path) -> list:
    """Everything an operator sees in a workbook: per sheet its cells (value, type, bold, format), widths, panes."""
    import openpyxl

    content = []
    for ws in openpyxl.load_workbook(path).worksheets:
        cells = [[(c.value, c.data_type, bool(c.font.b), c.number_format) for c in row] for row in ws.iter_rows()]
        widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
        content.append((ws.title, ws.freeze_panes, ws.auto_filter.ref, widths, cells))
    return content


def _assert_saves_like_the_batch_export(dlg, index, level: Level, keys, tmp_path: Path) -> None:
    from citycomponents_plugin.core.batch_export import exporter

    batch = tmp_path / "batch"
    exporter.export_district(index, str(batch), levels=[level], formats=["xlsx", "txt"])
    (tmp_path / "dialog").mkdir()
    for key in keys:
        dlg.select_region(level, key)
        assert dlg.count() is not None
        written = dlg.save_result(str(tmp_path / "dialog" / f"{key}.xlsx"))
        folder = batch / level.label
        assert written[0].endswith(".xlsx")
        assert _workbook_content(written[0]) == _workbook_content(folder / f"{key}.xlsx"), key
        assert [Path(f).read_bytes() for f in written[1:]] == \
            [(folder / f"{key}.txt").read_bytes(), (folder / f"{key}统计结果.txt").read_bytes()], key


def test_save_writes_what_the_batch_export_writes(open_dialog, hand_layers, tmp_path):
    """One region saved from the dialog: the same workbook content and the same text bytes as the batch export."""
    pytest.importorskip("openpyxl")
    dlg = open_dialog()
    index = dlg.ensure_index()
    _assert_saves_like_the_batch_export(dlg, index, Level.COMMITTEE, list(dfx.EXPECTED_COMMITTEE), tmp_path)


def test_save_proposes_the_region_name_made_safe(open_dialog, hand_layers, monkeypatch):
    """The name the Save dialog proposes follows the one safe-name rule (core/files/safe_names.py)."""
    from qgis.PyQt.QtWidgets import QFileDialog

    from citycomponents_plugin.gui import statistics_panel

    committees = dfx.memory_layer("Polygon?crs=EPSG:4548&field=社区名称:string", "怪名社区",
                                  [(["CON .txt"], dfx._rect(0, 0, 200, 200)),
                                   (["a/b\u202e:c."], dfx._rect(200, 0, 300, 200))])
    QgsProject.instance().addMapLayer(committees)
    proposed = []

    class FileDialog:
        Option = QFileDialog.Option

        @staticmethod
        def getSaveFileName(_parent, _caption, path, *_args):  # noqa: N802 - Qt name
            proposed.append(os.path.basename(path))
            return "", ""  # the operator cancels

    monkeypatch.setattr(statistics_panel, "QFileDialog", FileDialog)
    dlg = open_dialog()
    dlg.committeeLayerCombo.setLayer(committees)
    for key in ("CON .txt", "a/b\u202e:c."):
        dlg.select_region(Level.COMMITTEE, key)
        assert dlg.count() is not None and dlg.result.region.key == key
        dlg.ask_save()
    assert proposed == ["CON_ .txt.xlsx", "a_b__c.xlsx"]


# ----- errors ---------------------------------------------------------------------------------------
def test_errors_reach_the_message_bar_in_plain_words(open_dialog, hand_layers, bar):
    dlg = open_dialog()
    assert dlg.ensure_index() is not None
    assert dlg.count() is None  # no region chosen
    assert any("Choose a street office" in m for m in bar.get_messages(Qgis.Warning))
    assert dlg.message_text() == ("Choose a street office, supervisor area, committee or grid first (the region "
                                  "lists on the Query tab).")
    bad = QgsVectorLayer("Polygon?crs=EPSG:4548", "网格无编码", "memory")
    bad.dataProvider().addAttributes([QgsField("备注", QVariant.String)])
    bad.updateFields()
    square = QgsFeature(bad.fields())
    square.setGeometry(QgsGeometry.fromWkt(dfx._rect(0, 0, 100, 100)))
    bad.dataProvider().addFeature(square)
    QgsProject.instance().addMapLayer(bad)
    dlg.gridLayerCombo.setLayer(bad)
    assert dlg.gridFieldCombo.currentField() == ""  # nothing detected, nothing pretended
    assert dlg.ensure_index() is None
    critical = bar.get_messages(Qgis.Critical)
    assert critical and "网格无编码" in critical[-1] and "grid code" in critical[-1]
    assert critical[-1].startswith("City Components Statistics")  # the plugin's name, not a layer's
    assert "Traceback" not in critical[-1] and dlg.picker.index is None
    # The panel shows it too, wrapped, naming the panel's control (not a Processing parameter).
    assert "Unit grids field box on the Layers tab" in dlg.message_text()
    assert "GRID_CODE_FIELD" not in dlg.message_text() and dlg.message_area.label.wordWrap()
    dlg.gridLayerCombo.setLayer(hand_layers["单元网格"])  # fixed: usable again, the message gone
    assert dlg.ensure_index() is not None and dlg.countButton.isEnabled()
    assert dlg.message_text() == "" and dlg.message_area.isHidden()


# ----- project, cache --------------------------------------------------------------------------------
def test_choices_are_saved_in_the_project_and_restored(open_dialog, hand_layers, tmp_path):
    dlg = open_dialog()
    dlg.supervisorLayerCombo.setLayer(None)
    dlg.typeFieldCombo.setField("所在单元网格")  # an override the operator chose
    grid_id = hand_layers["单元网格"].id()
    project = QgsProject.instance()
    assert project.write(str(tmp_path / "district.qgz"))  # the dialog stores its choices as the project is saved
    project.clear()
    assert dlg.gridLayerCombo.currentLayer() is None
    assert project.read(str(tmp_path / "district.qgz"))

    def check(d) -> None:
        assert d.gridLayerCombo.currentLayer().id() == grid_id
        assert d.supervisorLayerCombo.currentLayer() is None
        assert d.typeFieldCombo.currentField() == "所在单元网格"
        settings = d.settings()
        assert settings.fields["type_field"] == "所在单元网格" and settings.layers["supervisors"] == ""
        assert settings.kind == 0 and settings.components[0] == [
            lyr.id() for lyr in project.mapLayersByName("城市部件")]

    check(dlg)  # the open dialog follows the project that was read
    second = open_dialog()
    check(second)  # and a new one restores it too
    second.close_and_cleanup()  # the plugin has one dialog: only one may write the project
    dlg.addressesRadio.setChecked(True)
    assert project.write(str(tmp_path / "addresses.qgz"))
    project.clear()
    assert project.read(str(tmp_path / "addresses.qgz"))
    assert open_dialog().addressesRadio.isChecked()


def test_index_is_cached_and_rebuilt_when_a_layer_changes(open_dialog, hand_layers):
    dlg = open_dialog()
    dlg.select_region(Level.COMMITTEE, "乙社区")
    assert dlg.ensure_index() is not None and dlg.ensure_index() is not None
    assert dlg.cache.builds == 1
    dlg.select_region(Level.COMMITTEE, "乙社区")
    assert dlg.count().statistics == _expected_stats(dfx.EXPECTED_COMMITTEE["乙社区"])
    dlg.type_model.set_checked(["上水井盖", "路灯"])  # 污水井盖 unchecked: it stays unchecked
    hand_layers["城市部件"].setSubsetString("\"名称\" <> '路灯'")  # the layer's data change
    assert dlg.result is None  # the old result is cleared, not shown as current
    assert dlg.ensure_index() is not None and dlg.cache.builds == 2
    assert dlg.picker.query()[1].key == "乙社区"  # the operator's choice survives the rebuild
    assert dlg.count().statistics == [("上水井盖", 1)]


# ----- batch export and booklets as tasks ------------------------------------------------------------
def test_batch_export_runs_as_a_task(open_dialog, hand_layers, provider, tmp_path, bar):
    dlg = open_dialog()
    dlg.ensure_index()
    out = tmp_path / "batch"
    dlg.outputFolderWidget.setFilePath(str(out))
    run = dlg.start_batch_export()
    assert run is not None and run.task is not None and not run.done  # queued in QGIS's task manager
    assert _wait(lambda: run.done, 90), "the batch export did not finish"
    assert run.ok, run.message
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert {e["key"]: e["by_type"] for e in manifest["levels"]["committee"]} == dfx.EXPECTED_COMMITTEE
    assert (out / "社区居委会" / "乙社区.xlsx").exists()
    assert any(str(out) in m for m in bar.get_messages(Qgis.Success))
    assert not dlg.cancelButton.isVisible() and dlg.batchButton.isEnabled()
    # Running it again without "replace" fails with the exporter's own words in the bar.
    run = dlg.start_batch_export()
    assert _wait(lambda: run.done, 60) and not run.ok
    critical = bar.get_messages(Qgis.Critical)
    assert critical and "already holds results of a batch export" in critical[-1], critical
    assert "Traceback" not in critical[-1]


def test_booklets_run_on_the_main_thread(open_dialog, hand_layers, provider, tmp_path):
    alg = QgsApplication.processingRegistry().algorithmById("citycomponents:booklet")
    if alg is None:
        pytest.skip("the booklet algorithm is not registered")
    dlg = open_dialog()
    dlg.ensure_index()
    dlg.outputFolderWidget.setFilePath(str(tmp_path / "booklets"))
    dlg.areasCombo.setCheckedItems(["丙北"])
    assert dlg.booklet_parameters()["SUPERVISOR_AREAS"] == "丙北"
    run = dlg.start_booklets()
    assert _wait(lambda: run.done, 90)
    assert run.ok, run.message
    assert run.task is None  # FlagNoThreading: not handed to a worker thread
    assert [p.name for p in (tmp_path / "booklets").glob("*.pdf")] == ["丙北.pdf"]


def test_missing_output_folder_is_a_warning(open_dialog, hand_layers, bar):
    dlg = open_dialog()
    dlg.outputFolderWidget.setFilePath("")
    assert dlg.start_batch_export() is None
    assert any("output folder" in m for m in bar.get_messages(Qgis.Warning))


# ----- the sample district ----------------------------------------------------------------------------
@pytest.fixture()
def sample_layers(sample_gpkg: Path, qgis_new_project) -> dict:
    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in SAMPLE_LAYERS}
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


def test_sample_district_committee_matches_engine_and_algorithm(open_dialog, sample_layers, provider):
    import processing

    dlg = open_dialog()
    points = {dlg.componentLayerList.item(i).text(): bool(dlg.componentLayerList.item(i).checkState())
              for i in range(dlg.componentLayerList.count())}
    assert points == {"城市部件": True, "门址": False, "参照物": False, "兴趣点": False}
    assert dlg.settings().components[1] == [sample_layers[n].id() for n in ("门址", "参照物", "兴趣点")]
    index = dlg.ensure_index()
    assert index is not None and len(index.regions(Level.GRID)) > 100
    street = _combo_items(dlg.streetCombo)[0]
    dlg.streetCombo.setCurrentIndex(1)
    committee = _combo_items(dlg.committeeCombo)[0]
    dlg.committeeCombo.setCurrentIndex(1)
    result = dlg.count()
    assert result is not None and dlg.picker.query()[1].key == committee
    engine = build_index(dlg.settings().to_inputs())
    members = engine.region_members(Level.COMMITTEE, engine.find_region(Level.COMMITTEE, committee))
    assert result.statistics == engine.statistics(members) and result.rows == engine.detail_rows(members)
    assert dlg.statistics_model.total() == len(members) == dlg.detail_model.rowCount()
    params = dict(dlg.settings().processing_parameters(), LEVEL=2, REGION=committee,
                  STATISTICS="TEMPORARY_OUTPUT", DETAILS="TEMPORARY_OUTPUT")
    res = processing.run("citycomponents:regionstatistics", params)
    assert res["TOTAL"] == len(members)
    assert [(f["部件名称"], f["部件总数"]) for f in res["STATISTICS"].getFeatures()] == result.statistics
    assert dlg.streetCombo.currentText() == street


def test_sample_district_addresses(open_dialog, sample_layers):
    dlg = open_dialog()
    dlg.addressesRadio.setChecked(True)
    assert dlg.typesGroup.title() == "Categories"
    checked = [dlg.componentLayerList.item(i).text() for i in range(dlg.componentLayerList.count())
               if dlg.componentLayerList.item(i).checkState()]
    assert checked == ["门址", "参照物", "兴趣点"]
    index = dlg.ensure_index()
    assert index is not None and index.kind == 1
    dlg.streetCombo.setCurrentIndex(1)
    result = dlg.count()
    street = index.regions(Level.STREET)[0]
    engine = build_index(dlg.settings().to_inputs())
    members = engine.region_members(Level.STREET, engine.find_region(Level.STREET, street.key))
    assert result.region.key == street.key and len(members) > 100
    assert result.headers == ["名称", "类别", "地址", "单元网格"] and result.rows == engine.detail_rows(members)
    assert result.statistics == engine.statistics(members) and result.stat_headers == ("类别", "总数")
    assert dlg.detail_model.headerData(2, 1) == "Address"
    # 地址查询 speaks of categories, grouped by their layer; the hints do not mention 标识码 or types.
    assert [dlg.statistics_model.headerData(c, 1) for c in (0, 1)] == ["Category", "Count"]
    assert dlg.type_model.headerData(0, 1) == "Category"
    groups = {dlg.type_model.item(r).text(): [dlg.type_model.item(r).child(c).text()
                                              for c in range(dlg.type_model.item(r).rowCount())]
              for r in range(dlg.type_model.rowCount())}
    assert list(groups) == ["门址", "参照物", "兴趣点"]
    layer_of = {name: engine.layers[int(np.bincount(engine.comp_layer[engine.comp_type == t]).argmax())].name
                for t, name in enumerate(engine.type_names)}
    assert {c: g for g, cats in groups.items() for c in cats} == layer_of
    assert "code" not in dlg.detailFilterEdit.placeholderText() and dlg.typeFilterEdit.placeholderText() == \
        "Filter categories or layers"


def test_sample_addresses_save_like_the_batch_export(open_dialog, sample_layers, tmp_path):
    """Addresses have their own statistics headers (类别, 总数): the dialog's Save uses the batch export's."""
    pytest.importorskip("openpyxl")
    dlg = open_dialog()
    dlg.addressesRadio.setChecked(True)
    index = dlg.ensure_index()
    assert index is not None and index.kind == 1
    keys = [r.key for r in index.regions(Level.STREET)][:2]
    _assert_saves_like_the_batch_export(dlg, index, Level.STREET, keys, tmp_path)
    assert _workbook_content(tmp_path / "dialog" / f"{keys[0]}.xlsx")[0][4][0][:2] == \
        [("类别", "s", True, "General"), ("总数", "s", True, "General")]


def test_batch_export_can_be_cancelled(open_dialog, sample_layers, provider, tmp_path, bar):
    dlg = open_dialog()
    assert dlg.ensure_index() is not None
    dlg.outputFolderWidget.setFilePath(str(tmp_path / "cancelled"))
    run = dlg.start_batch_export()
    assert dlg.cancelButton.isEnabled() and not dlg.batchButton.isEnabled()  # one run at a time, cancellable
    dlg.cancelButton.click()
    assert _wait(lambda: run.done, 60)
    assert not run.ok and run.message == "Cancelled."
    assert any("Cancelled" in m for m in bar.get_messages(Qgis.Warning))
    leftovers = [p.name for p in (tmp_path / "cancelled").rglob("*") if p.name.startswith(".citycomponents-")]
    assert leftovers == []  # no half-written file


def test_pick_tool_stops_when_its_layer_goes(open_dialog, hand_layers):
    """Removing the layer being picked from invalidates the index: the map tool must not stay bound to it."""
    dlg = open_dialog()
    dlg.ensure_index()
    assert dlg.picker.start_map_pick(Level.COMMITTEE)
    tool = dlg.picker._map_tool
    QgsProject.instance().removeMapLayer(hand_layers["社区居委会"].id())
    assert dlg.canvas.mapTool() is not tool and not dlg.committeePickButton.isChecked()
    assert dlg.picker._map_tool is None


def test_unload_clears_the_selection_made_in_the_users_layer(open_dialog, hand_layers):
    dlg = open_dialog()
    dlg.ensure_index()
    dlg.select_region(Level.STREET, "景山")
    dlg.count()
    components = hand_layers["城市部件"]
    assert components.selectedFeatureCount() == 3
    dlg.close_and_cleanup()
    assert components.selectedFeatureCount() == 0


def test_unloading_during_a_batch_export_waits_for_it(open_dialog, sample_layers, provider, tmp_path):
    dlg = open_dialog()
    assert dlg.ensure_index() is not None
    dlg.outputFolderWidget.setFilePath(str(tmp_path / "unloaded"))
    run = dlg.start_batch_export()
    dlg.close_and_cleanup()  # what unload does while the task runs
    assert _wait(lambda: run.done, 60)
    assert not run.ok
    folder = tmp_path / "unloaded"
    manifest = folder / "manifest.json"
    if manifest.exists():  # (a task cancelled before it started writes nothing at all)
        assert json.loads(manifest.read_text(encoding="utf-8"))["status"] == "cancelled"
    assert not [p for p in folder.rglob("*") if p.name.startswith(".citycomponents-")]
