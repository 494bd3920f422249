"""The plugin in a real QGIS under Xvfb: the panel driven with real mouse events, and its screenshots.

Slow (starts QGIS three times): marked xvfb; run alone with `pytest -m xvfb`. Everything is checked from
inside QGIS by scripts/panel_in_qgis.py, which writes its status only if QGIS is still alive at the end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NEEDS_QGIS = pytest.mark.skipif(shutil.which("xvfb-run") is None or shutil.which("qgis") is None,
                                reason="needs xvfb and qgis")


def _run(*args: str) -> dict:
    proc = subprocess.run(["/usr/bin/python3", str(REPO / "scripts" / "panel_in_qgis.py"), *args, "--timeout", "400"],
                          capture_output=True, text=True, timeout=500)
    out = proc.stdout
    status = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert proc.returncode == 0 and "error" not in status, out + proc.stderr
    print(json.dumps(status, ensure_ascii=False), file=sys.stderr)
    return status


@pytest.mark.xvfb
@NEEDS_QGIS
@pytest.mark.parametrize("seed", [7, 20130701])
def test_pick_count_save_export_and_random_steps(tmp_path, qgis_app, sample_gpkg, seed):
    """A real click through the pick tool for each level, 统计, save, batch export; then 30 random steps."""
    sample = tmp_path / "sample.gpkg"
    shutil.copyfile(sample_gpkg, sample)  # the session's sample stays untouched by the other QGIS
    status = _run("drive", "--sample", str(sample), "--seed", str(seed), "--steps", "30",
                  "--output", str(tmp_path / "out"))
    assert status["toolbar_action"] is True and status["dock_area"] == 2  # Qt.RightDockWidgetArea
    assert {"citycomponents:regionstatistics", "citycomponents:batchexport"} <= set(status["algorithms"])
    index = _index(sample)
    from citycomponents_plugin.core.levels import Level

    assert list(status["picked"]) == ["STREET", "SUPERVISOR", "COMMITTEE", "GRID"]
    for name, picked in status["picked"].items():  # each click counted as the engine counts
        level = Level[name]
        region = index.find_region(level, picked["region"])
        assert picked["total"] == len(index.region_members(level, region))
        for upper, key in picked["levels_above"].items():  # the levels above were filled in
            table = index.grid_region(Level[upper])[index.grid_region(level) == region.index]
            if len(set(table.tolist())) == 1:
                assert key == index.regions(Level[upper])[int(table[0])].key
    assert status["saved"] == ["result.xlsx", "result.txt", "result统计结果.txt"]
    assert (tmp_path / "out" / "result.xlsx").stat().st_size > 0
    assert status["batch_started"] is True
    assert len(status["random"]["steps"]) == 30 and status["random"]["seed"] == seed
    street = index.regions(Level.STREET)[0]
    assert status["final"] == {"street": street.key, "total": len(index.region_members(Level.STREET, street)),
                               "qgis_alive": True}


@pytest.mark.xvfb
@NEEDS_QGIS
def test_panel_screenshot_with_an_error_showing(tmp_path, qgis_app, sample_gpkg):
    from qgis.PyQt.QtGui import QImage

    sample = tmp_path / "sample.gpkg"
    shutil.copyfile(sample_gpkg, sample)
    png, panel_png = tmp_path / "screen.png", tmp_path / "panel.png"
    status = _run("shot", "--sample", str(sample), "--locale", "zh-Hans", "--screen", "1366x768", "--error",
                  "--png", str(png), "--panel-png", str(panel_png))
    assert status["summary"].startswith(f"社区居委会 {status['committee']}：")
    assert "保存结果" in status["message"] and "OUTPUT_FOLDER" not in status["message"]
    x, y, width, height = status["panel_rect"]
    assert x + width <= 1366 and y + height <= 768  # the whole panel on the screen
    for path in (png, panel_png):
        image = QImage(str(path))
        assert image.width() >= 300 and image.height() >= 400
        colours = {image.pixel(i, j) for i in range(0, image.width(), 7) for j in range(0, image.height(), 7)}
        assert len(colours) > 20, f"{path.name} looks blank"


def _index(sample: Path):
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{sample}|layername={name}", name, "ogr")

    return build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                      committees=layer("社区居委会"), streets=layer("街道办事处"),
                                      supervisors=layer("监督员责任区")))
