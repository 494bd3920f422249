"""Temporary memory layers for one supervisor area: its grids (plus faded neighbours) and components.

Why memory layers: the booklet must not touch the user's project or data, and a layout map needs
layers. One grid layer and one component layer serve every map of the booklet: the rule-based
styles compare each feature's grid code with `@map_id` (each grid page's map item has the grid code
as its id), so the grid of the page is bold and its components coloured and numbered, while the
neighbouring grids and their components stay faded. The cover's overview map (id COVER_MAP_ID) shows
the area's grids only, each with its short code and the page where it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsTextBackgroundSettings,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSizeF
from qgis.PyQt.QtGui import QColor, QFont

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.codes import ALL_CLASSES, DEFAULT_GRID_PROFILE, OTHER_CLASS

COVER_MAP_ID = "__cover__"
UNLABELLED = "|overview"  # map id suffix: the grid's own style, but no numbers (zoomed maps follow)


def this_grid(field: str) -> str:
    """True for features of the map's grid, whether or not the map shows numbers."""
    return f"(\"{field}\" = @map_id OR \"{field}\" || '{UNLABELLED}' = @map_id)"
AREA_GRID, NEIGHBOUR_GRID = 1, 0


@dataclass
class GridBoxes:
    """Bounding boxes of every grid, computed once per export: neighbour search is then a numpy test."""

    xmin: np.ndarray
    ymin: np.ndarray
    xmax: np.ndarray
    ymax: np.ndarray

    @classmethod
    def of(cls, geometries: list) -> GridBoxes:
        boxes = np.full((len(geometries), 4), np.nan)
        for i, geom in enumerate(geometries):
            if geom is not None and not geom.isEmpty():
                r = geom.boundingBox()
                boxes[i] = (r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum())
        return cls(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3])

    def touching(self, grid_indices: np.ndarray, margin_share: float = 0.6) -> np.ndarray:
        """Grids whose box meets the box of any given grid grown by `margin_share` of its size."""
        if not len(grid_indices):
            return np.zeros(0, dtype=np.int64)
        gx0, gy0 = self.xmin[grid_indices], self.ymin[grid_indices]
        gx1, gy1 = self.xmax[grid_indices], self.ymax[grid_indices]
        mx = (gx1 - gx0) * margin_share
        my = (gy1 - gy0) * margin_share
        hit = np.zeros(len(self.xmin), dtype=bool)
        with np.errstate(invalid="ignore"):
            for a, b, c, d in zip(gx0 - mx, gy0 - my, gx1 + mx, gy1 + my):
                hit |= (self.xmin <= c) & (self.xmax >= a) & (self.ymin <= d) & (self.ymax >= b)
        return np.nonzero(hit)[0]


def _text_format(family: str, size_pt: float, color: str, buffer: float = 0.0, bold: bool = False,
                 box: float = 0.0) -> QgsTextFormat:
    """`buffer`: a white halo (drawn as the glyphs' outlines, ~1 KB of PDF per label); `box`: a white
    rectangle that far around the text instead (a few bytes), for the many numbers of the maps."""
    font = QFont(family)
    font.setBold(bold)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(size_pt)
    fmt.setSizeUnit(compat.RENDER_POINTS)
    fmt.setColor(QColor(color))
    if buffer > 0:
        buf = QgsTextBufferSettings()
        buf.setEnabled(True)
        buf.setSize(buffer)
        buf.setSizeUnit(compat.RENDER_MILLIMETERS)
        buf.setColor(QColor(255, 255, 255))
        fmt.setBuffer(buf)
    if box > 0:
        back = QgsTextBackgroundSettings()
        back.setEnabled(True)
        back.setType(compat.TEXT_BACKGROUND_RECTANGLE)
        back.setSizeType(compat.TEXT_BACKGROUND_SIZE_BUFFER)
        back.setSize(QSizeF(box, -0.35 * box / 0.15))  # digits are shorter than the CJK line box
        back.setSizeUnit(compat.RENDER_MILLIMETERS)
        back.setFillColor(QColor(255, 255, 255))
        back.setStrokeWidth(0)
        back.setOpacity(0.65)
        fmt.setBackground(back)
    return fmt


