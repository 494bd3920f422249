"""The 统计窗口 of the original MapBasic tool as a QGIS dock panel beside the map: region, types, 统计, save.

A QgsDockWidget (right dock area by default, floatable, tabbable, its place remembered), laid out for a
narrow dock: tabs (query, results, layers, batch) with 统计 and 保存 always below them. Every number comes
from the engine the algorithms use (core.engine.build.build_index on the same DistrictInputs, built in a QgsTask by
gui/index_cache.py), so qgis_process reproduces what it shows.

Other modules add to it through three small hooks (see docs/architecture.md): `add_action` (a button in
the row of 统计 and 保存), `add_query_section` (a box on the query tab, above the types) and `add_tab`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import numpy as np
from qgis.core import Qgis, QgsApplication, QgsProject, QgsSettings
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QEventLoop, QSortFilterProxyModel, Qt, QTimer
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.result_files import save_result, statistics_headers, target_files
from citycomponents_plugin.core.files.safe_names import safe_file_base
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui import layer_settings as ls
from citycomponents_plugin.gui import messages
from citycomponents_plugin.gui.audit_panel import AuditPanel
from citycomponents_plugin.gui.batch_panel import BatchPanel, open_folder
from citycomponents_plugin.gui.database_count import RegionCountTask
from citycomponents_plugin.gui.edition_panel import EditionPanel
from citycomponents_plugin.gui.i18n import tr
from citycomponents_plugin.gui.index_cache import IndexCache
from citycomponents_plugin.gui.layer_panel import LayerPanel
from citycomponents_plugin.gui.map_actions import MapActions
from citycomponents_plugin.gui.message_area import MessageArea
from citycomponents_plugin.gui.region_cascade import level_name
from citycomponents_plugin.gui.region_picker import ROLE_OF_LEVEL, RegionPicker, pick_button_icon
from citycomponents_plugin.gui.result_tables import DetailModel, ResultSortProxy, StatisticsModel
from citycomponents_plugin.gui.tasks import AlgorithmRun
from citycomponents_plugin.gui.type_tree import TypeTreeModel

PLUGIN_DIR = os.path.dirname(os.path.dirname(__file__))
# The form keeps the class name StatisticsDialog: it is the translation context of its strings.
FORM_CLASS, _BASE = uic.loadUiType(os.path.join(PLUGIN_DIR, "ui", "statistics_panel.ui"))
SETTINGS_PREFIX = "citycomponents/panel/"
OBJECT_NAME = "CityComponentsStatisticsPanel"  # QGIS remembers a dock's place by its object name


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
    in_database: bool = False  # counted by the database: members are (layer position, feature id) pairs


class _NoHeightForWidthLayout(QVBoxLayout):
    """Tells the scroll area the panel has no height-for-width: with it (wrapped labels), QScrollArea sizes
    the panel to its preferred height and pushes 统计 below the fold of a 768 px screen; without it, the
    panel fills the dock and scrolls only below its minimum (about 500 px)."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt name
        return False


