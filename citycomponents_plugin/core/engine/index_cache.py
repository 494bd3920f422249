"""Keep the district index between queries; rebuild only when the inputs or their data change.

The dialog asks for statistics many times a minute; the index takes about a second to build on a
Dongcheng-sized district, a query on it a few milliseconds. The signature covers every layer's
identity, source, filter, feature count and (for files) modification time, plus the field and
mode choices; layer signals (data changed, edits in the buffer, filter changed, layer removed)
invalidate it at once.
"""

from __future__ import annotations

import os
from typing import Callable, Optional

from qgis.core import QgsProviderRegistry, QgsVectorLayer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import DistrictInputs

LAYER_SIGNALS = ("dataChanged", "layerModified", "afterRollBack", "subsetStringChanged", "nameChanged",
                 "willBeDeleted")


def _layer_signature(layer: Optional[QgsVectorLayer]) -> tuple:
    if layer is None:
        return ()
    stamp: tuple = ()
    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path")
    if path:
        # A GeoPackage in WAL mode changes its -wal file, not the main file, when another program writes.
        stamp = tuple((st.st_mtime_ns, st.st_size) for st in (os.stat(p) for p in (path, path + "-wal")
                                                              if os.path.exists(p)))
    # The name matters: it is the type name of a layer without a type field.
    return (layer.id(), layer.name(), layer.source(), layer.subsetString(), layer.featureCount(),
            layer.isModified(), layer.crs().authid(), stamp)


def inputs_signature(inputs: DistrictInputs) -> tuple:
    """Everything that changes the index's answer."""
    layers = [inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components]
    return (tuple(_layer_signature(lyr) for lyr in layers), inputs.kind, inputs.assign_by, inputs.grid_code_field,
            inputs.committee_name_field, inputs.street_name_field, inputs.supervisor_name_field, inputs.id_field,
            inputs.type_field, inputs.grid_attr_field)


class IndexCache:
    """The last index built, reused while its inputs are unchanged.

    `on_invalidated` is called when a layer change (signal or changed signature) drops a built
    index, so a dialog can clear what it shows; rebuilding for new inputs does not call it.
    """

    def __init__(self, on_invalidated: Optional[Callable[[], None]] = None) -> None:
        self._index: Optional[DistrictIndex] = None
        self._signature: Optional[tuple] = None
        self._watched: list = []
        self._on_invalidated = on_invalidated
        self.builds = 0

    def current(self, inputs: DistrictInputs) -> Optional[DistrictIndex]:
        """The index if it was built from these inputs and nothing changed since, else None."""
        if self._index is None:
            return None
        if inputs_signature(inputs) != self._signature:  # e.g. a file rewritten outside QGIS
            self._layer_changed()
            return None
        return self._index

    def get(self, inputs: DistrictInputs, feedback=None) -> DistrictIndex:
        signature = inputs_signature(inputs)
        if self._index is None or signature != self._signature:
            self.clear()
            self._index = build_index(inputs, feedback)
            self._signature = signature
            self.builds += 1
            self._watch([inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components])
        return self._index

    def adopt(self, inputs: DistrictInputs, index: DistrictIndex, signature: tuple) -> bool:
        """Keep an index built elsewhere (a background task) from `inputs` as they were at `signature`.

        Refused (False) when the inputs changed meanwhile: a stale index is never kept.
        """
        if inputs_signature(inputs) != signature:
            return False
        self.clear()
        self._index, self._signature = index, signature
        self.builds += 1
        self._watch([inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components])
        return True

    def cached(self) -> Optional[DistrictIndex]:
        return self._index

    def clear(self) -> None:
        """Forget the index without telling anyone (the caller is about to rebuild or close)."""
        self._index = None
        self._signature = None
        self._unwatch()

    def invalidate(self, *_args) -> None:
        """Forget the index because its data changed (connected to the layers' change signals)."""
        self._layer_changed()

    def _layer_changed(self, *_args) -> None:
        if self._index is None:
            return
        self.clear()
        if self._on_invalidated is not None:
            self._on_invalidated()

    def _watch(self, layers: list) -> None:
        for layer in layers:
            if layer is None:
                continue
            for name in LAYER_SIGNALS:
                signal = getattr(layer, name)
                signal.connect(self._layer_changed)
                self._watched.append(signal)

    def _unwatch(self) -> None:
        for signal in self._watched:
            try:
                signal.disconnect(self._layer_changed)
            except (TypeError, RuntimeError):  # already gone with its layer
                pass
        self._watched = []
