"""The 数据检查 panel driven like an operator: run the check, read the summary, show a check, flash a row."""

from __future__ import annotations

import time

import pytest
from audit_fixtures import mutated, write
from qgis.core import QgsCoordinateTransform, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt

import district_fixtures as dfx


@pytest.fixture()
def dialog(qgis_iface, qgis_new_project, tmp_path, monkeypatch, provider):
    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    monkeypatch.setenv("CITYCOMPONENTS_AUDIT_RECORD", str(tmp_path / "record.json"))
    path = write(tmp_path / "d.gpkg", mutated("stored_grid_mismatch"))
    layers = dfx.load_layers(path)
    QgsProject.instance().addMapLayers(list(layers.values()))
    dlg = StatisticsPanel(qgis_iface, parent=qgis_iface.mainWindow())
    yield dlg
    dlg.close_and_cleanup()
    dlg.deleteLater()
    QgsProject.instance().clear()
    QCoreApplication.processEvents()


def _wait(run, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not run.done and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def test_the_data_check_runs_in_the_background_and_shows_a_check_on_the_map(dialog, tmp_path, qgis_iface):
    panel = dialog.audit
    tabs = [dialog.tabWidget.tabText(i) for i in range(dialog.tabWidget.count())]
    assert tabs[-1] == "Data check" and dialog.tabWidget.widget(len(tabs) - 1) is panel
    panel.folderWidget.setFilePath(str(tmp_path / "audit"))
    run = panel.start()
    assert run is not None and not run.runs_on_main_thread()
    _wait(run)
    assert run.ok, run.message
    assert (tmp_path / "audit" / "audit.xlsx").is_file()
    first = panel.summaryTable
    assert first.rowCount() == 19
    assert (first.item(0, 0).data(Qt.ItemDataRole.UserRole), first.item(0, 1).text()) == ("stored_grid_mismatch", "1")
    assert [first.item(r, 1).text() for r in range(1, first.rowCount())] == ["0"] * 18
    assert "1 problem(s) found" in panel.statusLabel.text()

    first.selectRow(0)  # the check: its layer on the map, zoomed to, and its rows below
    layer = panel.layers["stored_grid_mismatch"]
    assert layer in QgsProject.instance().mapLayers().values()
    assert layer.featureCount() == 1 and layer.renderer().type() == "categorizedSymbol"
    assert panel.itemTable.rowCount() == 1 and panel.itemTable.item(0, 0).text() == "1101010118000009"
    canvas = qgis_iface.mapCanvas()
    geom = next(layer.getFeatures()).geometry()
    target = canvas.mapSettings().destinationCrs()
    if target.isValid() and target != layer.crs():
        geom.transform(QgsCoordinateTransform(layer.crs(), target, QgsProject.instance()))
    assert canvas.extent().contains(geom.asPoint())
    assert canvas.extent().width() < 100  # zoomed to the one point (20 m around it in the grid CRS)
    flashed, ids = panel.row_features(0)
    assert flashed is layer and ids == [next(layer.getFeatures()).id()]
    panel.itemTable.selectRow(0)  # flashes it (no error, the canvas keeps its layers)


def test_the_panel_asks_for_a_folder_first(dialog, qgis_iface):
    dialog.audit.folderWidget.setFilePath("")
    assert dialog.audit.start() is None
