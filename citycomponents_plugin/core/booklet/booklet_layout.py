"""The print layout of one booklet: cover, statistics, grid index, then a map page per grid.

Pages are built explicitly (not with an atlas) because every table must continue on as many pages
as it needs: each table is one QgsLayoutItemManualTable whose frames are placed page by page, and
the number of rows a frame holds is asked from the table itself (rowsVisible), so QGIS's own text
measurement decides the page breaks and nothing is ever cut off. After building, every table is
checked to show all its rows; a shortfall is an error, never a silently truncated booklet.

A booklet is a series of small layouts (the cover, the statistics, then one per grid) sharing one
private QgsProject, rendered one page after the other into a single PDF (booklet_export): adding a
page to a QGIS layout costs time proportional to its page count, and a booklet has ~90 pages.
All text and rules of a page are painted by one item (booklet_canvas), not by a label item each:
on a detail-list page that was a dozen items and most of its layout and drawing time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
from qgis.core import (
    Qgis,
    QgsCentroidFillSymbolLayer,
    QgsFillSymbol,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemShape,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsTextFormat,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.audit.record import cover_lines as audit_cover_lines
from citycomponents_plugin.core.booklet import booklet_layers as bl
from citycomponents_plugin.core.booklet.booklet_canvas import Fill, PageCanvas, PageText, TextBox
from citycomponents_plugin.core.booklet.booklet_content import AreaContent
from citycomponents_plugin.core.booklet.booklet_table import LeanTable
from citycomponents_plugin.core.codes import ALL_CLASSES, DEFAULT_GRID_PROFILE
from citycomponents_plugin.core.errors import CityComponentsError

GREY = "#707070"
GRID_STROKE = 0.15
LEGEND_ROW = 3.4  # mm per legend row at A6
DENSE_PER_A6_PAGE = 45  # more components than this in a grid: a whole page for its map
ZOOM_PER_A6_PAGE = 150  # more than this: four quarter maps at twice the scale follow
CELL_MARGIN = 0.55  # mm around cell text: compact rows that still read well
LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class PageSpec:
    """A paper size and the proportions that keep it readable in the hand."""

    name: str
    width: float  # mm
    height: float
    margin: float
    scale: float  # font and symbol scale relative to A6
    legend_columns: int


PAGE_SIZES = [PageSpec("A6", 105.0, 148.0, 7.0, 1.0, 3), PageSpec("A5", 148.0, 210.0, 10.0, 1.25, 4)]


@dataclass
class TableSpec:
    """Columns (heading, width in mm, alignment) and rows of text; `bold_last` marks a total row."""

    columns: list
    rows: list
    bold_last: bool = False


class BookletBuilder:
    """Adds pages and items to one QgsPrintLayout that lives in a private QgsProject."""

    def __init__(self, spec: PageSpec, family: str) -> None:
        self.spec = spec
        self.family = family
        self.project = QgsProject()
        self.pages: list = []  # global page number -> [layout, page number in it], None for text only
        self.texts: list = []  # global page number -> PageText
        self.section = 0
        self.page_sections: list = []  # global page number -> section
        self.section_layouts: dict = {}  # section -> its layout, once a page of it needs one
        self.tables: list = []  # (table, expected rows)
        self.running: list = []  # (page index, section title) for the running headers
        self.s = spec.scale
        self.m = spec.margin

    # ----- geometry of a page ----------------------------------------------------------------------
    @property
    def content_top(self) -> float:
        return self.m + 6.0 * self.s

    @property
    def content_bottom(self) -> float:
        return self.spec.height - self.m - 4.5 * self.s

    @property
    def content_width(self) -> float:
        return self.spec.width - 2 * self.m

    # ----- primitives ------------------------------------------------------------------------------
    def start_section(self) -> None:
        """The next pages go into a new layout: adding a page to a QGIS layout costs time proportional
        to its page count, so a booklet is a series of small layouts exported into one PDF."""
        self.section += 1

    def _new_layout(self) -> QgsPrintLayout:
        layout = QgsPrintLayout(self.project)
        layout.setName(f"booklet-{len(self.section_layouts) + 1}")
        layout.undoStack().blockCommands(True)  # nobody undoes: no XML snapshot of every added item
        context = layout.renderContext()
        context.setTextRenderFormat(Qgis.TextRenderFormat.AlwaysText)
        context.setFlag(compat.LAYOUT_FORCE_VECTOR, True)
        context.setDpi(300)
        return layout

    def new_page(self, section: Optional[str] = None) -> int:
        """Append a page to the current section; returns its page number in the booklet (0-based).

        The page is text only until layout_of() is asked for it: only then does it get a page in a
        QGIS layout (about a millisecond each, and most pages of a booklet never need one)."""
        self.pages.append([None, None])
        self.texts.append(PageText())
        self.page_sections.append(self.section)
        n = len(self.pages) - 1
        if section is not None:
            self.running.append((n, section))
        return n

    def layout_of(self, page: int) -> QgsPrintLayout:
        """The layout that holds this page (its section's), with a layout page for it made on first use."""
        slot = self.pages[page]
        if slot[0] is None:
            section = self.page_sections[page]
            layout = self.section_layouts.get(section)
            if layout is None:
                layout = self.section_layouts[section] = self._new_layout()
            item = QgsLayoutItemPage(layout)
            item.setPageSize(QgsLayoutSize(self.spec.width, self.spec.height, compat.LAYOUT_MILLIMETERS))
            layout.pageCollection().addPage(item)
            slot[0], slot[1] = layout, layout.pageCollection().pageCount() - 1
            PageCanvas(layout, slot[1], self.spec.width, self.spec.height, self.texts[page])
        return slot[0]

    def font(self, size: float, bold: bool = False) -> QFont:
        f = QFont(self.family)
        f.setPointSizeF(size * self.s)
        f.setBold(bold)
        return f

    def text_format(self, size: float, bold: bool = False, color: str = "#000000") -> QgsTextFormat:
        fmt = QgsTextFormat()
        fmt.setFont(self.font(size, bold))
        fmt.setSize(size * self.s)
        fmt.setSizeUnit(compat.RENDER_POINTS)
        fmt.setColor(QColor(color))
        return fmt

    def canvas(self, page: int) -> PageText:
        """The page's text and rules (booklet_canvas)."""
        return self.texts[page]

    def label(self, page: int, x: float, y: float, w: float, h: float, text: str, size: float,
              bold: bool = False, align=LEFT, valign=Qt.AlignmentFlag.AlignVCenter, color: str = "#000000") -> TextBox:
        """Text in a box on the page, word-wrapped to its width."""
        box = TextBox(x, y, w, h, text, self.font(size, bold), QColor(color),
                      int(align) | int(valign) | int(Qt.TextFlag.TextWordWrap))
        self.canvas(page).boxes.append(box)
        return box

    def rule(self, page: int, x: float, y: float, w: float, thickness: float = 0.25, color: str = "#000000") -> Fill:
        """A filled band: a rule under a heading, or a table's header background."""
        fill = Fill(x, y, w, thickness, QColor(color))
        self.canvas(page).fills.append(fill)
        return fill

    def _place(self, item, page: int, x: float, y: float, w: float, h: float) -> None:
        item.attemptResize(QgsLayoutSize(w, h, compat.LAYOUT_MILLIMETERS))
        item.attemptMove(QgsLayoutPoint(x, y, compat.LAYOUT_MILLIMETERS), useReferencePoint=False,
                         page=self.pages[page][1])

    def map_item(self, page: int, x: float, y: float, w: float, h: float, item_id: str, layers: list,
                 extent: QgsRectangle, crs) -> QgsLayoutItemMap:
        layout = self.layout_of(page)
        item = QgsLayoutItemMap(layout)
        item.setId(item_id)  # the layer styles compare features with @map_id
        layout.addLayoutItem(item)
        self._place(item, page, x, y, w, h)
        if crs is not None:
            item.setCrs(crs)
        item.setLayers(layers)
        item.setKeepLayerSet(True)
        item.zoomToExtent(extent)
        item.setFrameEnabled(True)
        item.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, compat.LAYOUT_MILLIMETERS))
        item.setFrameStrokeColor(QColor("#808080"))
        item.setBackgroundColor(QColor(255, 255, 255))
        return item

    # ----- tables that continue ------------------------------------------------------------------
    def table(self, spec: TableSpec, first_frame: tuple, continuation: Callable[[], tuple]) -> list:
        """Rows placed in `first_frame` (page, x, y, w, h), then on as many continuation pages as needed.

        `continuation()` adds a page and returns the frame rectangle on it. Each page gets its own
        piece of the table (booklet_table: a label per column, the rules as one line). Returns
        [(piece, first row)] in page order; check_tables() later proves the pieces hold every row.
        """
        table = LeanTable(self, spec, CELL_MARGIN, GRID_STROKE)
        pieces = []
        shown = 0
        frame_rect = first_frame
        while True:
            page, x, y, _w, h = frame_rect
            fits = table.rows_fitting(shown, h)
            if fits < 1 and frame_rect is not first_frame and spec.rows:
                raise CityComponentsError("row_taller_than_page", "PAGE_SIZE")
            if fits or not spec.rows:
                piece = table.draw(page, x, y, shown, fits)
                self.tables.append((table, pieces, len(spec.rows)))
                pieces.append((piece, shown))
                self.last_frame_bottom = y + table.height_of(shown, fits)
                self.last_frame_page = page
            shown += fits
            if shown >= len(spec.rows):
                return pieces
            frame_rect = continuation()

    def check_tables(self) -> None:
        """Every row of every table is on some page: the booklet never hides a component."""
        for _table, pieces, expected in self.tables:
            shown = sum(len(piece.lines) for piece, _start in pieces)
            if shown < expected:
                raise CityComponentsError("layout_rows_lost", shown=shown, expected=expected)

    def release(self) -> None:
        """Drop the layouts and the private project's layers: nothing outlives the export."""
        self.tables.clear()
        self.texts.clear()
        self.pages.clear()
        self.section_layouts.clear()
        self.project.removeAllMapLayers()

    # ----- running headers and page numbers ------------------------------------------------------
    def finish(self, area_name: str) -> None:
        """Running headers on inner pages and "第 n 页 / 共 m 页" on every page."""
        total = len(self.pages)
        s, m, w = self.s, self.m, self.spec.width
        for page, section in self.running:
            top = m - 1.5 * s
            self.label(page, m, top, self.content_width * 0.5, 4.0 * s, area_name, 7, color=GREY)
            self.label(page, m + self.content_width * 0.5, top, self.content_width * 0.5, 4.0 * s, section, 7,
                       align=RIGHT, color=GREY)
            self.rule(page, m, top + 4.3 * s, self.content_width, 0.2, "#9a9a9a")
        for page in range(total):
            self.label(page, m, self.spec.height - m - 3.2 * s, w - 2 * m, 4.0 * s,
                       f"第 {page + 1} 页 / 共 {total} 页", 7, align=Qt.AlignmentFlag.AlignHCenter, color="#404040")


