"""Keep the district index between queries; rebuild only when the inputs or their data change.

The dialog asks for statistics many times a minute; the index takes about a second to build on a
Dongcheng-sized district, a query on it a few milliseconds. The signature covers every layer's
identity, source, filter, feature count and (for files) modification time, plus the field and
mode choices; layer signals (data changed, edits in the buffer, filter changed, layer removed)
invalidate it at once.
"""

from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsProviderRegistry, QgsVectorLayer

from citycomponents_plugin.core.district_index import DistrictIndex, build_index
from citycomponents_plugin.core.district_inputs import DistrictInputs


def _layer_signature(layer: Optional[QgsVectorLayer]) -> tuple:
    if layer is None:
        return ()
    stamp: tuple = ()
    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path")
    if path and os.path.exists(path):
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    return (layer.id(), layer.source(), layer.subsetString(), layer.featureCount(), layer.isModified(),
            layer.crs().authid(), stamp)


def inputs_signature(inputs: DistrictInputs) -> tuple:
    """Everything that changes the index's answer."""
    layers = [inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components]
    return (tuple(_layer_signature(lyr) for lyr in layers), inputs.kind, inputs.assign_by, inputs.grid_code_field,
            inputs.committee_name_field, inputs.street_name_field, inputs.supervisor_name_field, inputs.id_field,
            inputs.type_field, inputs.grid_attr_field)


class IndexCache:
    """The last index built, reused while its inputs are unchanged."""

    def __init__(self) -> None:
        self._index: Optional[DistrictIndex] = None
        self._signature: Optional[tuple] = None
        self._watched: list = []
        self.builds = 0

    def get(self, inputs: DistrictInputs, feedback=None) -> DistrictIndex:
        signature = inputs_signature(inputs)
        if self._index is None or signature != self._signature:
            self.invalidate()
            self._index = build_index(inputs, feedback)
            self._signature = signature
            self.builds += 1
            self._watch([inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components])
        return self._index

    def cached(self) -> Optional[DistrictIndex]:
        return self._index

    def invalidate(self, *_args) -> None:
        """Forget the index (connected to the layers' change signals)."""
        self._index = None
        self._signature = None
        self._unwatch()

    def _watch(self, layers: list) -> None:
        for layer in layers:
            if layer is None:
                continue
            for signal in (layer.dataChanged, layer.layerModified, layer.afterRollBack, layer.subsetStringChanged,
                           layer.willBeDeleted):
                signal.connect(self.invalidate)
                self._watched.append(signal)

    def _unwatch(self) -> None:
        for signal in self._watched:
            try:
                signal.disconnect(self.invalidate)
            except (TypeError, RuntimeError):  # already gone with its layer
                pass
        self._watched = []
