"""A booklet page's text and ruled lines, painted in one go: straight into the PDF, or by one layout item.

Why: a QgsLayoutItemLabel costs about half a millisecond to create and as much again to draw (each
builds its own expression and render context), and a detail-list page, four fifths of a district's
booklet pages, had about a dozen of them plus a shape or two for its rules. Here a page's headings,
table columns, page number, filled bands and rules are plain records painted by one item with
QPainter: Qt's PDF engine writes the text as text (extractable, fonts subset), the rules as paths.
A page of text only (a detail-list page) needs no QGIS layout page at all and is painted straight
into the PDF; a page with a map or legend gets one PageCanvas item that paints the same records.
Coordinates are millimetres from the page's top left corner; the item covers the whole page and has
no background, so it hides nothing the page's map and legend items draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsLayoutItem, QgsLayoutItemRegistry, QgsLayoutPoint, QgsLayoutSize
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontMetricsF, QPen, QPolygonF

from citycomponents_plugin.core import compat

CANVAS_TYPE = QgsLayoutItemRegistry.ItemType.PluginItem + 1487  # never saved: the layouts live for one export
TOP_Z = 10000.0  # above the map and legend items of the page


@dataclass
class TextBox:
    """Text in a box, aligned and word-wrapped as a layout label with no margins would be."""

    x: float
    y: float
    w: float
    h: float
    text: str
    font: QFont  # point size as printed
    color: QColor
    flags: int


@dataclass
class TextColumn:
    """Lines `pitch` mm apart, the glyphs of line k centred on `centre + k * pitch`: a table column."""

    x: float
    w: float
    centre: float
    pitch: float
    lines: list
    font: QFont
    right: bool


@dataclass
class Fill:
    x: float
    y: float
    w: float
    h: float
    color: QColor


@dataclass
class Polyline:
    points: list  # (x, y) mm
    width: float
    color: QColor


_CENTRES: dict = {}


def _glyph_centre(font: QFont, device) -> float:
    """Where an ideograph's middle sits relative to the baseline (device units; negative: above)."""
    key = (font.key(), device.logicalDpiY())
    if key not in _CENTRES:
        box = QFontMetricsF(font, device).tightBoundingRect("中")
        _CENTRES[key] = box.top() + box.height() / 2
    return _CENTRES[key]


class PageText:
    """The text and rules of one page, collected while the booklet is laid out."""

    def __init__(self) -> None:
        self.boxes: list = []
        self.columns: list = []
        self.fills: list = []
        self.lines: list = []

    def paint(self, painter, k: float) -> None:
        """Fills, then rules, then text, on a painter with `k` units per mm from the page's corner."""
        dpi = painter.device().logicalDpiY()
        painter.save()
        try:
            painter.setPen(Qt.PenStyle.NoPen)
            for f in self.fills:
                painter.setBrush(f.color)
                painter.drawRect(QRectF(f.x * k, f.y * k, f.w * k, f.h * k))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for line in self.lines:
                pen = QPen(line.color)
                pen.setWidthF(line.width * k)
                pen.setCapStyle(Qt.PenCapStyle.SquareCap)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.drawPolyline(QPolygonF([QPointF(x * k, y * k) for x, y in line.points]))
            for box in self.boxes:
                painter.setFont(_scaled(box.font, k, dpi))
                painter.setPen(box.color)
                painter.drawText(QRectF(box.x * k, box.y * k, box.w * k, box.h * k), box.flags, box.text)
            black = QColor("#000000")
            for col in self.columns:
                font = _scaled(col.font, k, dpi)
                painter.setFont(font)
                painter.setPen(black)
                metrics = QFontMetricsF(font, painter.device())
                lift = _glyph_centre(font, painter.device())
                for n, text in enumerate(col.lines):
                    if not text:
                        continue
                    x = col.x * k
                    if col.right:
                        x += col.w * k - metrics.horizontalAdvance(text)
                    painter.drawText(QPointF(x, (col.centre + n * col.pitch) * k - lift), text)
        finally:
            painter.restore()


class PageCanvas(QgsLayoutItem):
    """A page's PageText as a layout item, for a page that has layout items (a map, a legend) too."""

    def __init__(self, layout, page: int, width: float, height: float, text: PageText) -> None:
        super().__init__(layout)
        self.text = text
        self.setBackgroundEnabled(False)
        self.setFrameEnabled(False)
        layout.addLayoutItem(self)
        self.attemptResize(QgsLayoutSize(width, height, compat.LAYOUT_MILLIMETERS))
        self.attemptMove(QgsLayoutPoint(0.0, 0.0, compat.LAYOUT_MILLIMETERS), useReferencePoint=False, page=page)
        self.setZValue(TOP_Z)

    def type(self) -> int:
        return CANVAS_TYPE

    def draw(self, context) -> None:
        """In QGIS's painter units: dots, `scaleFactor` of them per mm."""
        rc = context.renderContext()
        if rc.painter() is not None:
            self.text.paint(rc.painter(), rc.scaleFactor())


def _scaled(font: QFont, k: float, dpi: float) -> QFont:
    """The font at its printed size on a painter with `k` units per mm on a device of `dpi`."""
    out = QFont(font)
    out.setPointSizeF(font.pointSizeF() * k * 25.4 / dpi)
    return out