def _scrolled(contents: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setObjectName("panelScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    holder = QWidget(scroll)
    layout = _NoHeightForWidthLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(contents)
    scroll.setWidget(holder)
    return scroll


class StatisticsPanel(QgsDockWidget, FORM_CLASS):
    """Region -> types -> 统计: tables, map outline and selection, saving, batch export and booklets."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle(tr("City Components Statistics"))
        self.contents = QWidget(self)
        self.setupUi(self.contents)
        self._results_tab()
        self.setWidget(_scrolled(self.contents))
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.project = QgsProject.instance()
        self.cache = IndexCache(self.project, self)
        self.map = MapActions(self.canvas)
        self.result: Optional[QueryResult] = None
        self._shown_index: Optional[DistrictIndex] = None
        self._report_next = False  # the next build's problem goes to the message bar too
        self._count_when_ready = False
        self._count_task: Optional[RegionCountTask] = None  # a count the database is making
        self._count_again = False  # the operator asked again meanwhile: count once more when it ends
        self._bar_items: list = []  # message bar items of problems, removed once fixed
        self._settings_timer = QTimer(self)
        self._settings_timer.setSingleShot(True)
        self._settings_timer.setInterval(400)
        self._settings_timer.timeout.connect(self._settings_settled)
        self.message_area = MessageArea(self.contents)
        self.mainLayout.insertWidget(0, self.message_area)

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
        self.audit = AuditPanel(self.iface, self.settings, self)  # the 数据检查 tab (gui/audit_panel.py)
        self.add_tab(self.audit, tr("Data check"))
        self._connect()
        self._load_settings()
        self._restore_splitters()
        self._set_busy(False)

    # ----- hooks for other modules ----------------------------------------------------------------
    def add_action(self, widget: QWidget) -> QWidget:
        """A button (or any small widget) in the row of 统计 and 保存, after the panel's own."""
        self.extensionLayout.addWidget(widget)
        return widget

    def add_query_section(self, widget: QWidget) -> QWidget:
        """A box on the query tab, between the region and the types (e.g. an edition chooser)."""
        self.queryTabLayout.insertWidget(self.queryTabLayout.indexOf(self.typesGroup), widget)
        return widget

    def add_tab(self, widget: QWidget, title: str) -> int:
        """A tab of its own after Query, Layers and Batch; returns its index."""
        return self.tabWidget.addTab(widget, title)

    # ----- set-up ---------------------------------------------------------------------------------
    def _results_tab(self) -> None:
        """The tables on a tab of their own (second, after Query): a narrow, short dock shows the region
        lists and the type tree whole; 统计 and 保存 stay below the tabs, and 统计 shows this tab."""
        page = QWidget(self.tabWidget)
        page.setObjectName("resultsTab")
        layout = QVBoxLayout(page)
        for widget in (self.summaryLabel, self.resultSplitter):
            self.rightLayout.removeWidget(widget)
            layout.addWidget(widget)
        self.results_tab_index = self.tabWidget.insertTab(1, page, tr("Results"))
        # the row of 统计 and 保存 under the tabs, at its own height
        self.rightPanel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.mainLayout.insertWidget(self.mainLayout.indexOf(self.mainSplitter) + 1, self.rightPanel)
        self.mainLayout.setStretchFactor(self.mainSplitter, 1)  # a tall dock gives the room to the tabs
        self.taskLabel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        bottom = QWidget(self.contents)  # the task line and progress at their own height, too
        bottom.setObjectName("bottomPanel")
        bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.mainLayout.removeItem(self.bottomLayout)
        bottom.setLayout(self.bottomLayout)
        self.bottomLayout.setContentsMargins(0, 0, 0, 0)
        self.mainLayout.addWidget(bottom)
        self.typeTree.setMinimumHeight(40)
        self.queryLevelLabel.hide()  # the lists show the choice, the summary the count: the height goes to them
        self._narrow_layers_tab()
        for page in (self.layersTab, self.batchTab):  # long forms scroll inside their tab, not the panel
            self._scroll_tab(page)
        for view in (self.statisticsView, self.detailView):
            view.setMinimumHeight(50)
        self.queryObjectGroup.setTitle("")  # the two buttons say what they choose; the height goes to the lists
        self.queryObjectGroup.setFlat(True)
        self.queryObjectGroup.layout().setContentsMargins(2, 0, 2, 0)
        self.regionGroup.setTitle("")  # each list has its label, the tree its header: no titles above them
        self.typesGroup.setFlat(True)
        for group in (self.regionGroup, self.typesGroup):
            group.layout().setContentsMargins(4, 4, 4, 4)

    def _narrow_layers_tab(self) -> None:
        """Each role's layer box on its own line, its field box below it: whole layer names in a narrow dock."""
        grid = self.layersLayout
        rows = [(self.streetLayerLabel, self.streetLayerCombo, self.streetFieldCombo),
                (self.supervisorLayerLabel, self.supervisorLayerCombo, self.supervisorFieldCombo),
                (self.committeeLayerLabel, self.committeeLayerCombo, self.committeeFieldCombo),
                (self.gridLayerLabel, self.gridLayerCombo, self.gridFieldCombo)]
        for widget in [self.layerHeaderLabel, self.fieldHeaderLabel] + [w for row in rows for w in row]:
            grid.removeWidget(widget)
        self.layerHeaderLabel.hide()
        self.fieldHeaderLabel.hide()
        for n in range(3):
            grid.setColumnStretch(n, 0)
        grid.setColumnStretch(1, 1)
        for n, (label, layer_combo, field_combo) in enumerate(rows):
            grid.addWidget(label, 2 * n, 0)
            grid.addWidget(layer_combo, 2 * n, 1)
            grid.addWidget(field_combo, 2 * n + 1, 1)
            field_combo.setToolTip(self.fieldHeaderLabel.text())
        for combo in self.layersTab.findChildren(QComboBox):  # no box asks for more than a narrow dock
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _scroll_tab(self, page: QWidget) -> None:
        number = self.tabWidget.indexOf(page)
        title = self.tabWidget.tabText(number)
        self.tabWidget.removeTab(number)
        scroll = QScrollArea(self.tabWidget)
        scroll.setObjectName(page.objectName() + "Scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(page)
        self.tabWidget.insertTab(number, scroll, title)

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
        # 17-digit codes do not fit a narrow dock: the details' columns fit their contents and scroll sideways
        self.detailView.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.detailView.horizontalHeader().setStretchLastSection(True)
        # Column widths from the rows on screen (Qt reads 1,000 rows per column by default: 70 ms a count).
        self.detailView.horizontalHeader().setResizeContentsPrecision(50)
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
        self.cache.built.connect(self._index_built)
        self.cache.failed.connect(self._index_failed)
        self.cache.cancelled.connect(self._index_cancelled)
        self.cache.stale.connect(self._index_stale)
        self.cache.progressChanged.connect(self._build_progress)
        self.picker.regionChanged.connect(self._region_changed)
        self.picker.problem.connect(lambda text: self.show_message(text, Qgis.MessageLevel.Warning))
        self.typeFilterEdit.textChanged.connect(self._filter_types)
        self.selectAllButton.clicked.connect(lambda: self.type_model.set_all(True))
        self.selectNoneButton.clicked.connect(lambda: self.type_model.set_all(False))
        self.countButton.clicked.connect(self.count)
        self.saveButton.clicked.connect(self.ask_save)
        self.detailFilterEdit.textChanged.connect(self.detail_model.set_filter)
        self.detailView.doubleClicked.connect(self._detail_double_clicked)
        self.cancelButton.clicked.connect(self.cancel_run)
        self.visibilityChanged.connect(self._visibility_changed)
        self.closed.connect(self._panel_closed)
        self.dockLocationChanged.connect(self._save_place)
        self.topLevelChanged.connect(self._save_place)
        self.project.readProject.connect(self._project_read)
        self.project.writeProject.connect(self._project_writing)
        self.project.cleared.connect(self._project_cleared)
        self.project.layersAdded.connect(self._layers_added)

    # ----- messages -------------------------------------------------------------------------------
    def show_message(self, text: str, level: int = Qgis.MessageLevel.Critical, to_bar: bool = False) -> None:
        """A problem in the panel (wrapped, naming the panel's control); in QGIS's bar too when asked and the
        panel is not on screen (closed, or behind another panel's tab)."""
        self.message_area.show_message(text, level)
        if to_bar and not self.isVisible():
            item = messages.push(self.iface, text, level, 0 if level == Qgis.MessageLevel.Critical else 10)
            if item is not None:
                self._bar_items.append(item)

    def clear_messages(self) -> None:
        """The problem is fixed (the next run succeeded): its messages go, in the panel and the bar."""
        self.message_area.clear()
        items, self._bar_items = self._bar_items, []
        for item in items:
            messages.pop(self.iface, item)

    def message_text(self) -> str:
        return self.message_area.text()

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
        """Remember the choices in the project (by layer id), so reopening it restores the panel."""
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
        """地址查询 speaks of names and categories, 部件查询 of components, types and 标识码."""
        addresses = self.layer_panel.kind == KIND_ADDRESSES
        self.type_model.set_kind(self.layer_panel.kind)
        self.statistics_model.set_kind(self.layer_panel.kind)
        if addresses:
            self.typesGroup.setTitle(tr("Categories"))
            self.idFieldLabel.setText(tr("Address code field"))
            self.typeFieldLabel.setText(tr("Category field"))
            self.typeFilterEdit.setPlaceholderText(tr("Filter categories or layers"))
            self.detailFilterEdit.setPlaceholderText(
                tr("Filter the list (name, category or address); double-click a row to show it on the map"))
        else:
            self.typesGroup.setTitle(tr("Component types"))
            self.idFieldLabel.setText(tr("Identifier field"))
            self.typeFieldLabel.setText(tr("Type field"))
            self.typeFilterEdit.setPlaceholderText(tr("Filter types"))
            self.detailFilterEdit.setPlaceholderText(
                tr("Filter the list (code, name or grid); double-click a row to show it on the map"))

    def _project_read(self, *args) -> None:
        self.cache.cancel()
        self.cache.clear()
        self._load_settings()

    def _project_cleared(self) -> None:
        self.cache.cancel()
        self.cache.clear()
        self.map.clear_highlight()
        self._clear_result()
        self._index_ready(None)
        self.clear_messages()
        self._set_busy(False)

    def _layers_added(self, layers) -> None:
        """Layers loaded after the panel opened: if nothing usable was chosen yet, guess again."""
        if self.settings().layers.get("grids") and self.settings().components.get(self.layer_panel.kind):
            return
        settings = ls.guess(self.project)
        settings.kind = self.layer_panel.kind
        self._apply_settings(settings)

    # ----- the district index (built in a task) ---------------------------------------------------
    def _schedule_index(self) -> None:
        """Rebuild soon (typing in the field combos must not rebuild on every key)."""
        if self.isVisible():
            self._settings_timer.start()

    def _settings_settled(self) -> None:
        if self.isVisible():
            self.request_index(report=False)

    def _index_invalidated(self) -> None:
        self._clear_result(tr("The layers changed: click Count again."))
        self._index_ready(None)
        self._schedule_index()

    def request_index(self, report: bool = True) -> Optional[DistrictIndex]:
        """The index for the current settings if it is ready; otherwise its build starts (or goes on).

        `report`: a problem found by the build goes to QGIS's message bar too (an explicit 统计).
        """
        settings = self.settings()
        index = self.cache.current(settings)
        if index is not None:
            if index is not self._shown_index:
                self._index_ready(index)
            return index
        self._report_next = self._report_next or report
        if self.cache.building() and self.cache.task.key == settings.key():
            return None
        if not settings.layers.get("grids") or not settings.components.get(settings.kind):
            self.cache.cancel()
            self._set_busy(False)
            self._index_ready(None)
            text = tr("Choose the unit grid layer and the point layers first (Layers tab).")
            if report:
                self.show_message(text, Qgis.MessageLevel.Warning, to_bar=True)
            self.taskLabel.setText(text)
            return None
        if self._shown_index is not None:
            self._index_ready(None)  # never show numbers of layers that changed
        self.cache.start(settings)
        if self.cache.building():
            self._set_busy(True, tr("Reading the layers..."), cancellable=True)
        return None

    def ensure_index(self, report: bool = True) -> Optional[DistrictIndex]:
        """The index for the current settings, waiting for its build (scripts and tests; the event loop turns)."""
        index = self.request_index(report)
        for _attempt in range(5):  # a build that ended stale (layers changed meanwhile) starts once more
            if index is not None or not self.cache.building():
                break
            self.cache.wait()
            index = self.cache.current(self.settings())
        return self.request_index(False) if index is not None else None

    def _build_progress(self, value: float) -> None:
        self.progressBar.setValue(int(value))

    def _index_built(self, index: DistrictIndex) -> None:
        self._set_busy(False)
        if self.cache.key != self.settings().key():  # the choices changed while it was built
            self.request_index(self._report_next)
            return
        self._report_next = False
        if self.message_area.level == Qgis.MessageLevel.Critical:
            self.clear_messages()
        if index.warnings:  # CRSs, overlaps, numeric codes, encodings, uncovered grids: said once per build
            self.show_message("\n".join(messages.describe_message(w) for w in index.warnings),
                              Qgis.MessageLevel.Warning)
        elif self.message_area.level == Qgis.MessageLevel.Warning:
            self.clear_messages()
        self._index_ready(index)
        if index.components_in_database and self.cache.building():  # the whole index is read next
            self._set_busy(True, tr("Reading the components; meanwhile each count is made by the database."),
                           cancellable=True)
        if self._count_when_ready:
            self._count_when_ready = False
            self.count()

    def _index_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._count_when_ready = False
        report, self._report_next = self._report_next, False
        if isinstance(exc, CityComponentsError):
            text = messages.describe(exc)
            repeated = text == self.message_text()
            self._index_ready(None, tr("The layers could not be read: see the message above."))
            self.show_message(text, Qgis.MessageLevel.Critical, to_bar=report and not repeated)
        else:  # a bug: one readable line, the traceback in the log
            self._index_ready(None, tr("The layers could not be read: see the message above."))
            self.show_message(messages.unexpected_text(exc), Qgis.MessageLevel.Critical)
            messages.unexpected(self.iface, exc)

    def _index_cancelled(self) -> None:
        self._set_busy(False, tr("Cancelled: click Count to read the layers again."))
        self._count_when_ready = False
        self._report_next = False

    def _index_stale(self) -> None:
        """The layers changed while they were read: read them again."""
        self.request_index(self._report_next)

    def _index_ready(self, index: Optional[DistrictIndex], problem: str = "") -> None:
        """Show a new index: regions, types, batch options."""
        shown = self._shown_index
        if index is not shown and not (shown is not None and shown.components_in_database and index is not None
                                       and index is self.cache.index):
            self._clear_result()  # a count of the region index stays: the whole index of the same layers follows
        self._shown_index = index
        self.picker.set_index(index)
        self.type_model.set_types(index, self.cache.classes if index is self.cache.index else None)
        self.typeTree.expandAll()
        self._update_type_counts()
        self.batch.fill_options(index)
        self.countButton.setEnabled(index is not None or bool(self.settings().layers.get("grids")))
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
        if index.components_in_database:  # known for a region once the database has counted it
            self.type_model.clear_counts()
            return
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
        """统计: fill the tables, zoom to the region, outline it and select its components.

        While the layers are being read the count waits for them and runs when they are ready.
        """
        index = self.request_index(report=True)
        if index is None:
            if self.cache.building():
                self._count_when_ready = True
            return None
        level, region = self.picker.query()
        if level is None:
            self.show_message(tr("Choose a street office, supervisor area, committee or grid first (the region "
                                 "lists on the Query tab)."), Qgis.MessageLevel.Warning, to_bar=True)
            return None
        checked = self.type_model.checked_types()
        if not checked:
            self.show_message(tr("Check at least one type to count (the type tree on the Query tab)."),
                              Qgis.MessageLevel.Warning, to_bar=True)
            return None
        types = None if self.type_model.all_checked() else checked
        if index.components_in_database:
            return self._count_in_database(level, region, types)
        try:
            members = index.region_members(level, region, types)
            stats = index.statistics(members)
            rows = index.detail_rows(members)
        except CityComponentsError as exc:
            self.show_message(messages.describe(exc), Qgis.MessageLevel.Critical, to_bar=True)
            return None
        result = QueryResult(level, region, types, members, stats, index.detail_headers(), rows,
                             statistics_headers(index.kind))
        self._show_result(index, result, self.edition_panel.changes_by_type(index, level, region))
        return self.result

    def _count_in_database(self, level: Level, region, types) -> None:
        """The region index's count: asked of the database in a task; the tables fill when it answers."""
        if self._count_task is not None:  # one at a time: the latest choice is counted when this one ends
            self._count_again = True
            return None
        task = RegionCountTask(self.cache.counter, level, region, types, self._counted)
        self._count_task = task
        self.summaryLabel.setText(tr("Counting in the database..."))
        QgsApplication.taskManager().addTask(task)
        return None

    def _counted(self, task: RegionCountTask) -> None:
        self._count_task = None
        if self._count_again:
            self._count_again = False
            self.count()
            return
        if task.index is not self._shown_index:  # another index came meanwhile (the whole one, or new data)
            if self._shown_index is not None:
                self.count()  # the operator's count, made again on the index now shown
            return
        if task.error is not None:
            self.summaryLabel.setText("")
            if isinstance(task.error, CityComponentsError):
                self.show_message(messages.describe(task.error), Qgis.MessageLevel.Critical, to_bar=True)
            else:
                self.show_message(messages.unexpected_text(task.error), Qgis.MessageLevel.Critical)
                messages.unexpected(self.iface, task.error)
            return
        res = task.result
        result = QueryResult(task.level, task.region, task.types, res.members, res.statistics,
                             task.index.detail_headers(), res.details, statistics_headers(task.index.kind), True)
        self._show_result(task.index, result, None)
        if task.types is None:
            self.type_model.set_counts(dict(res.statistics))

    def wait_for_count(self, timeout_ms: int = 60_000) -> Optional[QueryResult]:
        """Turn the event loop until the database's count has come (scripts and tests).

        The loop turns instead of blocking on the task: a task still queued (the thread pool busy)
        would block the main thread for good, and the tasks ahead of it may need that thread.
        """
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: self._count_task is None and loop.quit())
        poll.start(20)
        QTimer.singleShot(timeout_ms, loop.quit)
        if self._count_task is not None:
            loop.exec()
        poll.stop()
        return self.result

    def _show_result(self, index: DistrictIndex, result: QueryResult, changes: Optional[dict]) -> None:
        """Fill the tables, zoom to the region, outline it and select its components."""
        self.clear_messages()
        self.result = result
        self.statistics_model.set_rows(result.statistics, changes)
        # Each row's component: its index in the district index, or its row (members) for the database's
        self.detail_model.set_rows(result.headers, result.rows, list(range(len(result.rows))) if result.in_database
                                   else result.members.tolist())
        self.detailView.resizeColumnsToContents()  # the first rows decide (precision 50), not all 20k
        total = int(sum(c for _n, c in result.statistics))
        template = (tr("{0} {1}: {2} addresses and points of interest in {3} categories.")
                    if index.kind == KIND_ADDRESSES else tr("{0} {1}: {2} components of {3} types."))
        self.summaryLabel.setText(template.format(level_name(result.level), result.region.key, total,
                                                  len(result.statistics)))
        self.tabWidget.setCurrentIndex(self.results_tab_index)
        self.saveButton.setEnabled(True)
        self.save_settings()
        self._show_on_map(index, result)

    def _show_on_map(self, index: DistrictIndex, result: QueryResult) -> None:
        try:
            self.map.show_region(self._region_layer(result.level), result.region.fid)
            if result.in_database:
                self.map.select_features(self.cache.component_layers, result.members)
            else:
                self.map.select_components(index, self.cache.component_layers, result.members)
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
        if index is None or component is None or self.result is None:
            return False
        if self.result.in_database:
            layer_number, fid = self.result.members[component]
            shown = self.map.flash_feature(self.cache.component_layers[layer_number], fid)
        else:
            shown = self.map.flash_component(index, self.cache.component_layers, component)
        if not shown:
            self.show_message(tr("This feature has no geometry: it cannot be shown on the map."),
                              Qgis.MessageLevel.Warning)
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
        """Write the current result; errors go to the panel and the message bar. Returns the files written."""
        if self.result is None:
            self.show_message(tr("Nothing to save yet: click Count first."), Qgis.MessageLevel.Warning, True)
            return []
        try:
            result = self.result
            written = save_result(path, result.stat_headers, result.statistics, result.headers, result.rows, formats,
                                  encoding)
        except CityComponentsError as exc:
            self.show_message(messages.describe(exc, messages.save_control), Qgis.MessageLevel.Critical, to_bar=True)
            return []
        except Exception as exc:  # noqa: BLE001
            messages.unexpected(self.iface, exc)
            return []
        self.clear_messages()
        folder = os.path.dirname(os.path.abspath(written[0])) if written else ""
        messages.with_button(self.iface, tr("Saved {0}.").format(", ".join(os.path.basename(f) for f in written)),
                             tr("Open folder"), lambda: open_folder(folder), Qgis.MessageLevel.Success, 10)
        return written

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
        """Cancel: the index build if one runs, else the batch run."""
        if self.cache.building():
            self.cache.cancel()
            self._index_cancelled()
            return
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

    # ----- dock -----------------------------------------------------------------------------------
    def _restore_splitters(self) -> None:
        s = QgsSettings()
        state = s.value(SETTINGS_PREFIX + self.resultSplitter.objectName())
        if state:
            self.resultSplitter.restoreState(state)
        else:
            self.resultSplitter.setSizes([200, 260])

    def _save_splitters(self) -> None:
        s = QgsSettings()
        s.setValue(SETTINGS_PREFIX + self.resultSplitter.objectName(), self.resultSplitter.saveState())

    def _save_place(self, *args) -> None:
        """Dock area, floating state and size: the next session opens the panel where it was left."""
        main = self.iface.mainWindow()
        s = QgsSettings()
        area = main.dockWidgetArea(self) if hasattr(main, "dockWidgetArea") else Qt.DockWidgetArea.RightDockWidgetArea
        if area != Qt.DockWidgetArea.NoDockWidgetArea:
            s.setValue(SETTINGS_PREFIX + "area", int(area))
        s.setValue(SETTINGS_PREFIX + "floating", self.isFloating())
        if self.isFloating():
            s.setValue(SETTINGS_PREFIX + "geometry", self.saveGeometry())

    @staticmethod
    def saved_area() -> Qt.DockWidgetArea:
        """Where the panel was last docked (the right dock area the first time)."""
        value = QgsSettings().value(SETTINGS_PREFIX + "area", int(Qt.DockWidgetArea.RightDockWidgetArea), type=int)
        areas = {int(a): a for a in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                                     Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)}
        return areas.get(value, Qt.DockWidgetArea.RightDockWidgetArea)

    def restore_floating(self) -> None:
        s = QgsSettings()
        if s.value(SETTINGS_PREFIX + "floating", False, type=bool):
            self.setFloating(True)
            geometry = s.value(SETTINGS_PREFIX + "geometry")
            if geometry:
                self.restoreGeometry(geometry)

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self.cache.current(self.settings()) is None:
            QTimer.singleShot(0, lambda: self.request_index(report=False))

    def _panel_closed(self) -> None:
        """The operator closed the panel: nothing of it stays on the map (the pick tool, the outline)."""
        self._save_splitters()
        self._save_place()
        self.picker.stop_map_pick()
        self.map.clear_highlight()

    def close_and_cleanup(self) -> None:
        """Plugin unload: stop the map tool and the build, remove the outline and selection, stop a run."""
        self._save_splitters()
        self.picker.shutdown()
        self.map.clear()  # the outline and the selection made in the user's layers
        self.batch.shutdown()
        self.cache.shutdown()
        self.audit.shutdown()
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
        self.edition_panel.clear()
        self.clear_messages()