# ----- the booklet -----------------------------------------------------------------------------------
def build_booklet_layout(index, content: AreaContent, spec: PageSpec, family: str, boxes: bl.GridBoxes,
                         title_prefix: str = "监督员手册") -> BookletBuilder:
    """All pages of one area's booklet; every table is checked to show all its rows before this returns."""
    b = BookletBuilder(spec, family)
    name = content.region.key
    area_idx = np.array([sec.grid.index for sec in content.sections], dtype=np.int64)
    near = boxes.touching(area_idx) if len(area_idx) else np.zeros(0, dtype=np.int64)
    in_area = set(area_idx.tolist())
    neighbours = [index.grids[i] for i in near.tolist() if i not in in_area]
    grid_layer = bl.grid_layer(index, [sec.grid for sec in content.sections], neighbours, family, spec.scale)

    # Components of neighbouring grids are drawn faded, so the map looks like the street does.
    extra = np.zeros(0, dtype=np.int64)
    if neighbours:
        extra = np.nonzero(np.isin(index.comp_grid, [g.index for g in neighbours]))[0]
    draw = np.concatenate([content.members, extra])
    serials = np.concatenate([content.serials, np.zeros(len(extra), dtype=np.int64)])
    classes = np.concatenate([content.classes, np.full(len(extra), "", dtype="<U2")])
    comp_layer = bl.component_layer(index, draw, serials, classes, family, spec.scale)
    for lyr in (grid_layer, comp_layer):
        b.project.addMapLayer(lyr, False)
    layers = [comp_layer, grid_layer]

    with_codes = _cover(b, index, content, layers, title_prefix)
    _statistics(b, content)
    index_table = _grid_index(b, content)
    first_pages = []
    for n, section in enumerate(content.sections):
        first_pages.append(_grid_pages(b, index, section, n, len(content.sections), layers))
    if index_table is not None:
        _fill_grid_index(b, index_table, content, first_pages)
    bl.set_grid_pages(grid_layer, {sec.grid.key: page + 1 for sec, page in zip(content.sections, first_pages)},
                      with_codes)
    b.check_tables()
    b.finish(name)
    return b


