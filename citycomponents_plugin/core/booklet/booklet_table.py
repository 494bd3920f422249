"""Booklet tables drawn lean: per page, a grey header band, one run of lines per column, one polyline.

Why not QgsLayoutItemManualTable: it draws every cell on its own (a clip path, a background
rectangle, a graphics-state group and a text object per cell), which made the tables most of a
booklet's PDF bytes and a third of its layout time, and it measures its rows again whenever a frame
is drawn. Here a page of a table is a few records on the page's canvas (booklet_canvas): the header
band, per column its values one per line (a value too wide for its column is wrapped by us, and the
other columns get as many blank lines, so rows stay level), a bold line per column for a total row,
and one polyline tracing all the rules. Rows are as tall as the line pitch of a QGIS label in the
same font, measured once per process (the pitch differs between QGIS versions; keeping it keeps the
page breaks of earlier booklets), so the page breaks are plain arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemPage,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutUtils,
    QgsPrintLayout,
    QgsProject,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.booklet.booklet_canvas import Polyline, TextColumn

TEXT_SIZE = 6.5  # pt at A6
RULE_COLOR = "#9a9a9a"
HEADER_FILL = "#e3e3e3"
PROBE_LINES = 12
PROBE_DPI = 1200


@dataclass(frozen=True)
class LineMetrics:
    """How QGIS draws the lines of a label: the pitch between lines (mm), which the tables' rows keep so
    page breaks stay as QGIS's own labels gave them (the glyphs are centred from Qt's metrics)."""

    pitch: float


_MEASURED: dict = {}


def line_metrics(family: str, size_pt: float, builder) -> LineMetrics:
    """Measured once per font and size: a label of PROBE_LINES lines of 中 drawn at PROBE_DPI."""
    key = (family, round(size_pt, 3))
    if key not in _MEASURED:
        _MEASURED[key] = _measure(builder, size_pt)
    return _MEASURED[key]


def _measure(builder, size_pt: float) -> LineMetrics:
    project = QgsProject()  # must outlive the layout
    layout = QgsPrintLayout(project)
    context = layout.renderContext()
    context.setFlag(compat.LAYOUT_FORCE_VECTOR, True)
    width, height = 12.0, 6.0 * PROBE_LINES + 10.0
    page = QgsLayoutItemPage(layout)
    page.setPageSize(QgsLayoutSize(width, height, compat.LAYOUT_MILLIMETERS))
    layout.pageCollection().addPage(page)
    item = _plain_label(layout, builder, size_pt, False, LEFT)
    item.setText("\n".join(["中"] * PROBE_LINES))
    layout.addLayoutItem(item)
    item.attemptResize(QgsLayoutSize(width - 2, height - 2, compat.LAYOUT_MILLIMETERS))
    item.attemptMove(QgsLayoutPoint(1.0, 1.0, compat.LAYOUT_MILLIMETERS), useReferencePoint=False, page=0)
    image = QgsLayoutExporter(layout).renderPageToImage(0, QSize(), PROBE_DPI)
    del layout, project
    image = image.convertToFormat(image.Format.Format_Grayscale8)
    ptr = image.constBits()
    ptr.setsize(image.bytesPerLine() * image.height())
    pixels = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())[:, :image.width()]
    dark = np.nonzero((pixels < 128).any(axis=1))[0]
    starts = dark[np.concatenate([[True], np.diff(dark) > 1])]  # a run of dark rows per line of text
    mm = 25.4 / PROBE_DPI
    if len(starts) != PROBE_LINES:  # cannot happen with a working font; a sane fallback all the same
        return LineMetrics(QgsLayoutUtils.fontHeightMM(builder.font(size_pt)))
    return LineMetrics(float(starts[-1] - starts[0]) * mm / (PROBE_LINES - 1))


LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight


def _plain_label(layout, builder, size_pt: float, bold: bool, align) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    compat.set_label_text_format(item, builder.text_format(size_pt, bold), builder.font(size_pt, bold),
                                 QColor("#000000"))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignmentFlag.AlignTop)
    item.setMarginX(0)
    item.setMarginY(0)
    return item


def wrap(text: str, font, width: float) -> list:
    """`text` in lines no wider than `width` mm (Chinese breaks anywhere, Latin words stay whole)."""
    if not text or QgsLayoutUtils.textWidthMM(font, text) <= width:
        return [text]
    lines, line = [], ""
    for token in _tokens(text):
        if line and QgsLayoutUtils.textWidthMM(font, line + token) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines or [text]


def _tokens(text: str) -> list:
    """Runs of ASCII letters/digits stay together; every other character is a place to break."""
    tokens, run = [], ""
    for ch in text:
        if ch.isascii() and ch.isalnum():
            run += ch
            continue
        if run:
            tokens.append(run)
            run = ""
        tokens.append(ch)
    if run:
        tokens.append(run)
    return tokens


@dataclass
class TablePiece:
    """One page of a table: its column labels (so values can be filled in later) and its row heights."""

    page: int
    start: int
    lines: list  # lines per row of this piece
    body: list = field(default_factory=list)  # per column: the label of the body rows
    total: list = field(default_factory=list)  # per column: the label of a bold total row, if any
    table: object = None  # the LeanTable it belongs to


class LeanTable:
    """Rows of a TableSpec laid out over pages; `cell_margin` and `stroke` as the booklet's tables."""

    def __init__(self, builder, spec, cell_margin: float, stroke: float) -> None:
        self.b = builder
        self.spec = spec
        self.margin = cell_margin * builder.s
        self.stroke = stroke
        self.size = TEXT_SIZE
        self.metrics = line_metrics(builder.family, TEXT_SIZE * builder.s, builder)
        self.font = builder.font(TEXT_SIZE)
        self.bold = bold = builder.font(TEXT_SIZE, True)
        self.cells = []  # per row, per column: the value's lines
        for r, row in enumerate(spec.rows):
            last = spec.bold_last and r == len(spec.rows) - 1
            self.cells.append([wrap(str(v), bold if last else self.font, spec.columns[c][1])
                               for c, v in enumerate(row)])
        self.lines = [max(len(c) for c in row) if row else 1 for row in self.cells]

    @property
    def pitch(self) -> float:
        return self.metrics.pitch

    def rows_fitting(self, start: int, height: float) -> int:
        """How many rows from `start` fit under the header in `height` mm."""
        room = height - self.pitch - self.stroke
        n = 0
        for lines in self.lines[start:]:
            room -= lines * self.pitch
            if room < -1e-6:
                break
            n += 1
        return n

    def height_of(self, start: int, count: int) -> float:
        return (1 + sum(self.lines[start:start + count])) * self.pitch + self.stroke

    def draw(self, page: int, x: float, y: float, start: int, count: int) -> TablePiece:
        """The header and rows start..start+count on `page` at (x, y)."""
        b, m, p, st = self.b, self.margin, self.pitch, self.stroke
        columns = self.spec.columns
        xs = [0.0]
        for _h, w, _a in columns:
            xs.append(xs[-1] + st + 2 * m + w)
        total_w = xs[-1] + st
        piece = TablePiece(page, start, self.lines[start:start + count], table=self)
        b.rule(page, x, y, total_w, p + st, HEADER_FILL)
        bold_total = self.spec.bold_last and count and start + count == len(self.spec.rows)
        body_rows = count - 1 if bold_total else count
        for c, (heading, w, align) in enumerate(columns):
            left = x + xs[c] + st + m
            self._label(page, left, y, w, [heading], True, align)
            piece.body.append(self._label(page, left, y + p, w, self._column(c, start, body_rows), False, align)
                              if body_rows else None)
            if bold_total:
                top = y + p * (1 + sum(self.lines[start:start + body_rows]))
                piece.total.append(self._label(page, left, top, w, self.cells[start + count - 1][c], True, align))
        bounds = [0.0, p]
        for lines in piece.lines:
            bounds.append(bounds[-1] + lines * p)
        self._rules(page, x, y, [xs[c] for c in range(len(xs) - 1)] + [total_w - st], bounds)
        return piece

    def set_column(self, piece: TablePiece, col: int, values: list) -> None:
        """New values for one column of a piece (same rows, one line each): e.g. the page numbers."""
        for r, value in enumerate(values):
            self.cells[piece.start + r][col] = [value]
        body_rows = len(piece.lines) - (1 if piece.total else 0)
        if piece.body[col] is not None:
            piece.body[col].lines = self._column(col, piece.start, body_rows)
        if piece.total:
            piece.total[col].lines = list(self.cells[piece.start + len(piece.lines) - 1][col])

    def _column(self, col: int, start: int, count: int) -> list:
        out = []
        for r in range(start, start + count):
            lines = self.cells[r][col]
            out.extend(lines + [""] * (self.lines[r] - len(lines)))
        return out

    def _label(self, page: int, left: float, row_top: float, width: float, lines: list, bold: bool,
               align) -> TextColumn:
        """A column of lines on the page's canvas, the first line's glyphs in the middle of its row."""
        column = TextColumn(left, width, row_top + self.stroke / 2 + self.pitch / 2, self.pitch, list(lines),
                            self.bold if bold else self.font, align == RIGHT)
        self.b.canvas(page).columns.append(column)
        return column

    def _rules(self, page: int, x: float, y: float, xs: list, ys: list) -> None:
        """All rules as one polyline: across each row boundary in turn, then down each column edge."""
        st = self.stroke / 2
        right = xs[-1]
        points, at_right = [], False
        for yy in ys:
            ends = (right, 0.0) if at_right else (0.0, right)
            points += [(ends[0], yy), (ends[1], yy)]
            at_right = not at_right
        edges = list(reversed(xs)) if at_right else list(xs)
        down = False  # we are at the bottom: go up the first edge
        for xx in edges:
            points += [(xx, ys[0]), (xx, ys[-1])] if down else [(xx, ys[-1]), (xx, ys[0])]
            down = not down
        self.b.canvas(page).lines.append(Polyline([(x + st + px, y + st + py) for px, py in points], self.stroke,
                                                  QColor(RULE_COLOR)))
