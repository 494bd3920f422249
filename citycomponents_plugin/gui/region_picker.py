"""The region rows of the panel: four filterable combo boxes in cascade, and a map tool to pick by clicking.

1,593 grids are too many to scroll: each combo box is editable and completes on any part of the name or
code (a QCompleter in MatchContains mode); a grid's 5-digit short code (community + serial, as the booklets
print it) is accepted where it names one grid of the lists. Choosing a region, in a list or on the map,
fills the levels above it and narrows the lists below.

The map tool's lifetime never ends inside one of its own signals: QgsMapToolIdentifyFeature emits
featureIdentified twice from its canvasReleaseEvent, and a tool deleted in the first handler crashes QGIS
in the second. A pick is handled after the event (a zero timer); the tool is unset and released there.
"""

from __future__ import annotations

from typing import Callable, Optional

from qgis.core import QgsFeature, QgsVectorLayer
from qgis.gui import QgsMapCanvas, QgsMapToolIdentifyFeature
from qgis.PyQt.QtCore import QObject, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QCompleter, QLabel, QToolButton

from citycomponents_plugin.core.codes import DEFAULT_GRID_PROFILE
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui import region_cascade as rc
from citycomponents_plugin.gui.i18n import tr

ROLE_OF_LEVEL = {Level.STREET: "streets", Level.SUPERVISOR: "supervisors", Level.COMMITTEE: "committees",
                 Level.GRID: "grids"}


def region_label(region) -> str:
    """Text of a region in the list: its key, and the supervisor's name where the layer has one."""
    return f"{region.key}  ({region.person})" if getattr(region, "person", "") else region.key