def _cover(b: BookletBuilder, index, content: AreaContent, layers: list, title_prefix: str) -> bool:
    """The cover page; True when its map labels each grid with its short code as well as its page."""
    s, m, cw = b.s, b.m, b.content_width
    page = b.new_page()
    y = m + 2 * s
    b.label(page, m, y, cw, 5 * s, title_prefix, 9, color=GREY)
    y += 6 * s
    name = content.region.key
    size = 20 if len(name) <= 8 else 16 if len(name) <= 12 else 12
    b.label(page, m, y, cw, 13 * s, name, size, bold=True, valign=Qt.AlignmentFlag.AlignTop)
    y += 13 * s
    b.rule(page, m, y, cw, 0.5)
    y += 2.5 * s
    lines = []
    if content.person:
        lines.append(f"监督员：{content.person}")
    lines.append(f"单元网格：{len(content.sections)} 个")
    lines.append(f"部件总数：{content.total} 个")
    if content.change_line:
        lines.append(content.change_line)
    lines.append(f"编制日期：{content.date_text}")
    lines.extend(audit_cover_lines(index))
    for line in lines:
        b.label(page, m, y, cw, 4.6 * s, line, 8.5)
        y += 4.8 * s
    y += 1.5 * s
    rows = [(c.name, str(n)) for c, n in content.class_totals] + [("合计", str(content.total))]
    w_name = cw * 0.62
    table = TableSpec([("部件大类", w_name, LEFT), ("数量", cw - w_name - _margins(b, 2), RIGHT)],
                      rows, bold_last=True)
    b.table(table, (page, m, y, cw, b.content_bottom - y), _no_more_room)
    y = b.last_frame_bottom + 2.5 * s
    bottom = b.content_bottom
    if content.sections and bottom - y > 25 * s:
        extent = QgsRectangle()
        for sec in content.sections:
            geom = index.grid_geometries[sec.grid.index]
            if geom is not None and not geom.isEmpty():
                extent.combineExtentWith(geom.boundingBox())
        if not extent.isEmpty():
            extent.grow(max(extent.width(), extent.height()) * 0.03)
            caption = 4 * s
            height = bottom - y - caption
            b.map_item(page, m, y, cw, height, bl.COVER_MAP_ID, layers, extent, index.grid_crs)
            with_codes = _codes_fit(index, content, min(cw / extent.width(), height / extent.height()), s)
            b.label(page, m, bottom - caption + 0.5 * s, cw, caption - 0.5 * s,
                    "图中：网格短码与所在页码" if with_codes else "图中数字：该网格所在页码", 6.5, color=GREY)
            return with_codes
    return False


