"""The 统计窗口 of the original MapBasic tool, in QGIS: pick a region and types, count, see it on the map, save.

Non-modal: it stays open while the operator works the map. Every number comes from the engine the
algorithms use (core.engine.build.build_index on the same DistrictInputs), so qgis_process reproduces what it shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import numpy as np
from qgis.core import Qgis, QgsProcessingFeedback, QgsProject, QgsSettings
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt, QTimer
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
)

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.result_files import save_result, statistics_headers, target_files
from citycomponents_plugin.core.files.safe_names import safe_file_base
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui import layer_settings as ls
from citycomponents_plugin.gui import messages
from citycomponents_plugin.gui.batch_panel import BatchPanel, open_folder
from citycomponents_plugin.gui.edition_panel import EditionPanel
from citycomponents_plugin.gui.i18n import tr
from citycomponents_plugin.gui.index_cache import IndexCache
from citycomponents_plugin.gui.layer_panel import LayerPanel
from citycomponents_plugin.gui.map_actions import MapActions
from citycomponents_plugin.gui.region_cascade import level_name
from citycomponents_plugin.gui.region_picker import ROLE_OF_LEVEL, RegionPicker, pick_button_icon
from citycomponents_plugin.gui.result_tables import DetailModel, ResultSortProxy, StatisticsModel
from citycomponents_plugin.gui.tasks import AlgorithmRun
from citycomponents_plugin.gui.type_tree import TypeTreeModel

PLUGIN_DIR = os.path.dirname(os.path.dirname(__file__))
FORM_CLASS, _BASE = uic.loadUiType(os.path.join(PLUGIN_DIR, "ui", "statistics_dialog.ui"))
SETTINGS_PREFIX = "citycomponents/dialog/"


def icon(name: str) -> QIcon:
    """Icons by path (no .qrc)."""
    return QIcon(os.path.join(PLUGIN_DIR, "resources", "icons", name))


@dataclass
class QueryResult:
    """What the tables show, kept to save it and to find rows on the map."""

    level: Level
    region: object
    types: Optional[list]
    members: np.ndarray
    statistics: list
    headers: list
    rows: list
    stat_headers: tuple  # the statistics' column titles in the saved files (core/files/result_files)


class StatisticsDialog(QDialog, FORM_CLASS):
    """Region -> types -> 统计: tables, map highlight and selection, saving, batch export and booklets."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(parent)
        self.setupUi(self)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.project = QgsProject.instance()
        self.setModal(False)
        self.setWindowIcon(icon("citycomponents.svg"))
        self.cache = IndexCache(self.project, self)
        self.map = MapActions(self.canvas)
        self.result: Optional[QueryResult] = None
        self._shown_index: Optional[DistrictIndex] = None
        self._last_error = ""
        self._settings_timer = QTimer(self)
        self._settings_timer.setSingleShot(True)
        self._settings_timer.setInterval(400)
        self._settings_timer.timeout.connect(self._settings_settled)

        self.layer_panel = LayerPanel(self, self.project, self)
        self.picker = RegionPicker(
            {Level.STREET: self.streetCombo, Level.SUPERVISOR: self.supervisorCombo,
             Level.COMMITTEE: self.committeeCombo, Level.GRID: self.gridCombo},
            {Level.STREET: self.streetPickButton, Level.SUPERVISOR: self.supervisorPickButton,
             Level.COMMITTEE: self.committeePickButton, Level.GRID: self.gridPickButton},
            self.queryLevelLabel, self.canvas, self._region_layer, self)
        for button in (self.streetPickButton, self.supervisorPickButton, self.committeePickButton,
                       self.gridPickButton):
            pick_button_icon(button)
        self._setup_types()
        self._setup_tables()
        self.edition_panel = EditionPanel(self.cache, self.iface, self)
        self.edition_panel.attach(self.resultSplitter)
        self.batch = BatchPanel(self, self.iface, self.settings, self.save_settings, self.type_model,
                                self._set_busy, self)
        self._connect()
        self._load_settings()
        self._restore_geometry()
        self._set_busy(False)

    # ----- set-up ---------------------------------------------------------------------------------
    def _setup_types(self) -> None:
        self.type_model = TypeTreeModel(self)
        self.type_proxy = QSortFilterProxyModel(self)
        self.type_proxy.setSourceModel(self.type_model)
        self.type_proxy.setRecursiveFilteringEnabled(True)
        self.type_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.typeTree.setModel(self.type_proxy)
        header = self.typeTree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def _setup_tables(self) -> None:
        self.statistics_model = StatisticsModel(self)
        self.statistics_proxy = ResultSortProxy(self)
        self.statistics_proxy.setSourceModel(self.statistics_model)
        self.statisticsView.setModel(self.statistics_proxy)
        self.detail_model = DetailModel(self)
        self.detailView.setModel(self.detail_model)
        for view in (self.statisticsView, self.detailView):
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            view.horizontalHeader().setHighlightSections(False)
            view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.statisticsView.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # the engine's order until a header is clicked
        self.statisticsView.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.detailView.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.countButton.setIcon(icon("citycomponents.svg"))
        self.saveButton.setEnabled(False)

    def _connect(self) -> None:
        self.componentsRadio.toggled.connect(self._kind_toggled)
        self.layer_panel.changed.connect(self._settings_changed)
        self.detectButton.clicked.connect(self.detect_layers)
        self.cache.invalidated.connect(self._index_invalidated)
        self.picker.regionChanged.connect(self._region_changed)
        self.typeFilterEdit.textChanged.connect(self._filter_types)
        self.selectAllButton.clicked.connect(lambda: self.type_model.set_all(True))
        self.selectNoneButton.clicked.connect(lambda: self.type_model.set_all(False))
        self.countButton.clicked.connect(self.count)
        self.saveButton.clicked.connect(self.ask_save)
        self.detailFilterEdit.textChanged.connect(self.detail_model.set_filter)
        self.detailView.doubleClicked.connect(self._detail_double_clicked)
        self.cancelButton.clicked.connect(self.cancel_run)
        close = self.buttonBox.button(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Close"))  # Qt's own translations are not always installed with QGIS
        close.clicked.connect(self.close)
        self.buttonBox.rejected.connect(self.close)
        self.project.readProject.connect(self._project_read)
        self.project.writeProject.connect(self._project_writing)
        self.project.cleared.connect(self._project_cleared)
        self.project.layersAdded.connect(self._layers_added)

    # ----- settings and project -------------------------------------------------------------------
    def _load_settings(self) -> None:
        """The project's saved choices, else a guess from the layer names and fields."""
        settings = ls.LayerSettings.read(self.project) or ls.guess(self.project)
        self._apply_settings(settings)

    def _apply_settings(self, settings: ls.LayerSettings) -> None:
        self.componentsRadio.blockSignals(True)
        self.componentsRadio.setChecked(settings.kind == KIND_COMPONENTS)
        self.addressesRadio.setChecked(settings.kind == KIND_ADDRESSES)
        self.componentsRadio.blockSignals(False)
        self.layer_panel.apply(settings)
        self._update_kind_labels()
        self._schedule_index()

    def detect_layers(self) -> None:
        """Guess the layers and fields again (the Detect button)."""
        guessed = ls.guess(self.project)
        guessed.kind = self.layer_panel.kind
        self._apply_settings(guessed)
        self.save_settings()

    def save_settings(self) -> None:
        """Remember the choices in the project (by layer id), so reopening it restores the dialog."""
        self.layer_panel.settings().write(self.project)

    def settings(self) -> ls.LayerSettings:
        return self.layer_panel.settings()

    def _settings_changed(self) -> None:
        """Not written to the project here: layers removed while a project closes would overwrite the saved
        choices. They are written when the project is saved (writeProject) and when they are used."""
        self._schedule_index()

    def _project_writing(self, *args) -> None:
        """QGIS is saving the project: store the current choices in it (read back by readProject)."""
        if self.layer_panel.settings().layers.get("grids") or ls.LayerSettings.read(self.project) is None:
            self.save_settings()

    def _kind_toggled(self, components_checked: bool) -> None:
        self.layer_panel.set_kind(KIND_COMPONENTS if components_checked else KIND_ADDRESSES)
        self._update_kind_labels()

    def _update_kind_labels(self) -> None:
        if self.layer_panel.kind == KIND_ADDRESSES:
            self.typesGroup.setTitle(tr("Categories"))
            self.idFieldLabel.setText(tr("Address code field"))
            self.typeFieldLabel.setText(tr("Category field"))
        else:
            self.typesGroup.setTitle(tr("Component types"))
            self.idFieldLabel.setText(tr("Identifier field"))
            self.typeFieldLabel.setText(tr("Type field"))

    def _project_read(self, *args) -> None:
        self.cache.clear()
        self._load_settings()

    def _project_cleared(self) -> None:
        self.cache.clear()
        self.map.clear_highlight()
        self._clear_result()
        self._index_ready(None)

    def _layers_added(self, layers) -> None:
        """Layers loaded after the dialog opened: if nothing usable was chosen yet, guess again."""
        if self.settings().layers.get("grids") and self.settings().components.get(self.layer_panel.kind):
            return
        settings = ls.guess(self.project)
        settings.kind = self.layer_panel.kind
        self._apply_settings(settings)

    # ----- the district index ---------------------------------------------------------------------
    def _schedule_index(self) -> None:
        """Rebuild soon (typing in the field combos must not rebuild on every key)."""
        if self.isVisible():
            self._settings_timer.start()

    def _settings_settled(self) -> None:
        if self.isVisible():
            self.ensure_index(report=False)  # the same problem is not pushed again on every change

    def _index_invalidated(self) -> None:
        self._clear_result(tr("The layers changed: click Count again."))
        self._index_ready(None)
        self._schedule_index()

    def ensure_index(self, report: bool = True) -> Optional[DistrictIndex]:
        """The index for the current settings, built (with a busy cursor and progress) when needed."""
        settings = self.settings()
        index = self.cache.current(settings)
        if index is None:
            feedback = QgsProcessingFeedback()
            feedback.progressChanged.connect(self._build_progress)
            self._set_busy(True, tr("Reading the layers..."))
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                index = self.cache.get(settings, feedback)
                self._last_error = ""
            except CityComponentsError as exc:
                text = messages.describe(exc)
                self._index_ready(None, text)
                if report or text != self._last_error:
                    messages.error(self.iface, text)
                self._last_error = text
                return None
            except Exception as exc:  # noqa: BLE001 - a bug must not reach the operator as a traceback
                self._index_ready(None, str(exc))
                messages.unexpected(self.iface, exc)
                return None
            finally:
                QApplication.restoreOverrideCursor()
                self._set_busy(False)
        if index is not self._shown_index:
            self._index_ready(index)
        return index

    def _build_progress(self, value: float) -> None:
        self.progressBar.setValue(int(value))
        self.progressBar.repaint()

    def _index_ready(self, index: Optional[DistrictIndex], problem: str = "") -> None:
        """Show a new index: regions, types, batch options."""
        if index is not self._shown_index:
            self._clear_result()
        self._shown_index = index
        self.picker.set_index(index)
        self.type_model.set_types(index)
        self.typeTree.expandAll()
        self._update_type_counts()
        self.batch.fill_options(index)
        self.countButton.setEnabled(index is not None)
        if index is None:
            self.taskLabel.setText(problem)
            return
        self.taskLabel.setText(tr("{0} features read: {1} in a grid, {2} in no grid.").format(
            index.components_read, index.assigned, index.unassigned))

    def _region_layer(self, level: Level):
        return self.cache.region_layers.get(ROLE_OF_LEVEL[level]) if self.cache.index is not None else None

    # ----- region and types -----------------------------------------------------------------------
    def _region_changed(self) -> None:
        self._update_type_counts()

    def _update_type_counts(self) -> None:
        """Each type's count in the current region (the whole district when none is chosen)."""
        index = self._shown_index
        if index is None:
            return
        level, region = self.picker.query()
        if level is None:
            members = np.nonzero(index.comp_grid >= 0)[0]
        else:
            members = index.region_members(level, region)
        counts = index.type_counts(members)
        self.type_model.set_counts({name: int(counts[i]) for i, name in enumerate(index.type_names)})

    def _filter_types(self, text: str) -> None:
        self.type_proxy.setFilterFixedString(text)
        self.typeTree.expandAll()

    def select_region(self, level: Level, key: Optional[str]) -> None:
        """Pick a region by key through the cascade (tests and scripts use this as the operator's choice)."""
        if self.ensure_index(report=True) is not None:
            self.picker.select(level, key)

    # ----- counting -------------------------------------------------------------------------------
    def count(self) -> Optional[QueryResult]:
        """统计: fill the tables, zoom to the region, outline it and select its components."""
        index = self.ensure_index(report=True)
        if index is None:
            return None
        level, region = self.picker.query()
        if level is None:
            messages.warning(self.iface, tr("Choose a street office, supervisor area, committee or grid first."))
            return None
        checked = self.type_model.checked_types()
        if not checked:
            messages.warning(self.iface, tr("Check at least one type to count."))
            return None
        types = None if self.type_model.all_checked() else checked
        try:
            members = index.region_members(level, region, types)
            stats = index.statistics(members)
            rows = index.detail_rows(members)
        except CityComponentsError as exc:
            messages.error(self.iface, messages.describe(exc))
            return None
        self.result = QueryResult(level, region, types, members, stats, index.detail_headers(), rows,
                                  statistics_headers(index.kind))
        self.statistics_model.set_rows(stats, self.edition_panel.changes_by_type(index, level, region))
        self.detail_model.set_rows(self.result.headers, rows, members.tolist())
        total = int(sum(c for _n, c in stats))
        template = (tr("{0} {1}: {2} addresses and points of interest in {3} categories.")
                    if index.kind == KIND_ADDRESSES else tr("{0} {1}: {2} components of {3} types."))
        self.summaryLabel.setText(template.format(level_name(level), region.key, total, len(stats)))
        self.saveButton.setEnabled(True)
        self.save_settings()
        self._show_on_map(index, level, region, members)
        return self.result

    def _show_on_map(self, index: DistrictIndex, level: Level, region, members: np.ndarray) -> None:
        try:
            self.map.show_region(self._region_layer(level), region.fid)
            self.map.select_components(index, self.cache.component_layers, members)
        except Exception as exc:  # noqa: BLE001 - the counts are right even if the map fails
            messages.unexpected(self.iface, exc)

    def _clear_result(self, note: str = "") -> None:
        self.result = None
        self.statistics_model.set_rows([])
        self.detail_model.set_rows([], [], [])
        self.summaryLabel.setText(note)
        self.saveButton.setEnabled(False)

    def _detail_double_clicked(self, model_index) -> None:
        self.show_component(model_index.row())

    def show_component(self, row: int) -> bool:
        """Pan to the component of a (displayed) detail row and flash it."""
        index = self.cache.index
        component = self.detail_model.component_at(row)
        if index is None or component is None:
            return False
        if not self.map.flash_component(index, self.cache.component_layers, component):
            messages.warning(self.iface, tr("This feature has no geometry: it cannot be shown on the map."))
            return False
        return True

    # ----- saving ---------------------------------------------------------------------------------
    def ask_save(self) -> None:
        """Ask where, then write the workbook and/or the original tool's two text files."""
        if self.result is None:
            return
        folder = QgsSettings().value(SETTINGS_PREFIX + "save_folder", "", type=str) or os.path.expanduser("~")
        name = safe_file_base(self.result.region.key)
        both = tr("Excel workbook and text files (*.xlsx)")
        workbook = tr("Excel workbook only (*.xlsx)")
        text = tr("Text files only, like the original tool (*.txt)")
        path, chosen = QFileDialog.getSaveFileName(self, tr("Save result"), os.path.join(folder, name + ".xlsx"),
                                                   ";;".join((both, workbook, text)), both,
                                                   QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        formats = ["txt"] if chosen == text else ["xlsx"] if chosen == workbook else ["xlsx", "txt"]
        existing = [f for f in target_files(path, formats) if os.path.exists(f)]
        if existing and not self._confirm_replace(existing):
            return
        QgsSettings().setValue(SETTINGS_PREFIX + "save_folder", os.path.dirname(path))
        self.save_result(path, formats)

    def _confirm_replace(self, existing: list) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Save result"),
                          tr("These files exist already:\n{0}\n\nReplace them?").format(
                              "\n".join(os.path.basename(f) for f in existing)), parent=self)
        replace = box.addButton(tr("Replace"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is replace

    def save_result(self, path: str, formats=("xlsx", "txt"), encoding: str = "utf-8") -> list:
        """Write the current result; errors go to the message bar. Returns the files written."""
        if self.result is None:
            messages.warning(self.iface, tr("Nothing to save yet: click Count first."))
            return []
        try:
            result = self.result
            written = save_result(path, result.stat_headers, result.statistics, result.headers, result.rows, formats,
                                  encoding)
        except CityComponentsError as exc:
            messages.error(self.iface, messages.describe(exc))
            return []
        except Exception as exc:  # noqa: BLE001
            messages.unexpected(self.iface, exc)
            return []
        folder = os.path.dirname(os.path.abspath(written[0])) if written else ""
        messages.with_button(self.iface, tr("Saved {0}.").format(", ".join(os.path.basename(f) for f in written)),
                             tr("Open folder"), lambda: open_folder(folder), Qgis.MessageLevel.Success, 10)
        return written

    # ----- batch export and booklets --------------------------------------------------------------
    # ----- batch export and booklets (the Batch tab: gui/batch_panel.py) -----------------------------
    @property
    def run(self) -> Optional[AlgorithmRun]:
        return self.batch.run

    def batch_parameters(self) -> dict:
        return self.batch.batch_parameters()

    def booklet_parameters(self) -> dict:
        return self.batch.booklet_parameters()

    def start_batch_export(self) -> Optional[AlgorithmRun]:
        return self.batch.start_batch_export()

    def start_booklets(self) -> Optional[AlgorithmRun]:
        return self.batch.start_booklets()

    def cancel_run(self) -> None:
        self.batch.cancel_run()

    def _set_busy(self, busy: bool, text: str = "", cancellable: bool = False) -> None:
        """Progress bar and Cancel only while something runs; the run buttons wait meanwhile."""
        self.progressBar.setVisible(busy)
        self.progressBar.setValue(0)
        self.cancelButton.setVisible(busy and cancellable)
        self.cancelButton.setEnabled(busy and cancellable)
        running = busy and cancellable
        self.batchButton.setEnabled(not running)
        self.bookletButton.setEnabled(not running)
        if text:
            self.taskLabel.setText(text)

    # ----- window ---------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        s = QgsSettings()
        geometry = s.value(SETTINGS_PREFIX + "geometry")
        if geometry:
            self.restoreGeometry(geometry)
        for splitter in (self.mainSplitter, self.resultSplitter):
            state = s.value(SETTINGS_PREFIX + splitter.objectName())
            if state:
                splitter.restoreState(state)
        if not s.value(SETTINGS_PREFIX + self.mainSplitter.objectName()):
            self.mainSplitter.setSizes([440, 720])
            self.resultSplitter.setSizes([260, 420])

    def _save_geometry(self) -> None:
        s = QgsSettings()
        s.setValue(SETTINGS_PREFIX + "geometry", self.saveGeometry())
        for splitter in (self.mainSplitter, self.resultSplitter):
            s.setValue(SETTINGS_PREFIX + splitter.objectName(), splitter.saveState())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self.cache.current(self.settings()) is None:
            QTimer.singleShot(0, lambda: self.ensure_index(report=False))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        self._save_geometry()
        self.picker.stop_map_pick()
        self.map.clear_highlight()
        super().closeEvent(event)

    def close_and_cleanup(self) -> None:
        """Plugin unload: stop the map tool, remove the outline and selection, stop a run, let go of the project."""
        self.picker.stop_map_pick()
        self.map.clear()  # the outline and the selection made in the user's layers
        self.batch.shutdown()
        for signal, slot in ((self.project.readProject, self._project_read),
                             (self.project.writeProject, self._project_writing),
                             (self.project.cleared, self._project_cleared),
                             (self.project.layersAdded, self._layers_added)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        self.layer_panel.disconnect_project()
        try:
            self.layer_panel.changed.disconnect(self._settings_changed)
        except TypeError:
            pass
        self._settings_timer.stop()
        self.cache.clear()
        self.edition_panel.clear()
        if self.isVisible():
            self.close()

