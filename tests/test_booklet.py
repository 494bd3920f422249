"""citycomponents:booklet: one pocket PDF per supervisor area, read back with poppler (pdftotext/pdfinfo/pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsVectorLayer

import district_fixtures as dfx

A6_PTS = (297.6, 419.5)
A5_PTS = (419.5, 595.3)


def _params(path: Path, out: Path, **extra) -> dict:
    return dfx.district_params(path, OUTPUT_FOLDER=str(out), **extra)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def squeeze(text: str) -> str:
    """Without white space: pdftotext drops or keeps the spaces between Chinese and digits at will."""
    return re.sub(r"\s+", "", text)


def pdf_info(pdf: Path) -> dict:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    w, h = re.findall(r"[\d.]+", info["Page size"])[:2]
    return {"pages": int(info["Pages"]), "size": (float(w), float(h)), "title": info.get("Title", "").strip()}


def expected_ids(grids: set, components=dfx.COMPONENTS) -> list:
    return [row[0] for n, row in enumerate(components) if dfx.EXPECTED_GRID.get(n) in grids]


AREA_GRIDS = {"甲乙区": {dfx.G1, dfx.G2, dfx.G3, dfx.G4}, "丙南": {dfx.G5}, "丙北": {dfx.G6}}


@pytest.fixture(scope="module")
def hand_run(tmp_path_factory, provider):
    """The hand-made district's three booklets, made once through processing.run."""
    import processing

    tmp = tmp_path_factory.mktemp("booklet_hand")
    path = dfx.write_district(tmp / "d.gpkg", component_epsg=4490)
    res = processing.run("citycomponents:booklet", _params(path, tmp / "out"))
    return path, tmp / "out", res


def test_processing_run_writes_one_pdf_per_area(hand_run):
    _path, out, res = hand_run
    assert res["FILES"] == 3
    assert sorted(Path(f).name for f in res["PDF_FILES"]) == ["丙北.pdf", "丙南.pdf", "甲乙区.pdf"]
    assert res["OUTPUT_FOLDER"] == str(out)
    assert sorted(p.name for p in out.iterdir()) == ["丙北.pdf", "丙南.pdf", "甲乙区.pdf"]  # no temp files left


@pytest.mark.parametrize("area,count", [("甲乙区", 8), ("丙北", 2), ("丙南", 1)])
def test_every_component_id_appears_exactly_once(hand_run, area, count):
    _path, out, _res = hand_run
    text = pdf_text(out / f"{area}.pdf")
    ids = expected_ids(AREA_GRIDS[area])
    assert len(ids) == count
    for ident in ids:
        assert text.count(ident) == 1, ident
    assert area in text  # the text map is fixed: 乙 is not extracted as the radical ⼄
    assert f"部件总数：{count}个" in squeeze(text)


def test_cover_statistics_and_page_numbers(hand_run):
    _path, out, _res = hand_run
    pdf = out / "甲乙区.pdf"
    info = pdf_info(pdf)
    text = pdf_text(pdf)
    assert info["size"] == pytest.approx(A6_PTS, abs=1.0)
    # cover + statistics/grid index + one page per grid (4 grids, each short enough for one page)
    assert info["pages"] == 6
    for n in range(1, info["pages"] + 1):
        assert f"第{n}页/共{info['pages']}页" in squeeze(text)
    assert "监督员：张伟" in text and "公用设施" in text and "其他设施" in text
    assert "单元网格：4个" in squeeze(text)
    flat = re.sub(r"\s+", " ", text)
    # most numerous first; a table is drawn a column at a time, so its text comes out column by column
    assert re.search(r"部件名称 路灯 上水井盖 污水井盖 合计 部件总数 4 3 1 8", flat), flat[:600]
    assert info["title"] == "甲乙区 监督员手册"


def test_map_page_is_drawn(hand_run, tmp_path):
    """The first grid page's map has the grid outline and coloured component markers."""
    from qgis.PyQt.QtGui import QColor, QImage

    _path, out, _res = hand_run
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "3", "-l", "3", str(out / "甲乙区.pdf"),
                    str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    img = QImage(str(png))
    assert not img.isNull()
    px_per_mm = img.width() / 105.0
    # the map frame: below the grid title, full content width, about two thirds as high as wide
    x0, x1 = int(9 * px_per_mm), int(96 * px_per_mm)
    y0, y1 = int(22 * px_per_mm), int(70 * px_per_mm)
    dark = blue = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            c = QColor(img.pixel(x, y))
            if c.red() < 120 and c.green() < 120 and c.blue() < 120:
                dark += 1
            if c.blue() > 140 and c.red() < 110:
                blue += 1
    assert dark > 100, "the grid boundary is not drawn"
    assert blue > 3, "no component marker (公用设施 blue) is drawn"


