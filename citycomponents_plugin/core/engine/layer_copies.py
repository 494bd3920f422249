"""Copies of project layers that a worker thread may read (SPEC 8), and the sources they stand for.

Why: the panel and the Processing dialog run in background tasks while the operator may edit or remove
the project's layers, and a worker reading a project layer can crash QGIS. Copies are made on the main
thread before the task starts (QGIS's convention, `prepareAlgorithm`) and deleted on it afterwards.

Region layers are copied into memory with their unsaved edits (a few thousand polygons at most): a
clone of a GeoPackage layer would still share QGIS's dataset handle with the project's layer, which
editing reopens and removing closes under the reader. Component layers are cloned (their points are
read with a GDAL handle of their own), or copied into memory when they hold unsaved edits. A memory
copy is checked for a complete read like any other read (a damaged file must not become a short copy),
and remembers the provider and source it came from, for the manifest and for the checks that look at
the file itself (a shapefile's .dbf and .cpg).
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QThread

from citycomponents_plugin.core.engine.inputs import DistrictInputs

SOURCE_PROPERTY = "citycomponents/source"
PROVIDER_PROPERTY = "citycomponents/provider"
ENCODING_PROPERTY = "citycomponents/encoding"
COPY_PROPERTY = "citycomponents/copy"
# The parameter each role's layer comes from: a short copy is an error naming it.
ROLE_PARAMETERS = {"grids": "GRIDS", "committees": "COMMITTEES", "streets": "STREETS", "supervisors": "SUPERVISORS"}


def origin(layer: QgsVectorLayer) -> tuple:
    """(provider type, source) of the layer the operator chose: a memory copy names its original."""
    source = layer.customProperty(SOURCE_PROPERTY)
    if source:
        return str(layer.customProperty(PROVIDER_PROPERTY) or ""), str(source)
    return layer.providerType(), layer.source()


def source_encoding(layer: QgsVectorLayer) -> str:
    """The text encoding the operator's layer is read with (Layer Properties > Source), copies included."""
    if layer.customProperty(SOURCE_PROPERTY):
        return str(layer.customProperty(ENCODING_PROPERTY) or "")
    provider = layer.dataProvider()
    return provider.encoding() if provider is not None else ""


def layer_copy(layer: Optional[QgsVectorLayer], project: Optional[QgsProject], polygons: bool,
               parameter: str) -> Optional[QgsVectorLayer]:
    """The layer a worker thread may read: a copy of a project layer, made now (main thread).

    A layer that is not in the project (loaded from a path for this run) belongs to the run and is
    returned as it is.
    """
    from citycomponents_plugin.core.engine.read_checks import check_complete, expected_features, gdal_failure
    from citycomponents_plugin.core.engine.region_reader import layer_label

    if layer is None or project is None or project.mapLayer(layer.id()) is None:
        return layer
    if polygons or layer.isModified():
        expected = expected_features(layer)
        copy = layer.materialize(QgsFeatureRequest())
        check_complete(layer, layer_label(layer), copy.featureCount(), expected, parameter, gdal_failure())
        copy.setName(layer_label(layer))  # messages and outputs name it as they named the project layer
        copy.setCustomProperty(SOURCE_PROPERTY, layer.source())
        copy.setCustomProperty(PROVIDER_PROPERTY, layer.providerType())
        copy.setCustomProperty(ENCODING_PROPERTY, source_encoding(layer))
    else:
        copy = layer.clone()
    copy.setCustomProperty(COPY_PROPERTY, True)
    return copy


def copied_inputs(inputs: DistrictInputs, project: Optional[QgsProject]) -> DistrictInputs:
    """The same inputs with every project layer replaced by its copy (see layer_copy)."""
    roles = {role: layer_copy(getattr(inputs, role), project, True, parameter)
             for role, parameter in ROLE_PARAMETERS.items()}
    components = [layer_copy(layer, project, False, "COMPONENTS") for layer in inputs.components]
    return dataclasses.replace(inputs, components=components, **roles)


def cloned_inputs(inputs: DistrictInputs, project: Optional[QgsProject]) -> DistrictInputs:
    """The same inputs with every project layer cloned (same provider and source, nothing copied).

    For the database's queries: a clone names the same table, and the engine reads nothing through it
    but its source and CRS (the panel's region index reads its polygons through the clones too).
    """
    def clone(layer):
        if layer is None or project is None or project.mapLayer(layer.id()) is None:
            return layer
        copy = layer.clone()
        copy.setCustomProperty(COPY_PROPERTY, True)
        return copy

    roles = {role: clone(getattr(inputs, role)) for role in ROLE_PARAMETERS}
    return dataclasses.replace(inputs, components=[clone(layer) for layer in inputs.components], **roles)


def release_copies(inputs: DistrictInputs) -> None:
    """Copies are deleted in the thread they belong to (the main thread), even when a worker read them."""
    release_layers(_layers(inputs))


def release_layers(layers: list) -> None:
    """release_copies for a list of layers (copies among them; other layers are left alone)."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() == app.thread():
        return  # the last reference goes with the caller's, here
    for layer in layers:
        if layer is not None and layer.customProperty(COPY_PROPERTY):
            sip.transferto(layer, None)  # C++ owns it now: Python never deletes it from this thread
            layer.deleteLater()


def original_sources(inputs: DistrictInputs) -> dict:
    """The project layers' sources behind memory copies, by copy source, for the manifest."""
    return {layer.source(): layer.customProperty(SOURCE_PROPERTY) for layer in _layers(inputs)
            if layer.customProperty(SOURCE_PROPERTY)}


def restore_sources(index, sources: dict) -> None:
    """The index names the files the operator chose, not the memory copies it was built from."""
    index.grid_source = sources.get(index.grid_source, index.grid_source)
    for data in index.levels.values():
        data.source = sources.get(data.source, data.source)
    for info in index.layers:
        info.source = sources.get(info.source, info.source)


def _layers(inputs: DistrictInputs) -> list:
    return [lyr for lyr in (inputs.grids, inputs.committees, inputs.streets, inputs.supervisors,
                            *inputs.components) if lyr is not None]
