"""What the map does with a result: zoom to the region, outline it, select the components, flash one.

The outline is a QgsHighlight owned by this object and removed with clear() (the dialog calls it on close),
so nothing is left on the canvas once the dialog is gone.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.gui import QgsHighlight, QgsMapCanvas
from qgis.PyQt.QtGui import QColor

from citycomponents_plugin.core.engine.district_index import DistrictIndex

OUTLINE = QColor(230, 60, 30, 230)
FILL = QColor(230, 60, 30, 40)


class MapActions:
    """Canvas effects of the dialog, undone by clear()."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        self.canvas = canvas
        self.highlight: Optional[QgsHighlight] = None
        self.selected_layers: list = []

    def show_region(self, layer: Optional[QgsVectorLayer], fid: int, zoom: bool = True) -> bool:
        """Outline feature `fid` of `layer` and zoom to it; False when it has no geometry."""
        self.clear_highlight()
        if layer is None:
            return False
        feature = next(layer.getFeatures(QgsFeatureRequest(fid).setNoAttributes()), None)
        if feature is None or not feature.hasGeometry():
            return False
        geometry = feature.geometry()
        self.highlight = QgsHighlight(self.canvas, geometry, layer)
        self.highlight.setColor(OUTLINE)
        self.highlight.setFillColor(FILL)
        self.highlight.setWidth(3)
        self.highlight.show()
        if zoom:
            extent = self.canvas.mapSettings().layerExtentToOutputExtent(layer, geometry.boundingBox())
            if not extent.isEmpty():
                extent.scale(1.15)
                self.canvas.setExtent(extent)
            self.canvas.refresh()
        return True

    def select_components(self, index: DistrictIndex, layers: list, members: np.ndarray) -> int:
        """Select the members in their layers (and nothing else in those layers); returns how many."""
        self.clear_selection()
        total = 0
        member_layers = index.comp_layer[members]
        for n, layer in enumerate(layers):
            if layer is None:
                continue
            fids = index.comp_fid[members[member_layers == n]].tolist()
            layer.selectByIds([int(f) for f in fids])
            self.selected_layers.append(layer)
            total += len(fids)
        return total

    def select_features(self, layers: list, members: list) -> int:
        """Select (layer position, feature id) members in their layers (and nothing else there)."""
        self.clear_selection()
        by_layer: dict = {}
        for n, fid in members:
            by_layer.setdefault(n, []).append(int(fid))
        for n, layer in enumerate(layers):
            if layer is None:
                continue
            layer.selectByIds(by_layer.get(n, []))
            self.selected_layers.append(layer)
        return len(members)

    def flash_feature(self, layer: Optional[QgsVectorLayer], fid: int) -> bool:
        """Pan to a feature of a layer and flash it; False when it has no geometry."""
        if layer is None:
            return False
        feature = next(layer.getFeatures(QgsFeatureRequest(int(fid)).setNoAttributes()), None)
        if feature is None or not feature.hasGeometry() or feature.geometry().isEmpty():
            return False
        transform = QgsCoordinateTransform(layer.crs(), self.canvas.mapSettings().destinationCrs(),
                                           QgsProject.instance())
        self.canvas.setCenter(transform.transform(feature.geometry().centroid().asPoint()))
        self.canvas.refresh()
        self.canvas.flashFeatureIds(layer, [int(fid)])
        return True

    def flash_component(self, index: DistrictIndex, layers: list, component: int) -> bool:
        """Pan to a component and flash it; False when it has no geometry."""
        if not bool(index.comp_valid[component]):
            return False
        transform = QgsCoordinateTransform(index.grid_crs, self.canvas.mapSettings().destinationCrs(),
                                           QgsProject.instance())
        center = transform.transform(QgsPointXY(float(index.comp_x[component]), float(index.comp_y[component])))
        self.canvas.setCenter(center)
        self.canvas.refresh()
        layer = layers[int(index.comp_layer[component])]
        if layer is not None:
            self.canvas.flashFeatureIds(layer, [int(index.comp_fid[component])])
        return True

    def clear_highlight(self) -> None:
        if self.highlight is not None:
            self.highlight.hide()
            scene = self.canvas.scene()
            if scene is not None:
                scene.removeItem(self.highlight)
            self.highlight = None

    def clear_selection(self) -> None:
        for layer in self.selected_layers:
            try:
                layer.removeSelection()
            except RuntimeError:  # the layer was removed from the project meanwhile
                pass
        self.selected_layers = []

    def clear(self) -> None:
        self.clear_highlight()
        self.clear_selection()
