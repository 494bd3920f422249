"""The plugin in a real QGIS under Xvfb: enabled in a fresh profile, toolbar and provider there, dialog shown.

Slow (starts QGIS): marked xvfb; run alone with `pytest -m xvfb`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.xvfb
@pytest.mark.skipif(shutil.which("xvfb-run") is None or shutil.which("qgis") is None, reason="needs xvfb and qgis")
def test_plugin_in_a_real_qgis(tmp_path, qgis_app, sample_gpkg):
    from qgis.PyQt.QtGui import QImage

    sample = tmp_path / "sample.gpkg"
    shutil.copyfile(sample_gpkg, sample)  # the session's sample stays untouched by the other QGIS
    dialog_png, window_png = tmp_path / "dialog.png", tmp_path / "window.png"
    proc = subprocess.run(["/usr/bin/python3", str(REPO / "scripts" / "screenshot_dialog.py"), "--sample", str(sample),
                           "--dialog-png", str(dialog_png), "--window-png", str(window_png), "--timeout", "300"],
                          capture_output=True, text=True, timeout=400)
    out = proc.stdout
    status = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert proc.returncode == 0 and "error" not in status, out + proc.stderr
    assert status["steps"] == ["layers loaded", "dialog open", "counted", "shot"]
    assert status["toolbar_action"] is True
    assert {"citycomponents:regionstatistics", "citycomponents:batchexport", "citycomponents:booklet",
            "citycomponents:generatesample"} <= set(status["algorithms"])
    # The first committee of the first street, counted as the engine counts it.
    street, committee, total, types = _first_committee(sample)
    assert (status["street"], status["committee"]) == (street, committee)
    assert status["summary"] == f"Community committee {committee}: {total} components of {types} types."
    for png in (dialog_png, window_png):
        image = QImage(str(png))
        assert image.width() > 600 and image.height() > 400
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, f"{png.name} looks blank"
    print(json.dumps(status, ensure_ascii=False), file=sys.stderr)


def _first_committee(sample: Path) -> tuple:
    """(street, committee, components, types) the dialog should show for the script's default pick."""
    import numpy as np
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs
    from citycomponents_plugin.core.levels import Level

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{sample}|layername={name}", name, "ogr")

    index = build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                       committees=layer("社区居委会"), streets=layer("街道办事处"),
                                       supervisors=layer("监督员责任区")))
    street = index.regions(Level.STREET)[0]
    in_street = index.grid_region(Level.STREET) == street.index
    committees = index.regions(Level.COMMITTEE)
    keys = sorted(committees[c].key for c in np.unique(index.grid_region(Level.COMMITTEE)[in_street]) if c >= 0)
    region = index.find_region(Level.COMMITTEE, keys[0])
    stats = index.statistics(index.region_members(Level.COMMITTEE, region))
    return street.key, region.key, sum(n for _t, n in stats), len(stats)