def grid_layer(index, area_grids: list, neighbour_grids: list, family: str, scale: float = 1.0) -> QgsVectorLayer:
    """The area's grids and their neighbours: the page's grid bold, the area's grids plain, others faded."""
    crs = index.grid_crs.authid() if index.grid_crs is not None and index.grid_crs.authid() else None
    uri = "Polygon" + (f"?crs={crs}" if crs else "")
    layer = QgsVectorLayer(uri, "booklet_grids", "memory")
    if not crs and index.grid_crs is not None:
        layer.setCrs(index.grid_crs)
    prov = layer.dataProvider()
    prov.addAttributes([compat.string_field("code"), compat.string_field("short"),
                        compat.int_field("role"), compat.string_field("page")])
    layer.updateFields()
    feats = []
    for role, grids in ((AREA_GRID, area_grids), (NEIGHBOUR_GRID, neighbour_grids)):
        for g in grids:
            geom = index.grid_geometries[g.index]
            if geom is None or geom.isEmpty():
                continue
            f = QgsFeature(layer.fields())
            f.setAttributes([g.key, DEFAULT_GRID_PROFILE.short_code(g.key), role, ""])
            f.setGeometry(QgsGeometry(geom))
            feats.append(f)
    prov.addFeatures(feats)
    layer.updateExtents()

    root = QgsRuleBasedRenderer.Rule(None)
    cover = f"@map_id = '{COVER_MAP_ID}'"
    styles = [  # (filter, style, drawing pass: higher passes are drawn on top)
        (this_grid("code"), {"color": "255,255,255,0", "outline_color": "#000000", "outline_width": "0.6"}, 3),
        (f'{cover} AND "role" = 1', {"color": "#fbf1cf", "outline_color": "#505050", "outline_width": "0.3"}, 1),
        ('"role" = 1', {"color": "255,255,255,0", "outline_color": "#6e6e6e", "outline_width": "0.25"}, 2),
        ("ELSE", {"color": "#f2f2f2", "outline_color": "#b4b4b4", "outline_width": "0.18"}, 0),
    ]
    for expr, props, level in styles:
        symbol = QgsFillSymbol.createSimple(dict(props, outline_width_unit="MM"))
        symbol.symbolLayer(0).setRenderingPass(level)
        rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, "" if expr == "ELSE" else expr)
        if expr == "ELSE":
            rule.setIsElse(True)
        root.appendChild(rule)
    renderer = QgsRuleBasedRenderer(root)
    renderer.setUsingSymbolLevels(True)  # the page's bold outline stays on top of its neighbours' edges
    layer.setRenderer(renderer)

    label_root = QgsRuleBasedLabeling.Rule(None)
    # The cover shows each grid's page number alone: short enough to fit even the grids of a tall,
    # narrow area, placed anywhere inside its grid away from the other numbers, and always drawn.
    on_cover = _grid_labels(family, 6.0 * scale, "#202020", '"page"')
    on_cover.placement = compat.LABEL_INSIDE_POLYGON
    compat.label_always_shown(on_cover)
    on_cover.priority = 10
    label_root.appendChild(QgsRuleBasedLabeling.Rule(on_cover, 0, 0, f'{cover} AND "role" = 1'))
    faded = _grid_labels(family, 5.5 * scale, "#8c8c8c", halo=False)  # on every map page: the lean box
    label_root.appendChild(QgsRuleBasedLabeling.Rule(
        faded, 0, 0, f"@map_id <> '{COVER_MAP_ID}' AND NOT {this_grid('code')}"))
    layer.setLabeling(QgsRuleBasedLabeling(label_root))
    layer.setLabelsEnabled(True)
    return layer


def _grid_labels(family: str, size: float, color: str, expression: str = "", halo: bool = True) -> QgsPalLayerSettings:
    s = QgsPalLayerSettings()
    s.fieldName = expression or "short"
    s.isExpression = bool(expression)
    s.placement = compat.LABEL_OVER_POINT
    s.centroidWhole = False  # the visible part's centroid: neighbours are only partly in the frame
    s.setFormat(_text_format(family, size, color, buffer=0.6) if halo else _text_format(family, size, color, box=0.2))
    s.obstacleSettings().setIsObstacle(False)
    s.priority = 2
    return s