def make_filterable(combo: QComboBox) -> None:
    """Editable combo box whose completer pops up every item containing the typed text."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)


class RegionPicker(QObject):
    """Binds the combos to the cascade of region_cascade and keeps the operator's choices."""

    regionChanged = pyqtSignal()  # noqa: N815 - Qt naming
    problem = pyqtSignal(str)  # a message for the panel (e.g. a short code matching several grids)

    def __init__(self, combos: dict, pick_buttons: dict, level_label: QLabel, canvas: QgsMapCanvas,
                 layer_of: Callable[[Level], Optional[QgsVectorLayer]], parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.combos = combos
        self.pick_buttons = pick_buttons
        self.level_label = level_label
        self.canvas = canvas
        self.layer_of = layer_of
        self.index: Optional[DistrictIndex] = None
        self.chosen: dict = {lvl: None for lvl in rc.CASCADE}
        self._map_tool: Optional[QgsMapToolIdentifyFeature] = None
        self._previous_tool = None
        self._tool_level: Optional[Level] = None
        self._retired: list = []  # tools unset, kept until the events that might still use them are done
        self._pending_fid: Optional[int] = None
        self._updating = False
        for level, combo in combos.items():
            make_filterable(combo)
            combo.currentIndexChanged.connect(lambda _i, lvl=level: self._combo_changed(lvl))
            combo.completer().activated[str].connect(lambda text, lvl=level: self._completed(lvl, text))
            combo.lineEdit().editingFinished.connect(lambda lvl=level: self._edit_finished(lvl))
            combo.lineEdit().setPlaceholderText(tr("type to filter"))
        for level, button in pick_buttons.items():
            button.setCheckable(True)
            button.clicked.connect(lambda checked, lvl=level: self._pick_clicked(lvl, checked))
        self._refresh()

    # ----- state ----------------------------------------------------------------------------------
    def set_index(self, index: Optional[DistrictIndex]) -> None:
        """A new index: keep the choices whose keys still exist (kept by key while there is no index)."""
        if index is not self.index:
            self.stop_map_pick()  # the pick tool is bound to the old index's layer
        self.index = index
        if index is not None:
            kept: dict = {lvl: None for lvl in rc.CASCADE}
            for level in rc.CASCADE:
                old = self.chosen.get(level)
                if old is None or not rc.has_level(index, level):
                    continue
                by_key = {r.key: r for r in index.regions(level)}
                kept[level] = by_key.get(old.key)
            self.chosen = kept
        self._refresh()
        self.regionChanged.emit()

    def query(self) -> tuple:
        """(level, region) to count: the most specific level chosen."""
        return rc.query(self.chosen) if self.index is not None else (None, None)

    def select(self, level: Level, key: Optional[str]) -> None:
        """Pick a region by key (as a click on the map does); upper levels follow, lower ones are cleared."""
        if self.index is None:
            return
        region = None
        if key is not None:
            region = {r.key: r for r in self.index.regions(level)}.get(key)
            if region is None:
                return
        self.chosen = rc.choose(self.index, self.chosen, level, region)
        self._refresh()
        self.regionChanged.emit()

    # ----- combos ---------------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Fill every combo from the cascade; only the choices, never the operator's typing, change here."""
        self._updating = True
        try:
            for level in rc.CASCADE:
                combo = self.combos[level]
                combo.blockSignals(True)
                combo.clear()
                present = self.index is not None and rc.has_level(self.index, level)
                combo.setEnabled(present)
                self.pick_buttons[level].setEnabled(present)
                if not present:
                    combo.addItem(tr("(no layer)") if self.index is not None else tr("(not read yet)"), None)
                    combo.blockSignals(False)
                    continue
                regions = rc.options(self.index, self.chosen, level)
                combo.addItem(tr("(all)"), None)
                current = 0
                chosen = self.chosen.get(level)
                for n, region in enumerate(regions, start=1):
                    combo.addItem(region_label(region), region.index)
                    if chosen is not None and region.index == chosen.index:
                        current = n
                if chosen is not None and current == 0:
                    self.chosen[level] = None
                combo.setCurrentIndex(current)
                combo.setToolTip(tr("{0} to choose from; type part of a name or code to filter").format(
                    len(regions)))
                combo.blockSignals(False)
        finally:
            self._updating = False
        self._update_label()

    def _update_label(self) -> None:
        level, region = self.query()
        if level is None:
            self.level_label.setText(tr("Choose a street office, supervisor area, committee or grid."))
        else:
            self.level_label.setText(tr("Query: {0} {1}").format(rc.level_name(level), region.key))

    def _combo_changed(self, level: Level) -> None:
        if self._updating or self.index is None:
            return
        combo = self.combos[level]
        data = combo.currentData()
        region = self.index.regions(level)[data] if data is not None else None
        self.chosen = rc.choose(self.index, self.chosen, level, region, keep_lower=True)
        self._refresh()
        self.regionChanged.emit()

    def _completed(self, level: Level, text: str) -> None:
        combo = self.combos[level]
        row = combo.findText(text, Qt.MatchFlag.MatchExactly)
        if row >= 0:
            combo.setCurrentIndex(row)

    def _edit_finished(self, level: Level) -> None:
        """Typed text that names an item selects it; anything else goes back to the current choice."""
        combo = self.combos[level]
        text = combo.lineEdit().text().strip()
        row = combo.findText(text, Qt.MatchFlag.MatchExactly) if text else 0
        if row < 0 and level == Level.GRID and len(text) == 5 and text.isascii() and text.isdigit():
            row = self._short_code_row(text)
        if row < 0:
            matches = [i for i in range(1, combo.count()) if text.casefold() in combo.itemText(i).casefold()]
            row = matches[0] if len(matches) == 1 else -1
        if row >= 0 and row != combo.currentIndex():
            combo.setCurrentIndex(row)
        else:
            combo.lineEdit().setText(combo.currentText())

    def _short_code_row(self, short: str) -> int:
        """The grid list's row of a short code (community + serial); -1 and a message listing the
        grids when it names several of the list (choose the street first) or none."""
        combo = self.combos[Level.GRID]
        rows = [i for i in range(1, combo.count())
                if DEFAULT_GRID_PROFILE.short_code(self.index.grids[combo.itemData(i)].key) == short]
        if len(rows) == 1:
            return rows[0]
        if rows:
            self.problem.emit(tr("The short code {0} names {1} grids: {2}. Choose the street office first, or "
                                 "pick one of them in the Unit grid list.").format(
                short, len(rows), ", ".join(combo.itemText(i) for i in rows)))
        return -1

    # ----- map picking ----------------------------------------------------------------------------
    def _pick_clicked(self, level: Level, checked: bool) -> None:
        if checked:
            self.start_map_pick(level)
        else:
            self.stop_map_pick()

    def start_map_pick(self, level: Level) -> bool:
        """Let the operator click a region of `level` on the map."""
        layer = self.layer_of(level)
        if layer is None or self.index is None:
            self.pick_buttons[level].setChecked(False)
            return False
        self.stop_map_pick()
        self._previous_tool = self.canvas.mapTool()
        self._tool_level = level
        self._map_tool = QgsMapToolIdentifyFeature(self.canvas, layer)
        self._map_tool.featureIdentified[QgsFeature].connect(self._feature_identified)
        self._map_tool.deactivated.connect(self._tool_deactivated)
        self.canvas.setMapTool(self._map_tool)
        for lvl, button in self.pick_buttons.items():
            button.setChecked(lvl == level)
        return True

    def stop_map_pick(self) -> None:
        """Give the canvas its previous tool back; the pick tool itself is released later (see above)."""
        tool, self._map_tool = self._map_tool, None
        self._tool_level = None if tool is not None else self._tool_level
        if tool is not None:
            try:
                tool.featureIdentified[QgsFeature].disconnect(self._feature_identified)
                tool.deactivated.disconnect(self._tool_deactivated)
            except (TypeError, RuntimeError):
                pass
            if self.canvas.mapTool() is tool:
                previous = self._previous_tool
                if previous is not None and previous is not tool:
                    self.canvas.setMapTool(previous)
                else:
                    self.canvas.unsetMapTool(tool)
            self._retired.append(tool)
            QTimer.singleShot(0, self._release_tools)
        self._previous_tool = None
        for button in self.pick_buttons.values():
            button.setChecked(False)

    def _release_tools(self) -> None:
        """Drop unset tools once the event that used them is over (never inside their own signal)."""
        keep = []
        for tool in self._retired:
            try:
                if self.canvas.mapTool() is tool:
                    keep.append(tool)
            except RuntimeError:
                pass
        self._retired = keep

    def shutdown(self) -> None:
        """Plugin unload: stop picking and let go of every tool now (no event is under way then)."""
        self.stop_map_pick()
        self._retired = []

    def _tool_deactivated(self) -> None:
        """Another tool was chosen on the canvas (e.g. Pan): the pick is over, the tool released later."""
        if self._map_tool is not None and self.canvas.mapTool() is not self._map_tool:
            tool, self._map_tool = self._map_tool, None
            self._retired.append(tool)
            self._previous_tool = None
            QTimer.singleShot(0, self._release_tools)
        for button in self.pick_buttons.values():
            button.setChecked(False)

    def _feature_identified(self, feature: QgsFeature) -> None:
        """Inside the tool's canvasReleaseEvent: only note the feature; the pick is handled after the event."""
        if self._tool_level is None or self._map_tool is None:
            return
        self._pending_fid = feature.id()
        QTimer.singleShot(0, self._handle_pick)

    def _handle_pick(self) -> None:
        level, fid, self._pending_fid = self._tool_level, self._pending_fid, None
        if level is None or fid is None:
            return
        self.stop_map_pick()
        if self.index is None:
            return
        region = rc.region_of_feature(self.index, level, fid)
        if region is not None:
            self.select(level, region.key)

    def pick_feature(self, level: Level, fid: int) -> bool:
        """What a click on feature `fid` of the level's layer does (also used by tests)."""
        region = rc.region_of_feature(self.index, level, fid) if self.index is not None else None
        if region is None:
            return False
        self.select(level, region.key)
        return True


def pick_button_icon(button: QToolButton) -> None:
    """QGIS's own identify icon: operators know it."""
    from qgis.core import QgsApplication

    button.setIcon(QgsApplication.getThemeIcon("/mActionIdentify.svg"))
    button.setToolTip(tr("Pick on the map: click a region of this level"))