# A cover label of short code and page ("00901" over "第5页") needs about this much of its grid (mm,
# at A6; scaled with the page); the page number alone fits into any grid a supervisor can point at.
CODE_LABEL_MM = (8.0, 6.5)


def _codes_fit(index, content: AreaContent, mm_per_unit: float, s: float) -> bool:
    """Whether every grid of the area is drawn large enough on the cover map for code and page."""
    for sec in content.sections:
        geom = index.grid_geometries[sec.grid.index]
        if geom is None or geom.isEmpty():
            continue
        box = geom.boundingBox()
        if box.width() * mm_per_unit < CODE_LABEL_MM[0] * s or box.height() * mm_per_unit < CODE_LABEL_MM[1] * s:
            return False
    return True


def _margins(b: BookletBuilder, columns: int) -> float:
    """Width a table adds around its column widths: cell margins and grid lines."""
    return 2 * columns * CELL_MARGIN * b.s + (columns + 1) * GRID_STROKE


def _no_more_room() -> tuple:
    raise CityComponentsError("cover_does_not_fit")


def _statistics(b: BookletBuilder, content: AreaContent) -> None:
    s, m, cw = b.s, b.m, b.content_width
    section = "部件统计"
    b.start_section()
    page = b.new_page(section)
    y = b.content_top
    b.label(page, m, y, cw, 5 * s, "部件统计（部件名称 / 部件总数）", 9, bold=True)
    y += 6 * s
    rows = [(n, str(c)) for n, c in content.statistics] + [("合计", str(content.total))]
    margins = _margins(b, 2)
    w_count = 16 * s
    spec = TableSpec([("部件名称", cw - w_count - margins, LEFT), ("部件总数", w_count, RIGHT)],
                     rows, bold_last=True)
    b.table(spec, (page, m, y, cw, b.content_bottom - y), lambda: _continuation(b, section))


