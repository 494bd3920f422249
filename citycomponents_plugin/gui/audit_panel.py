"""The 数据检查 panel: run citycomponents:audit in the background, show its summary, show a check on the map.

Self-contained (its own widgets, built in code): a host only gives it the iface and a function that
returns the current layer choices (LayerSettings), and adds it where it wants (a tab today, the dock
later). Clicking a check adds that check's problem layer to the map and zooms to it; clicking one of
its rows flashes the features of that row.
"""

from __future__ import annotations

import json
import os
from typing import Callable, Optional

from qgis.core import (
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citycomponents_plugin.core.audit.checks import CHECK_BY_ID, COMPONENT, HEADERS, say
from citycomponents_plugin.core.audit.output import style_problem_layer
from citycomponents_plugin.gui import messages
from citycomponents_plugin.gui.i18n import tr
from citycomponents_plugin.gui.tasks import AlgorithmRun

FOLDER_SETTING = "citycomponents/audit/output_folder"
POINTS_FILE = "问题部件.gpkg"
REGIONS_FILE = "问题区域.gpkg"


class AuditPanel(QWidget):
    """The 数据检查 button, the summary of the last audit, and the rows of the chosen check."""

    def __init__(self, iface, settings: Callable, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.settings = settings  # () -> LayerSettings of the host
        self.run: Optional[AlgorithmRun] = None
        self.document: Optional[dict] = None  # audit.json of the last run
        self.folder = ""
        self.layers: dict = {}  # check id -> layer added to the project
        self._build()

    # ----- widgets ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.folderWidget = QgsFileWidget(self)
        self.folderWidget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folderWidget.setDialogTitle(tr("Folder for audit.xlsx and audit.json"))
        self.folderWidget.setFilePath(QgsSettings().value(FOLDER_SETTING, "", type=str))
        self.folderWidget.fileChanged.connect(lambda path: QgsSettings().setValue(FOLDER_SETTING, path))
        self.runButton = QPushButton(tr("Data check"), self)
        self.runButton.clicked.connect(self.start)
        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        self.summaryTable = self._table([tr("Check"), tr("Count"), tr("What it means")])
        self.summaryTable.itemSelectionChanged.connect(self._check_chosen)
        self.itemTable = self._table([])
        self.itemTable.itemSelectionChanged.connect(self._row_chosen)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Output folder"), self))
        top.addWidget(self.folderWidget, 1)
        top.addWidget(self.runButton)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.summaryTable)
        split.addWidget(self.itemTable)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.statusLabel)
        layout.addWidget(split, 1)

    def _table(self, headers: list) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        return table

    # ----- the run ----------------------------------------------------------------------------------
    def parameters(self) -> dict:
        folder = self.folderWidget.filePath().strip()
        params = self.settings().processing_parameters()
        params.update({"OUTPUT_FOLDER": folder, "PROBLEM_COMPONENTS": os.path.join(folder, POINTS_FILE),
                       "PROBLEM_REGIONS": os.path.join(folder, REGIONS_FILE)})
        return params

    def start(self) -> Optional[AlgorithmRun]:
        if self.run is not None and not self.run.done:
            messages.warning(self.iface, tr("A data check is still running: wait for it or cancel it."))
            return None
        params = self.parameters()
        if not params["OUTPUT_FOLDER"]:
            messages.warning(self.iface, tr("Choose a folder for the data check first (Data check tab)."))
            return None
        if not params.get("GRIDS") or not params.get("COMPONENTS"):
            messages.warning(self.iface, tr("Choose the unit grid layer and the point layers first (Layers tab)."))
            return None
        os.makedirs(params["OUTPUT_FOLDER"], exist_ok=True)
        self._remove_layers()
        run = AlgorithmRun("citycomponents:audit", params, self)
        run.progressChanged.connect(lambda v: self.statusLabel.setText(tr("Checking... {0}%").format(int(v))))
        run.finished.connect(self._finished)
        self.run = run
        self.runButton.setEnabled(False)
        self.statusLabel.setText(tr("Checking..."))
        run.start()
        return run

    def cancel(self) -> None:
        if self.run is not None and not self.run.done:
            self.run.cancel()

    def _finished(self, ok: bool, results: dict, message: str) -> None:
        self.runButton.setEnabled(True)
        if not ok:
            self.statusLabel.setText(message)
            messages.error(self.iface, message)
            return
        self.folder = str(results.get("OUTPUT_FOLDER", ""))
        with open(str(results["JSON"]), encoding="utf-8") as fh:
            self.show_document(json.load(fh))
        self.statusLabel.setText(tr("{0} problem(s) found; the files are in {1}").format(
            int(results.get("PROBLEMS", 0)), self.folder))

    def show_document(self, document: dict) -> None:
        """The summary: one row per check, the ones that found something first (then in check order)."""
        self.document = document
        checks = sorted(document["checks"], key=lambda c: c["count"] == 0)
        self.summaryTable.setRowCount(len(checks))
        for row, check in enumerate(checks):
            spec = CHECK_BY_ID.get(check["id"])
            title = QTableWidgetItem(say(spec.title) if spec else check["id"])
            title.setData(Qt.ItemDataRole.UserRole, check["id"])
            title.setToolTip(say(spec.action) if spec else "")
            count = QTableWidgetItem(str(check["count"]))
            count.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
            self.summaryTable.setItem(row, 0, title)
            self.summaryTable.setItem(row, 1, count)
            self.summaryTable.setItem(row, 2, QTableWidgetItem(check["explanation"]))
        self.itemTable.setRowCount(0)

    # ----- on the map -------------------------------------------------------------------------------
    def chosen_check(self) -> Optional[dict]:
        rows = self.summaryTable.selectionModel().selectedRows() if self.summaryTable.selectionModel() else []
        if not rows or self.document is None:
            return None
        check_id = self.summaryTable.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next(c for c in self.document["checks"] if c["id"] == check_id)

    def _check_chosen(self) -> None:
        check = self.chosen_check()
        if check is None:
            return
        spec = CHECK_BY_ID.get(check["id"])
        key = "id" if spec is None or spec.scope == COMPONENT else "key"
        fields = [key] + list(spec.columns if spec else [])
        self.itemTable.clear()
        self.itemTable.setColumnCount(len(fields))
        self.itemTable.setHorizontalHeaderLabels([HEADERS.get(f, f) for f in fields])
        self.itemTable.setRowCount(len(check["items"]))
        for row, item in enumerate(check["items"]):
            for col, f in enumerate(fields):
                self.itemTable.setItem(row, col, QTableWidgetItem(str(item.get(f, ""))))
        if check["count"]:
            self.show_check(check["id"])

    def show_check(self, check_id: str) -> Optional[QgsVectorLayer]:
        """Add the check's problem layer (its rows of the problem file) to the map and zoom to it."""
        layer = self.layers.get(check_id)
        if layer is None:
            spec = CHECK_BY_ID[check_id]
            path = os.path.join(self.folder, POINTS_FILE if spec.scope == COMPONENT else REGIONS_FILE)
            layer = QgsVectorLayer(path, f"{say(spec.title)} ({check_id})", "ogr")
            if not layer.isValid():
                messages.warning(self.iface, tr("The problem layer {0} could not be opened.").format(path))
                return None
            layer.setSubsetString(QgsExpression.createFieldEqualityExpression("check", check_id))
            style_problem_layer(layer, spec.scope)
            QgsProject.instance().addMapLayer(layer)
            self.layers[check_id] = layer
            layer.willBeDeleted.connect(lambda cid=check_id: self.layers.pop(cid, None))
        self._zoom(layer, layer.extent())
        return layer

    def row_features(self, row: int) -> tuple:
        """(layer, feature ids) of one row of the chosen check: a component by 标识码 and fid, a region by key."""
        check = self.chosen_check()
        if check is None or not 0 <= row < len(check["items"]):
            return None, []
        layer = self.show_check(check["id"]) if check["count"] else None
        if layer is None:
            return None, []
        item = check["items"][row]
        equal = QgsExpression.createFieldEqualityExpression
        if "id" in item:
            expr = equal("标识码", str(item["id"]))
            if "fid" in item:
                expr += " AND " + equal("fid", int(item["fid"]))
        else:
            expr = equal("对象", str(item["key"]))
        request = QgsFeatureRequest().setFilterExpression(expr).setNoAttributes()
        return layer, [f.id() for f in layer.getFeatures(request)]

    def _row_chosen(self) -> None:
        rows = self.itemTable.selectionModel().selectedRows() if self.itemTable.selectionModel() else []
        if not rows:
            return
        layer, ids = self.row_features(rows[0].row())
        if layer is not None and ids:
            canvas = self.iface.mapCanvas()
            canvas.flashFeatureIds(layer, ids)

    def _zoom(self, layer: QgsVectorLayer, extent: QgsRectangle) -> None:
        canvas = self.iface.mapCanvas()
        if extent.isNull() or not layer.featureCount():
            return
        target = canvas.mapSettings().destinationCrs()
        if target.isValid() and target != layer.crs():
            extent = QgsCoordinateTransform(layer.crs(), target, QgsProject.instance()).transformBoundingBox(extent)
        extent = QgsRectangle(extent)
        extent.grow(max(extent.width(), extent.height(), 20.0) * 0.1)
        canvas.setExtent(extent)
        canvas.refresh()

    def _remove_layers(self) -> None:
        """The previous run's layers go: they point into files the new run replaces."""
        for layer in list(self.layers.values()):
            try:
                QgsProject.instance().removeMapLayer(layer.id())
            except RuntimeError:
                pass
        self.layers.clear()

    def shutdown(self) -> None:
        if self.run is not None and not self.run.done:
            self.run.cancel()
            self.run.detach()
            self.run.wait(60_000)