def test_a5_option(provider, tmp_path):
    import processing

    path = dfx.write_district(tmp_path / "d.gpkg")
    res = processing.run("citycomponents:booklet", _params(path, tmp_path / "a5", PAGE_SIZE=1,
                                                           SUPERVISOR_AREAS="丙北"))
    assert res["FILES"] == 1
    info = pdf_info(tmp_path / "a5" / "丙北.pdf")
    assert info["size"] == pytest.approx(A5_PTS, abs=1.0)
    text = pdf_text(tmp_path / "a5" / "丙北.pdf")
    for ident in expected_ids(AREA_GRIDS["丙北"]):
        assert text.count(ident) == 1


def test_unknown_area_is_an_error_with_suggestions(provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    path = dfx.write_district(tmp_path / "d.gpkg")
    with pytest.raises(QgsProcessingException, match="No 监督员责任区 named '丙' .*Did you mean"):
        processing.run("citycomponents:booklet", _params(path, tmp_path / "o", SUPERVISOR_AREAS="丙北, 丙"))
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_supervisors_layer_is_required(provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    path = dfx.write_district(tmp_path / "d.gpkg")
    params = _params(path, tmp_path / "o")
    del params["SUPERVISORS"]
    with pytest.raises(QgsProcessingException, match="SUPERVISORS"):
        processing.run("citycomponents:booklet", params)


def test_existing_pdf_is_refused_unless_overwrite(provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    path = dfx.write_district(tmp_path / "d.gpkg")
    out = tmp_path / "o"
    out.mkdir()
    (out / "丙南.pdf").write_bytes(b"mine")
    with pytest.raises(QgsProcessingException, match="already exist.*丙南.pdf.*OVERWRITE"):
        processing.run("citycomponents:booklet", _params(path, out, SUPERVISOR_AREAS="丙南,丙北"))
    assert (out / "丙南.pdf").read_bytes() == b"mine"
    assert not (out / "丙北.pdf").exists()  # checked before any booklet is written
    res = processing.run("citycomponents:booklet", _params(path, out, SUPERVISOR_AREAS="丙南", OVERWRITE=True))
    assert res["FILES"] == 1
    assert (out / "丙南.pdf").read_bytes().startswith(b"%PDF")


def _crowded_components() -> list:
    """160 components in grid G5 (丙南), none in G6 (丙北 is empty), the rest as in the fixture."""
    rows = [r for n, r in enumerate(dfx.COMPONENTS) if dfx.EXPECTED_GRID.get(n) not in (dfx.G5, dfx.G6)]
    rng = np.random.default_rng(7)
    kinds = ["上水井盖", "路灯", "行道树", "果皮箱", "交通标志牌"]
    for n in range(160):
        kind = kinds[n % len(kinds)]
        code = {"上水井盖": "0101", "路灯": "0118", "行道树": "0401", "果皮箱": "0305", "交通标志牌": "0209"}[kind]
        x, y = rng.uniform(203, 297), rng.uniform(3, 97)
        rows.append((f"110101{code}{n:06d}", kind, float(x), float(y), dfx.G5))
    return rows


def test_crowded_grid_continues_and_empty_area_gets_a_cover(provider, tmp_path):
    import processing

    components = _crowded_components()
    path = dfx.write_district(tmp_path / "d.gpkg", components=components)
    res = processing.run("citycomponents:booklet", _params(path, tmp_path / "o", SUPERVISOR_AREAS="丙南；丙北"))
    assert res["FILES"] == 2
    crowded = tmp_path / "o" / "丙南.pdf"
    text = pdf_text(crowded)
    ids = [r[0] for r in components[-160:]]
    for ident in ids:
        assert text.count(ident) == 1, ident
    info = pdf_info(crowded)
    # cover, statistics, the grid's map, its four quarter maps, then its table over at least four pages
    assert info["pages"] >= 11
    flat = squeeze(text)
    assert "单元网格00101（续）" in flat
    for quarter in ("西北", "东北", "西南", "东南"):
        assert f"单元网格00101（{quarter}放大）" in flat
    for n in range(1, info["pages"] + 1):
        assert f"第{n}页/共{info['pages']}页" in flat
    assert "部件总数：160个" in flat

    empty = squeeze(pdf_text(tmp_path / "o" / "丙北.pdf"))
    assert "丙北" in empty and "部件总数：0个" in empty and "本网格无部件" in empty


def test_sample_area_booklet(sample_gpkg, tmp_path, qgis_app):
    """One real area of the sample district: every 标识码 once, the supervisor, the grids in order."""
    from citycomponents_plugin.core.booklet.booklet_export import booklet_file_names, export_booklets
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs
    from citycomponents_plugin.core.levels import Level

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{sample_gpkg}|layername={name}", name, "ogr")

    index = build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                       supervisors=layer("监督员责任区")))
    regions = index.regions(Level.SUPERVISOR)
    assert len(regions) == 92
    sizes = [len(index.region_members(Level.SUPERVISOR, r)) for r in regions]
    region = regions[int(np.argsort(sizes)[len(sizes) // 2])]  # a typical area
    files = export_booklets(index, [region.key], 0, str(tmp_path), False)
    assert [Path(f).name for f in files] == booklet_file_names([region.key])
    text = pdf_text(Path(files[0]))
    members = index.region_members(Level.SUPERVISOR, region)
    ids = index.comp_id[members].tolist()
    assert len(ids) > 50
    counts = {i: text.count(i) for i in set(ids)}
    expected = {i: ids.count(i) for i in set(ids)}
    assert counts == expected  # each component once (a duplicated 标识码 once per component)
    assert region.key in text
    if region.person:
        assert f"监督员：{region.person}" in text
    grids = [g.key for g in index.region_grids(Level.SUPERVISOR, region)]
    flat = squeeze(text)
    positions = [flat.find(f"单元网格{g}") for g in grids]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def _hand_index(path: Path):
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    layers = dfx.load_layers(path)
    return build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                      supervisors=layers["监督员责任区"]))


def test_cancel_between_areas_leaves_only_complete_files(qgis_app, tmp_path):
    from qgis.core import QgsFeedback

    from citycomponents_plugin.core.booklet.booklet_export import export_booklets

    class CancelAfterFirst(QgsFeedback):
        """Says "cancelled" from the second check on, i.e. once the first booklet is done."""

        checks = 0

        def isCanceled(self) -> bool:  # noqa: N802 - QGIS API name
            self.checks += 1
            return self.checks > 1

    index = _hand_index(dfx.write_district(tmp_path / "d.gpkg"))
    feedback = CancelAfterFirst()
    files = export_booklets(index, None, 0, str(tmp_path / "o"), False, feedback, workers=1)
    assert [Path(f).name for f in files] == ["丙北.pdf"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["丙北.pdf"]


def test_output_folder_that_is_a_file_is_an_error(qgis_app, tmp_path):
    from citycomponents_plugin.core.booklet.booklet_export import export_booklets
    from citycomponents_plugin.core.errors import CityComponentsError

    index = _hand_index(dfx.write_district(tmp_path / "d.gpkg"))
    (tmp_path / "f").write_text("x")
    with pytest.raises(CityComponentsError, match="existing file.*OUTPUT_FOLDER"):
        export_booklets(index, None, 0, str(tmp_path / "f"))


def test_area_names_keep_their_dunhao():
    from citycomponents_plugin.processing_provider.booklet_algorithm import parse_area_names

    assert parse_area_names("东四六条、东四七条, 丙北；丙南\n") == ["东四六条、东四七条", "丙北", "丙南"]
    assert parse_area_names("") == []


def test_file_names_stay_in_the_folder():
    from citycomponents_plugin.core.booklet.booklet_export import booklet_file_names

    names = booklet_file_names(["../x", "a/b", "C:\\y", "CON", "甲", "甲", "<>"])
    assert names == ["_x.pdf", "a_b.pdf", "C__y.pdf", "CON_.pdf", "甲.pdf", "甲_2.pdf", "__.pdf"]
    assert all("/" not in n and "\\" not in n for n in names)


def test_file_names_follow_the_one_safe_name_rule():
    """Booklets name their files with core/files/safe_names like the batch export and the dialog."""
    from citycomponents_plugin.core.booklet.booklet_export import booklet_file_names
    from citycomponents_plugin.core.files.safe_names import safe_file_base

    keys = ["NUL .txt", "COM0", "lpt³", "CONIN$", "clock$.x", "abc\u202etxt", "东四\x85北", "景山. ", "区" * 80]
    names = booklet_file_names(keys)
    assert names == [safe_file_base(k) + ".pdf" for k in keys]
    assert names[:6] == ["NUL_ .txt.pdf", "COM0_.pdf", "lpt³_.pdf", "CONIN$_.pdf", "clock$_.x.pdf", "abc_txt.pdf"]