def _continuation(b: BookletBuilder, section: str) -> tuple:
    page = b.new_page(section + "（续）")
    return page, b.m, b.content_top, b.content_width, b.content_bottom - b.content_top


def _grid_index(b: BookletBuilder, content: AreaContent) -> Optional[list]:
    """单元网格 / 部件数 / 页码: how a supervisor finds a grid's page; page numbers are filled in later."""
    if not content.sections:
        return None
    s, m, cw = b.s, b.m, b.content_width
    section = "网格目录"
    page, y = b.last_frame_page, b.last_frame_bottom + 5 * s
    if b.content_bottom - y < 30 * s:  # title, header and a few rows, else start a page
        page, y = b.new_page(section), b.content_top
    b.label(page, m, y, cw, 5 * s, "网格目录", 9, bold=True)
    y += 6 * s
    rows = [(sec.grid.key, str(len(sec.rows)), "000") for sec in content.sections]
    return b.table(_grid_index_spec(b, rows), (page, m, y, cw, b.content_bottom - y), lambda: _continuation(b, section))


def _grid_index_spec(b: BookletBuilder, rows: list) -> TableSpec:
    w_n, w_p = 16 * b.s, 12 * b.s
    return TableSpec([("单元网格", b.content_width - w_n - w_p - _margins(b, 3), LEFT),
                      ("部件数", w_n, RIGHT), ("页码", w_p, RIGHT)], rows)


def _fill_grid_index(b: BookletBuilder, pieces: list, content: AreaContent, first_pages: list) -> None:
    """Put the page numbers into the grid index (same rows, same heights: the pages stay as measured)."""
    pages = [str(page + 1) for page in first_pages]
    for piece, start in pieces:
        piece.table.set_column(piece, 2, pages[start:start + len(piece.lines)])


