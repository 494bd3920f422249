"""Booklets written by worker processes are the booklets one process writes; and the lean-PDF pass."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest

import district_fixtures as dfx


def page_texts(pdf: Path) -> list:
    """Each page's words (pdftotext, in drawing order), as a multiset per page, pages in order.

    A multiset: QGIS's labelling engine draws a map's labels in an order that changes from run to
    run, in one process as in several, so what each page says is compared, not the drawing order.
    """
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [Counter(page.split()) for page in pages]


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split(":", 1)[1] for line in out.splitlines() if line.startswith("Pages:")))


def _hand_index(path: Path):
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    layers = dfx.load_layers(path)
    return build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                      supervisors=layers["监督员责任区"]))


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory, qgis_app):
    return _hand_index(dfx.write_district(tmp_path_factory.mktemp("parallel") / "d.gpkg"))


def test_workers_write_the_same_pages_as_one_process(hand_index, tmp_path):
    from citycomponents_plugin.core.booklet import parallel
    from citycomponents_plugin.core.booklet.booklet_export import export_booklets

    assert parallel.python_interpreter() is not None  # else the two runs below would both be serial
    one = export_booklets(hand_index, None, 0, str(tmp_path / "one"), workers=1)
    two = export_booklets(hand_index, None, 0, str(tmp_path / "two"), workers=2)
    assert [Path(p).name for p in one] == [Path(p).name for p in two] == ["丙北.pdf", "丙南.pdf", "甲乙区.pdf"]
    for a, b in zip(one, two):
        assert page_count(Path(a)) == page_count(Path(b)) > 1
        assert page_texts(Path(a)) == page_texts(Path(b))
    # The words are the booklet's: every 标识码 of 甲乙区 is on its pages.
    words = sum(page_texts(Path(two[2])), Counter())
    ids = [row[0] for n, row in enumerate(dfx.COMPONENTS)
           if dfx.EXPECTED_GRID.get(n) in {dfx.G1, dfx.G2, dfx.G3, dfx.G4}]
    assert ids and all(words[i] >= 1 for i in ids)


def test_cancel_in_workers_hands_out_no_further_area(hand_index, tmp_path):
    from qgis.core import QgsFeedback

    from citycomponents_plugin.core.booklet.booklet_export import export_booklets

    class CancelAfterFirst(QgsFeedback):
        """Says "cancelled" from the second check on: the first area is handed out, no other."""

        checks = 0

        def isCanceled(self) -> bool:  # noqa: N802 - QGIS API name
            self.checks += 1
            return self.checks > 1

    files = export_booklets(hand_index, None, 0, str(tmp_path / "o"), False, CancelAfterFirst(), workers=2)
    # The largest area (most components) is handed out first.
    assert [Path(f).name for f in files] == ["甲乙区.pdf"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["甲乙区.pdf"]


def test_progress_reaches_every_area(hand_index, tmp_path):
    from qgis.core import QgsFeedback

    from citycomponents_plugin.core.booklet.booklet_export import export_booklets

    feedback = QgsFeedback()
    seen: list = []
    feedback.progressChanged.connect(seen.append)
    export_booklets(hand_index, None, 0, str(tmp_path / "o"), False, feedback, workers=2)
    assert seen[-1] == 100.0 and {round(100 / 3, 6), round(200 / 3, 6)} <= {round(s, 6) for s in seen}


def test_portable_index_round_trip(hand_index):
    from citycomponents_plugin.core.booklet.parallel import portable_index, restore_index

    back = restore_index(portable_index(hand_index))
    assert [g.asWkt() for g in back.grid_geometries] == [g.asWkt() for g in hand_index.grid_geometries]
    assert back.grid_crs.authid() == hand_index.grid_crs.authid() == "EPSG:4548"
    assert [r.key for r in back.grids] == [r.key for r in hand_index.grids]
    assert (back.comp_id == hand_index.comp_id).all()


def test_worker_count():
    import os

    from citycomponents_plugin.core.booklet.parallel import worker_count

    assert worker_count(0, 100) == (os.cpu_count() or 1)
    assert worker_count(3, 2) == 2
    assert worker_count(1, 5) == 1
    assert worker_count(0, 0) == 1


def test_compact_content_drops_only_empty_groups_and_long_digits():
    from citycomponents_plugin.core.booklet.pdf_compact import compact_content

    page = (b"q\n/GSa gs\nq\n11.7904761 0 0 11.7904761 82.5333333 153.276190 cm\n0 0 0 SCN\n"
            b"1 w 2 J 2 j []0  d\nQ\nq\n0.0992063492 0 0 0.0992063492 497.558 605.647 cm\n"
            b"BT\n/F7 271 Tf 1 0 0 -1 0 0 Tm\n0 0 Td <000B> Tj\n270.984375 0 Td <0059> Tj\nET\nQ\n"
            b"1182.50000 -128.099999 m\n7.08661417 w\nS\nQ\n")
    assert compact_content(page) == (
        b"q\n/GSa gs\nq\n0.0992 0 0 0.0992 497.5 605.6 cm\n"
        b"BT\n/F7 271 Tf 1 0 0 -1 0 0 Tm\n0 0 Td <000B> Tj\n270.9 0 Td <0059> Tj\nET\nQ\n"
        b"1182.5 -128 m\n7.086 w\nS\nQ\n")


def test_compacted_booklet_keeps_its_pages_and_text_and_shrinks(hand_index, tmp_path):
    import shutil

    from citycomponents_plugin.core.booklet import pdf_compact
    from citycomponents_plugin.core.booklet.booklet_content import area_content
    from citycomponents_plugin.core.booklet.booklet_export import BookletWriter, choose_font_family, render_pdf
    from citycomponents_plugin.core.booklet.booklet_layout import build_booklet_layout
    from citycomponents_plugin.core.levels import Level

    if not pdf_compact.available():
        pytest.skip("pikepdf (python3-pikepdf) is not installed")
    family, _warning = choose_font_family()
    writer = BookletWriter(hand_index, 0, family)
    region = hand_index.find_region(Level.SUPERVISOR, "甲乙区")
    content = area_content(hand_index, region, writer.table, writer.members[region.index])
    builder = build_booklet_layout(hand_index, content, writer.spec, family, writer.boxes)
    plain = tmp_path / "plain.pdf"
    try:
        render_pdf(builder, str(plain), "t")
    finally:
        builder.release()
    lean = tmp_path / "lean.pdf"
    shutil.copy(plain, lean)
    assert pdf_compact.compact_pdf(str(lean))
    assert page_count(lean) == page_count(plain) > 1
    assert page_texts(lean) == page_texts(plain)
    assert lean.stat().st_size < 0.85 * plain.stat().st_size


def cover_labels(hand_index, tmp_path) -> bool:
    """Checks that the cover map of 甲乙区 shows the page of each of its grids and nothing else; returns
    True when the labels carry the short codes too."""
    import html
    import re

    from citycomponents_plugin.core.booklet.booklet_export import export_booklets
    from citycomponents_plugin.core.codes import DEFAULT_GRID_PROFILE

    [pdf] = export_booklets(hand_index, ["甲乙区"], 0, str(tmp_path / "o"), workers=1)
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    first = {}
    for n, page in enumerate(pages):
        flat = re.sub(r"\s+", "", page)
        for grid in (dfx.G1, dfx.G2, dfx.G3, dfx.G4):
            short = DEFAULT_GRID_PROFILE.short_code(grid)
            if grid not in first and f"单元网格{short}" in flat and "续" not in flat.split(short, 1)[1][:3]:
                first[grid] = n + 1
    assert len(first) == 4 and len(set(first.values())) == 4
    # The map sits between the class totals (their 合计 row) and the caption under it (图中：...): the words
    # between the two, wherever the cover's lines above put them.
    bbox = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", "1", "-l", "1", pdf, "-"], check=True,
                          capture_output=True, text=True).stdout
    words = [(float(m.group(2)), float(m.group(3)), html.unescape(m.group(4)))
             for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                                  bbox)]
    top = max(y_max for _y, y_max, w in words if w == "合计")
    bottom = min(y for y, _y_max, w in words if w.startswith("图中"))
    in_map = [w for y, y_max, w in words if y >= top and y_max <= bottom]
    shorts = {grid: DEFAULT_GRID_PROFILE.short_code(grid) for grid in first}
    pages_only = sorted(str(p) for p in first.values())
    codes_and_pages = sorted([shorts[g] for g in first] + [f"第{p}页" for p in first.values()])
    assert sorted(in_map) in (pages_only, codes_and_pages), in_map
    return sorted(in_map) == codes_and_pages


def test_cover_map_labels_every_grid_with_its_page(hand_index, tmp_path, monkeypatch):
    """The hand district's grids are large on its cover (code and page); when a code label would not fit
    (here: a label size too big for any grid), every grid still shows its page."""
    from citycomponents_plugin.core.booklet import booklet_layout

    assert cover_labels(hand_index, tmp_path / "a")
    monkeypatch.setattr(booklet_layout, "CODE_LABEL_MM", (500.0, 500.0))
    assert not cover_labels(hand_index, tmp_path / "b")
