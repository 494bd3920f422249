"""The page canvas (core/booklet/booklet_canvas.py): a booklet page's text and rules, painted by one item.

A hand-made table is laid out by the booklet's own builder, written with the booklet's PDF writer and
read back with poppler: every row in order, the header again on the continuation page, values filled
in afterwards (the grid index's page numbers) printed instead of the placeholders, and the glyphs of
each row drawn between that row's rules.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

# (序号, 名称, 数量): 24 rows and a total; the long name must wrap inside its column and keep its row.
ROWS = [(str(n), f"部件{n:02d}号", str(10 * n)) for n in range(1, 25)]
ROWS[6] = ("7", "很长很长很长很长很长很长很长很长的名称", "70")
TOTAL = ("", "合计", "3000")


def _build(family: str, frame_height: float):
    from citycomponents_plugin.core.booklet.booklet_layout import (
        LEFT,
        PAGE_SIZES,
        RIGHT,
        BookletBuilder,
        TableSpec,
        _continuation,
    )

    b = BookletBuilder(PAGE_SIZES[0], family)
    b.start_section()
    page = b.new_page("测试表")
    b.label(page, b.m, b.content_top, b.content_width, 5, "表格标题", 9, bold=True)
    spec = TableSpec([("序号", 8.0, RIGHT), ("名称", 40.0, LEFT), ("数量", 14.0, RIGHT)], ROWS + [TOTAL],
                     bold_last=True)
    pieces = b.table(spec, (page, b.m, b.content_top + 6, b.content_width, frame_height),
                     lambda: _continuation(b, "测试表"))
    b.check_tables()
    b.finish("手工区")
    return b, pieces


def _pdf_pages(pdf: Path) -> list:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")
            if page.strip()]


@pytest.fixture()
def family(qgis_app):
    from citycomponents_plugin.core.booklet.booklet_export import choose_font_family

    return choose_font_family()[0]


def test_table_rows_in_order_over_two_pages(family, tmp_path):
    from citycomponents_plugin.core.booklet.booklet_export import render_pdf
    from citycomponents_plugin.core.booklet.pdf_unicode import fix_pdf_text

    b, pieces = _build(family, 40.0)
    try:
        assert len(pieces) == 2, "40 mm hold about a dozen rows: the table continues on a second page"
        pieces[0][0].table.set_column(pieces[0][0], 2, [str(1000 + n) for n in range(len(pieces[0][0].lines))])
        pdf = tmp_path / "table.pdf"
        render_pdf(b, str(pdf), "测试")
        fix_pdf_text(str(pdf), family)  # the booklet's own pass: 手 extracts as 手, not as the radical ⼿
    finally:
        b.release()
    pages = _pdf_pages(pdf)
    assert len(pages) == 2
    first, second = pages
    assert first[0] == "手工区 测试表" and second[0] == "手工区 测试表（续）"
    assert first[1] == "表格标题"
    assert first[2] == "序号 名称 数量" and second[1] == "序号 名称 数量", "the header is on every page"
    assert first[-1].replace(" ", "") == "第1页/共2页" and second[-1].replace(" ", "") == "第2页/共2页"
    on_first = len(pieces[0][0].lines)
    body = first[3:-1] + second[2:-1]
    # the wrapped name: its second line under the first, the other columns on the first line only
    n7 = next(i for i, line in enumerate(body) if line.startswith("7 "))
    wrapped = body[n7].split(" ")[1] + body[n7 + 1]
    assert wrapped == ROWS[6][1]
    del body[n7 + 1]
    expected = []
    for n, (no, name, count) in enumerate(ROWS):
        shown = str(1000 + n) if n < on_first else count  # the first page's counts were replaced
        expected.append(f"{no} {name if n != 6 else body[n7].split(' ')[1]} {shown}")
    expected.append("合计 3000")
    assert body == expected


@pytest.mark.parametrize("with_layout_page", [False, True])
def test_row_glyphs_sit_between_their_rules(family, tmp_path, with_layout_page):
    """At 600 dpi: every body row's ink lies inside its ruled band, roughly centred, whether the page
    is painted straight into the PDF (text only) or by its item in a QGIS layout (a map page)."""
    from qgis.PyQt.QtGui import QColor, QImage

    from citycomponents_plugin.core.booklet.booklet_export import render_pdf

    b, pieces = _build(family, 40.0)
    try:
        if with_layout_page:
            b.layout_of(0)  # as a map or legend item would: the page is then drawn by QGIS's exporter
        assert (b.pages[0][0] is not None) == with_layout_page
        pdf = tmp_path / "t.pdf"
        render_pdf(b, str(pdf), "t")
    finally:
        b.release()
    subprocess.run(["pdftoppm", "-r", "600", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True)
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    px = image.width() / b.spec.width
    table = pieces[0][0].table
    x_name = b.m + table.stroke + 2 * table.margin + 8.0 + table.stroke + table.margin  # the 名称 column
    col = range(int((x_name + 0.3) * px), int((x_name + 20) * px))
    rule_x = int((b.m + 0.05) * px)  # the table's left edge: a rule, dark from top to bottom

    def dark(x: int, y: int, level: int = 140) -> bool:
        return QColor(image.pixel(x, y)).lightness() < level

    top, bottom = int((b.content_top + 6) * px), int((b.content_top + 6 + 40) * px)
    # horizontal rules: rows of pixels grey across the whole name column
    rules = [y for y in range(top, bottom) if all(QColor(image.pixel(x, y)).lightness() < 230 for x in col[::7])]
    bands = []
    for y in rules:
        if bands and y - bands[-1][1] <= 1:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    assert any(dark(rule_x, y, 230) for y in range(top, top + int(3 * px))), "the table's left rule is missing"
    assert len(bands) >= 10, bands
    checked = 0
    for (_a, upper), (lower, _b) in zip(bands[1:], bands[2:]):  # body rows between consecutive rules
        ink = [y for y in range(upper + 1, lower) if any(dark(x, y) for x in col)]
        if not ink:
            continue
        assert ink[0] > upper + 1 and ink[-1] < lower - 1, "glyphs touch a rule"
        middle = (ink[0] + ink[-1]) / 2
        assert abs(middle - (upper + lower) / 2) < 0.35 * px, "glyphs are not centred in their row"
        checked += 1
    assert checked >= 8
