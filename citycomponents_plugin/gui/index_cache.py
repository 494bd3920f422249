"""The dialog's district index: built once per configuration with the algorithms' engine, rebuilt when data change.

Building reads every component (1-2 s on a Dongcheng-sized district), so it is cached; it is invalidated when
the layer choices or fields change, when one of the layers changes (edits, filter, removal: layer signals), or
when its file changed outside QGIS (core.index_cache's signature: source, filter, feature count, file time).
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsProcessingFeedback, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from citycomponents_plugin.core.engine import index_cache
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.gui.layer_settings import LayerSettings


class IndexCache(QObject):
    """core.index_cache.IndexCache for the dialog: keyed by its settings, with the layers it read and a Qt signal."""

    invalidated = pyqtSignal()

    def __init__(self, project: Optional[QgsProject] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self._cache = index_cache.IndexCache(on_invalidated=self._data_changed)
        self.key: Optional[tuple] = None
        self.component_layers: list = []  # QgsVectorLayer per index.layers entry (comp_layer values)
        self.region_layers: dict = {}  # role -> QgsVectorLayer (grids, committees, streets, supervisors)

    @property
    def index(self) -> Optional[DistrictIndex]:
        return self._cache.cached()

    @property
    def builds(self) -> int:
        """How many times the index was built (tests check the cache works)."""
        return self._cache.builds

    def current(self, settings: LayerSettings) -> Optional[DistrictIndex]:
        """The index if it matches the settings and nothing changed since; None otherwise."""
        if self.index is None or self.key != settings.key():
            return None
        return self._cache.current(settings.to_inputs(self.project))

    def get(self, settings: LayerSettings, feedback: Optional[QgsProcessingFeedback] = None) -> DistrictIndex:
        """The index for these settings, built if needed; raises CityComponentsError on bad input."""
        cached = self.current(settings)
        if cached is not None:
            return cached
        self.clear()
        inputs = settings.to_inputs(self.project)
        index = self._cache.get(inputs, feedback)
        self.key = settings.key()
        self.component_layers = list(inputs.components)
        self.region_layers = {role: settings.layer(role, self.project)
                              for role in ("grids", "committees", "streets", "supervisors")}
        return index

    def _data_changed(self) -> None:
        """A layer's data, filter or existence changed: the next query rebuilds."""
        self._forget_layers()
        self.invalidated.emit()

    def clear(self) -> None:
        self._cache.clear()
        self._forget_layers()

    def _forget_layers(self) -> None:
        self.key = None
        self.component_layers = []
        self.region_layers = {}