def _grid_pages(b: BookletBuilder, index, section, n: int, count: int, layers: list) -> int:
    """The map page of one grid and its detail table (continued on more pages as needed)."""
    s, m, cw = b.s, b.m, b.content_width
    grid = section.grid
    title = f"单元网格 {DEFAULT_GRID_PROFILE.short_code(grid.key)}"
    b.start_section()
    page = b.new_page(f"{title}（{n + 1}/{count}）")
    y = b.content_top
    b.label(page, m, y, cw * 0.7, 5 * s, f"单元网格 {grid.key}", 9, bold=True)
    b.label(page, m + cw * 0.6, y, cw * 0.4, 5 * s, f"部件 {len(section.rows)} 个", 8, align=RIGHT)
    y += 6 * s
    present = set(section.classes.tolist())
    classes = [c for c in ALL_CLASSES if c.code in present]
    legend_h = _legend_height(b, len(classes))
    map_h = round(cw * 0.64, 1)
    area_ratio = (b.spec.width * b.spec.height) / (105.0 * 148.0)
    dense = len(section.rows) > DENSE_PER_A6_PAGE * area_ratio
    geom = index.grid_geometries[grid.index]
    extent = geom.boundingBox() if geom is not None and not geom.isEmpty() else QgsRectangle()
    zoom = len(section.rows) > ZOOM_PER_A6_PAGE * area_ratio and not extent.isEmpty()
    note_h = 4.0 * s if zoom else 0.0
    if dense:  # numbers need room: the map takes the page and the table starts on the next one
        map_h = b.content_bottom - y - legend_h - note_h - 2.2 * s
    if not extent.isEmpty():
        extent.grow(max(extent.width(), extent.height()) * 0.1)
        # With zoomed quarters to follow, the whole-grid map shows where things are, without numbers:
        # hundreds of numbers would not fit anyway, and placing them is the slowest part of a booklet.
        map_id = grid.key + (bl.UNLABELLED if zoom else "")
        b.map_item(page, m, y, cw, map_h, map_id, layers, extent, index.grid_crs)
    y += map_h + 1.2 * s
    if not section.rows:
        b.label(page, m, y + 2 * s, cw, 5 * s, "本网格无部件。", 8.5)
        return page
    _legend(b, page, m, y, cw, classes)
    y += legend_h + 1.0 * s
    if zoom:
        b.label(page, m, y, cw, note_h, "部件序号见后面四页的局部放大图。", 7, color=GREY)
        _zoom_pages(b, index, grid, title, classes, layers)
    margins = _margins(b, 4)
    w_no, w_id, w_grid = 7 * s, 25 * s, 10 * s
    spec = TableSpec([("序号", w_no, RIGHT), ("标识码", w_id, LEFT),
                      ("名称", cw - w_no - w_id - w_grid - margins, LEFT), ("网格", w_grid, LEFT)],
                     section.rows)
    first = _continuation(b, title) if dense else (page, m, y, cw, b.content_bottom - y)
    b.table(spec, first, lambda: _continuation(b, title))
    return page


QUARTERS = [("西北", 0, 1), ("东北", 1, 1), ("西南", 0, 0), ("东南", 1, 0)]


def _zoom_pages(b: BookletBuilder, index, grid, title: str, classes: list, layers: list) -> None:
    """Four quarter maps at twice the scale: in a very crowded grid most numbers only fit when zoomed."""
    s, m, cw = b.s, b.m, b.content_width
    box = index.grid_geometries[grid.index].boundingBox()
    half_w, half_h = box.width() / 2, box.height() / 2
    pad = max(half_w, half_h) * 0.06
    for name, col, row in QUARTERS:
        page = b.new_page(f"{title}（{name}放大）")
        y = b.content_top
        b.label(page, m, y, cw, 5 * s, f"单元网格 {grid.key} · {name}部放大", 9, bold=True)
        y += 6 * s
        legend_h = _legend_height(b, len(classes))
        map_h = b.content_bottom - y - legend_h - 2.2 * s
        x0 = box.xMinimum() + col * half_w
        y0 = box.yMinimum() + row * half_h
        extent = QgsRectangle(x0 - pad, y0 - pad, x0 + half_w + pad, y0 + half_h + pad)
        b.map_item(page, m, y, cw, map_h, grid.key, layers, extent, index.grid_crs)
        _legend(b, page, m, y + map_h + 1.2 * s, cw, classes)


def _legend_height(b: BookletBuilder, count: int) -> float:
    return -(-count // b.spec.legend_columns) * LEGEND_ROW * b.s


def _legend(b: BookletBuilder, page: int, x: float, y: float, w: float, classes: list) -> float:
    """The classes drawn on this page: the map's own marker symbols, names kept as text; returns the height."""
    s = b.s
    cols = b.spec.legend_columns
    cell_w, row_h, box = w / cols, LEGEND_ROW * s, 2.4 * s
    for n, cls in enumerate(classes):
        cx, cy = x + (n % cols) * cell_w, y + (n // cols) * row_h
        shape = QgsLayoutItemShape(b.layout_of(page))
        shape.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
        fill = QgsFillSymbol()
        fill.changeSymbolLayer(0, QgsCentroidFillSymbolLayer())
        fill.symbolLayer(0).setSubSymbol(bl.class_marker(cls, 2.0 * s))
        shape.setSymbol(fill)
        b.layout_of(page).addLayoutItem(shape)
        b._place(shape, page, cx, cy + (row_h - box) / 2, box, box)
        b.label(page, cx + box + 1.0 * s, cy, cell_w - box - 1.5 * s, row_h, cls.name, 6.5)
    return _legend_height(b, len(classes))
