"""The Batch tab: export every region (citycomponents:batchexport) or make the supervisors' booklets
(citycomponents:booklet) on the dialog's layers, as background runs with progress and cancel.

When a run ends, the message bar says so in words and offers to open the output folder.
"""

from __future__ import annotations

import os
from typing import Callable, Optional

from qgis.core import Qgis, QgsSettings
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QObject, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui import messages
from citycomponents_plugin.gui.i18n import tr
from citycomponents_plugin.gui.region_cascade import level_name
from citycomponents_plugin.gui.tasks import AlgorithmRun

PLUGIN_DIR = os.path.dirname(os.path.dirname(__file__))
FOLDER_SETTING = "citycomponents/dialog/output_folder"


def open_folder(folder: str) -> None:
    """Open a folder in the system's file manager."""
    if folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))


class BatchPanel(QObject):
    """Options, parameters and runs of the Batch tab; `ui` is the dialog holding the widgets."""

    def __init__(self, ui, iface, settings: Callable, save_settings: Callable, type_model, set_busy: Callable,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.iface = iface
        self.settings = settings  # () -> LayerSettings
        self.save_settings = save_settings  # the layers a run used are remembered in the project
        self.type_model = type_model
        self.set_busy = set_busy  # (busy, text, cancellable) on the dialog's progress row
        self.run: Optional[AlgorithmRun] = None
        self._levels: Optional[set] = None  # ticked levels (None: every level)
        self._areas: set = set()  # ticked supervisor areas
        self._setup()
        ui.batchButton.clicked.connect(self.start_batch_export)
        ui.bookletButton.clicked.connect(self.start_booklets)
        ui.outputFolderWidget.fileChanged.connect(lambda path: QgsSettings().setValue(FOLDER_SETTING, path))

    def _setup(self) -> None:
        ui = self.ui
        ui.outputFolderWidget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        ui.outputFolderWidget.setDialogTitle(tr("Output folder"))
        ui.outputFolderWidget.setFilePath(QgsSettings().value(FOLDER_SETTING, "", type=str))
        for n, label in enumerate((tr("Excel (.xlsx)"), tr("Text (.txt)"), tr("CSV (.csv)"))):
            ui.formatsCombo.addItemWithCheckState(label, Qt.CheckState.Checked if n < 2 else Qt.CheckState.Unchecked, n)
        ui.encodingCombo.addItem(tr("UTF-8 (Excel, WPS, Word)"), 0)
        ui.encodingCombo.addItem(tr("GBK (older Chinese software)"), 1)
        ui.pageSizeCombo.addItem(tr("A6 pocket size"), 0)
        ui.pageSizeCombo.addItem(tr("A5"), 1)
        ui.batchButton.setIcon(QIcon(os.path.join(PLUGIN_DIR, "resources", "icons", "export.svg")))
        ui.bookletButton.setIcon(QIcon(os.path.join(PLUGIN_DIR, "resources", "icons", "booklet.svg")))
        ui.levelsCombo.setDefaultText(tr("every level"))
        ui.areasCombo.setDefaultText(tr("every supervisor area"))
        labels = (ui.outputFolderLabel, ui.levelsLabel, ui.formatsLabel, ui.encodingLabel, ui.areasLabel,
                  ui.pageSizeLabel)
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:  # the three boxes of the tab line up
            label.setMinimumWidth(width)

    def fill_options(self, index: Optional[DistrictIndex]) -> None:
        """Levels and supervisor areas of the index; the operator's ticks survive a rebuild."""
        ui = self.ui
        if ui.levelsCombo.count():
            self._levels = set(ui.levelsCombo.checkedItemsData())
        if ui.areasCombo.count():
            self._areas = set(ui.areasCombo.checkedItems())
        ui.levelsCombo.clear()
        ui.areasCombo.clear()
        if index is None:
            return
        for level in index.levels_present():
            ticked = self._levels is None or level.parameter_index in self._levels
            state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            ui.levelsCombo.addItemWithCheckState(level_name(level), state, level.parameter_index)
        if Level.SUPERVISOR in index.levels:
            for region in index.regions(Level.SUPERVISOR):
                ui.areasCombo.addItemWithCheckState(region.key, Qt.CheckState.Checked if region.key in self._areas
                                                    else Qt.CheckState.Unchecked, region.key)
        ui.bookletGroup.setEnabled(Level.SUPERVISOR in index.levels)

    # ----- parameters -----------------------------------------------------------------------------
    def output_folder(self) -> str:
        return self.ui.outputFolderWidget.filePath().strip()

    def batch_parameters(self) -> dict:
        """citycomponents:batchexport parameters for the dialog's layers and the tab's options."""
        ui = self.ui
        params = self.settings().processing_parameters()
        levels = [int(v) for v in ui.levelsCombo.checkedItemsData()]
        if levels:
            params["LEVELS"] = sorted(levels)
        params["FORMATS"] = [int(v) for v in ui.formatsCombo.checkedItemsData()] or [0, 1]
        params["ENCODING"] = int(ui.encodingCombo.currentData() or 0)
        checked = self.type_model.checked_types()
        if checked and not self.type_model.all_checked():  # the types ticked in the Query tab
            params["TYPES"] = ",".join(checked)
        params["OVERWRITE"] = ui.overwriteCheck.isChecked()
        params["OUTPUT_FOLDER"] = self.output_folder()
        return params

    def booklet_parameters(self) -> dict:
        """citycomponents:booklet parameters: every supervisor area unless some are ticked."""
        ui = self.ui
        params = self.settings().processing_parameters()
        areas = [str(v) for v in ui.areasCombo.checkedItemsData()]
        if areas:
            params["SUPERVISOR_AREAS"] = ",".join(areas)
        params["PAGE_SIZE"] = int(ui.pageSizeCombo.currentData() or 0)
        params["OVERWRITE"] = ui.overwriteCheck.isChecked()
        params["OUTPUT_FOLDER"] = self.output_folder()
        return params

    # ----- runs -----------------------------------------------------------------------------------
    def start_batch_export(self) -> Optional[AlgorithmRun]:
        return self._start("citycomponents:batchexport", self.batch_parameters(), tr("Exporting every region..."))

    def start_booklets(self) -> Optional[AlgorithmRun]:
        return self._start("citycomponents:booklet", self.booklet_parameters(), tr("Making the booklets..."))

    def _start(self, algorithm_id: str, params: dict, label: str) -> Optional[AlgorithmRun]:
        if self.run is not None and not self.run.done:
            messages.warning(self.iface, tr("A batch run is still going: wait for it or cancel it."))
            return None
        if not params.get("OUTPUT_FOLDER"):
            messages.warning(self.iface, tr("Choose an output folder first (Batch tab)."))
            return None
        if not params.get("GRIDS") or not params.get("COMPONENTS"):
            messages.warning(self.iface, tr("Choose the unit grid layer and the point layers first (Layers tab)."))
            return None
        self.save_settings()
        run = AlgorithmRun(algorithm_id, params, self)
        run.progressChanged.connect(self._progress)
        run.finished.connect(self._finished)
        self.run = run
        self.set_busy(True, label, True)
        self._lock_dialog(run.runs_on_main_thread())
        try:
            run.start()
        finally:
            self._lock_dialog(False)
        return run

    def _lock_dialog(self, locked: bool) -> None:
        """A main-thread run (booklets) keeps events flowing for progress and Cancel: everything else in the
        dialog waits, so layers and choices cannot change under it."""
        for widget in (self.ui.tabWidget, self.ui.countButton, self.ui.saveButton):
            widget.setEnabled(not locked)

    def _progress(self, value: float) -> None:
        self.ui.progressBar.setValue(int(value))

    def _finished(self, ok: bool, results: dict, message: str) -> None:
        self.set_busy(False, "", False)
        run = self.run
        folder = str(results.get("OUTPUT_FOLDER") or (run.parameters.get("OUTPUT_FOLDER") if run else "") or "")
        if ok:
            self.ui.taskLabel.setText(tr("Done."))
            messages.with_button(self.iface, tr("Finished: the files are in {0}").format(folder), tr("Open folder"),
                                 lambda: open_folder(folder), Qgis.MessageLevel.Success, 0)
        elif message == tr("Cancelled."):
            self.ui.taskLabel.setText(message)
            messages.warning(self.iface, tr("Cancelled: only complete files were kept in {0}").format(folder))
        else:
            self.ui.taskLabel.setText(tr("Failed."))
            messages.error(self.iface, message)

    def cancel_run(self) -> None:
        if self.run is not None and not self.run.done:
            self.run.cancel()
            self.ui.taskLabel.setText(tr("Cancelling..."))

    def shutdown(self) -> None:
        """Plugin unload: cancel a running export, wait for its task, and keep the run object alive
        (detached from this panel, which is about to be deleted) until the task has let go of it."""
        if self.run is not None and not self.run.done:
            self.run.cancel()
            self.run.detach()
            self.run.wait(60_000)
