"""The Layers tab: which project layers play which role, and the field of each role (auto-detected, editable).

Like the original dialog's layer popups, restricted to the right geometry. A field the operator leaves as
detected is passed as "auto-detect" (each component layer detects its own), one changed by hand is passed
as an override, as the algorithms' *_FIELD parameters are.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QListWidgetItem

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS
from citycomponents_plugin.gui import layer_settings as ls
from citycomponents_plugin.gui.i18n import tr

LAYER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REGION_WIDGETS = {  # role -> (layer combo, field combo, field role, may be empty)
    "streets": ("streetLayerCombo", "streetFieldCombo", "street_name_field", True),
    "supervisors": ("supervisorLayerCombo", "supervisorFieldCombo", "supervisor_name_field", True),
    "committees": ("committeeLayerCombo", "committeeFieldCombo", "committee_name_field", True),
    "grids": ("gridLayerCombo", "gridFieldCombo", "grid_code_field", False),
}
COMPONENT_WIDGETS = {"id_field": "idFieldCombo", "type_field": "typeFieldCombo",
                     "grid_attr_field": "gridAttrFieldCombo"}


class LayerPanel(QObject):
    """Reads and writes LayerSettings from/to the Layers tab widgets."""

    changed = pyqtSignal()

    def __init__(self, ui, project: Optional[QgsProject] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.project = project or QgsProject.instance()
        self.kind = KIND_COMPONENTS
        self.components: dict = {KIND_COMPONENTS: [], KIND_ADDRESSES: []}
        self.detected: dict = {}  # field role -> auto-detected field name on the current layer
        self._applying = False
        for role, (layer_name, field_name, _field_role, may_be_empty) in REGION_WIDGETS.items():
            combo = getattr(ui, layer_name)
            combo.setFilters(compat.POLYGON_LAYER_FILTER)
            combo.setAllowEmptyLayer(may_be_empty)
            fields = getattr(ui, field_name)
            fields.setAllowEmptyFieldName(True)
            combo.layerChanged.connect(lambda _layer, r=role: self._layer_changed(r))
            fields.fieldChanged.connect(self._field_changed)
        for widget_name in COMPONENT_WIDGETS.values():
            fields = getattr(ui, widget_name)
            fields.setAllowEmptyFieldName(True)
            fields.fieldChanged.connect(self._field_changed)
        ui.assignByCombo.addItem(tr("By location (point in grid)"), 0)
        ui.assignByCombo.addItem(tr("By stored grid code"), 1)
        ui.assignByCombo.currentIndexChanged.connect(self._field_changed)
        ui.componentLayerList.itemChanged.connect(self._component_checked)
        self.project.layersAdded.connect(self.refresh_point_layers)
        self.project.layersRemoved.connect(self.refresh_point_layers)
        self.refresh_point_layers()

    # ----- reading the widgets --------------------------------------------------------------------
    def settings(self) -> ls.LayerSettings:
        s = ls.LayerSettings(kind=self.kind, assign_by=int(self.ui.assignByCombo.currentData() or 0))
        s.components = {k: list(v) for k, v in self.components.items()}
        for role, (layer_name, field_name, field_role, _e) in REGION_WIDGETS.items():
            layer = getattr(self.ui, layer_name).currentLayer()
            s.layers[role] = layer.id() if layer is not None else ""
            s.fields[field_role] = self._override(field_role, getattr(self.ui, field_name).currentField())
        for field_role, widget_name in COMPONENT_WIDGETS.items():
            s.fields[field_role] = self._override(field_role, getattr(self.ui, widget_name).currentField())
        return s

    def _override(self, role: str, value: str) -> str:
        """'' (auto-detect) when the field shown is the detected one; the operator's choice otherwise."""
        return "" if (value or "") == (self.detected.get(role) or "") else (value or "")

    # ----- writing the widgets --------------------------------------------------------------------
    def apply(self, settings: ls.LayerSettings) -> None:
        """Show settings (restored from the project or guessed); field overrides win over detection."""
        self._applying = True
        try:
            self.kind = settings.kind
            self.components = {k: list(v) for k, v in settings.components.items()}
            for role, (layer_name, field_name, field_role, _e) in REGION_WIDGETS.items():
                layer = settings.layer(role, self.project)
                getattr(self.ui, layer_name).setLayer(layer)
                self._show_field(field_role, getattr(self.ui, field_name), layer, settings.fields.get(field_role))
            self.refresh_point_layers()
            self._show_component_fields(settings.fields)
            row = self.ui.assignByCombo.findData(settings.assign_by)
            self.ui.assignByCombo.setCurrentIndex(max(row, 0))
        finally:
            self._applying = False

    def _show_field(self, role: str, combo, layer, override: Optional[str]) -> None:
        combo.setLayer(layer)
        self.detected[role] = ls.detect(layer, role, self.kind)
        names = layer.fields().names() if layer is not None else []
        combo.setField(override if override and override in names else self.detected[role])
        combo.setToolTip(tr("Detected: {0}").format(self.detected[role]) if self.detected[role]
                         else tr("No field detected: choose one"))

    def _show_component_fields(self, fields: Optional[dict] = None) -> None:
        layers = self.current_component_layers()
        first = layers[0] if layers else None
        for role, widget_name in COMPONENT_WIDGETS.items():
            self._show_field(role, getattr(self.ui, widget_name), first, (fields or {}).get(role))

    def set_kind(self, kind: int) -> None:
        """The query object changed: its own point layers, fields detected afresh."""
        if kind == self.kind:
            return
        self._applying = True
        try:
            self.kind = kind
            self.refresh_point_layers()
            self._show_component_fields()
        finally:
            self._applying = False
        self.changed.emit()

    def current_component_layers(self) -> list:
        found = [self.project.mapLayer(lid) for lid in self.components.get(self.kind, [])]
        return [lyr for lyr in found if lyr is not None]

    def refresh_point_layers(self, *args) -> None:
        """List the project's point layers, checked when chosen for the current query object."""
        lst = self.ui.componentLayerList
        chosen = set(self.components.get(self.kind, []))
        lst.blockSignals(True)
        lst.clear()
        for layer in ls.point_layers(self.project):
            item = QListWidgetItem(layer.name())
            item.setData(LAYER_ID_ROLE, layer.id())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if layer.id() in chosen else Qt.CheckState.Unchecked)
            item.setToolTip(layer.source())
            lst.addItem(item)
        lst.blockSignals(False)

    # ----- reactions ------------------------------------------------------------------------------
    def _layer_changed(self, role: str) -> None:
        if self._applying:
            return
        layer_name, field_name, field_role, _e = REGION_WIDGETS[role]
        self._applying = True
        try:
            self._show_field(field_role, getattr(self.ui, field_name), getattr(self.ui, layer_name).currentLayer(),
                             None)
        finally:
            self._applying = False
        self.changed.emit()

    def _field_changed(self, *args) -> None:
        if not self._applying:
            self.changed.emit()

    def _component_checked(self, item: QListWidgetItem) -> None:
        lid = item.data(LAYER_ID_ROLE)
        ids = [i for i in self.components.get(self.kind, []) if i != lid]
        if item.checkState() == Qt.CheckState.Checked:
            order = [self.ui.componentLayerList.item(r).data(LAYER_ID_ROLE)
                     for r in range(self.ui.componentLayerList.count())]
            ids = [i for i in order if i in set(ids) | {lid}]
        first_before = self.components.get(self.kind, [None])[:1]
        self.components[self.kind] = ids
        if ids[:1] != first_before:
            fields = self.settings().fields if not self._applying else None
            self._applying = True
            try:
                self._show_component_fields(fields)
            finally:
                self._applying = False
        self.changed.emit()

    def disconnect_project(self) -> None:
        for signal in (self.project.layersAdded, self.project.layersRemoved):
            try:
                signal.disconnect(self.refresh_point_layers)
            except TypeError:
                pass