def component_layer(index, members: np.ndarray, serials: np.ndarray, classes: np.ndarray, family: str,
                    scale: float = 1.0) -> QgsVectorLayer:
    """Components to draw: `serials` numbers them within their grid, the number the page's table shows."""
    crs = index.grid_crs.authid() if index.grid_crs is not None and index.grid_crs.authid() else None
    layer = QgsVectorLayer("Point" + (f"?crs={crs}" if crs else ""), "booklet_components", "memory")
    if not crs and index.grid_crs is not None:
        layer.setCrs(index.grid_crs)
    prov = layer.dataProvider()
    prov.addAttributes([compat.int_field("sid"), compat.string_field("grid"), compat.string_field("cls")])
    layer.updateFields()
    codes = index.grid_code_of(members) if len(members) else []
    feats = []
    xs, ys, valid = index.comp_x[members], index.comp_y[members], index.comp_valid[members]
    for n in range(len(members)):
        if not valid[n]:
            continue
        f = QgsFeature(layer.fields())
        f.setAttributes([int(serials[n]), codes[n], str(classes[n])])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(xs[n]), float(ys[n]))))
        feats.append(f)
    prov.addFeatures(feats)
    layer.updateExtents()

    root = QgsRuleBasedRenderer.Rule(None)
    page = QgsRuleBasedRenderer.Rule(None, 0, 0, this_grid("grid"))
    for cls in ALL_CLASSES:
        page.appendChild(QgsRuleBasedRenderer.Rule(class_marker(cls, 2.2 * scale), 0, 0, f"\"cls\" = '{cls.code}'"))
    # A neighbour's component: a grey square, drawn as one short thick stroke (a "line" marker with a flat
    # cap as wide as it is long): two points in the PDF where a circle takes four curves.
    dot = str(0.9 * scale)
    faded = QgsRuleBasedRenderer.Rule(QgsMarkerSymbol.createSimple(
        {"name": "line", "color": "#c8c8c8", "outline_color": "#c8c8c8", "outline_width": dot,
         "outline_width_unit": "MM", "size": dot, "size_unit": "MM", "cap_style": "flat"}),
        0, 0, f"NOT {this_grid('grid')} AND @map_id <> '{COVER_MAP_ID}'")  # the cover map shows grids only
    root.appendChild(faded)
    root.appendChild(page)
    layer.setRenderer(QgsRuleBasedRenderer(root))

    s = QgsPalLayerSettings()
    s.fieldName = "sid"
    s.placement = compat.LABEL_AROUND_POINT_ORDERED
    s.obstacleSettings().setIsObstacle(False)
    s.dist = 0.5  # clear of the marker, white box included
    s.distUnits = compat.RENDER_MILLIMETERS
    s.setFormat(_text_format(family, 5.5 * scale, "#000000", box=0.15))
    s.priority = 8
    s.displayAll = False
    label_root = QgsRuleBasedLabeling.Rule(None)
    label_root.appendChild(QgsRuleBasedLabeling.Rule(s, 0, 0, '"grid" = @map_id'))
    layer.setLabeling(QgsRuleBasedLabeling(label_root))
    layer.setLabelsEnabled(True)
    return layer


def class_marker(cls, size: float, outline: bool = True) -> QgsMarkerSymbol:
    # An octagon where the class says circle: at 2 mm it reads as a circle, and takes eight straight
    # segments in the PDF where a circle takes four curves (the most numerous marker of every map).
    shape = "octagon" if cls.shape == "circle" else cls.shape
    props = {"name": shape, "color": cls.color, "size": str(size), "size_unit": "MM",
             "outline_color": "#ffffff" if outline else cls.color, "outline_width": "0.15",
             "outline_width_unit": "MM"}
    if cls is OTHER_CLASS:
        props.update(outline_color=cls.color, outline_width="0.35")
    return QgsMarkerSymbol.createSimple(props)



def set_grid_pages(layer: QgsVectorLayer, pages: dict, with_codes: bool = False) -> None:
    """Write each area grid's cover label once the grid pages are numbered: its page ("5"), or, where
    every grid is drawn large enough, its short code over the page ("00901" / "第5页")."""
    field = layer.fields().indexOf("page")

    def text(f) -> str:
        page = pages[f["code"]]
        return f"{f['short']}\n第{page}页" if with_codes else str(page)

    changes = {f.id(): {field: text(f)} for f in layer.getFeatures() if f["code"] in pages}
    layer.dataProvider().changeAttributeValues(changes)
