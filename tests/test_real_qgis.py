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
def test_plugin_in_a_real_qgis(tmp_path, qgis_app):
    from qgis.PyQt.QtGui import QImage

    dialog_png, window_png = tmp_path / "dialog.png", tmp_path / "window.png"
    proc = subprocess.run(["/usr/bin/python3", str(REPO / "scripts" / "screenshot_dialog.py"), "--scale", "0.1",
                           "--dialog-png", str(dialog_png), "--window-png", str(window_png), "--timeout", "300"],
                          capture_output=True, text=True, timeout=400)
    out = proc.stdout
    status = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert proc.returncode == 0 and "error" not in status, out + proc.stderr
    assert status["steps"] == ["layers loaded", "dialog open", "counted", "shot"]
    assert status["toolbar_action"] is True
    assert {"citycomponents:regionstatistics", "citycomponents:batchexport", "citycomponents:booklet",
            "citycomponents:generatesample"} <= set(status["algorithms"])
    assert status["committee"] and "1" in status["summary"]
    for png in (dialog_png, window_png):
        image = QImage(str(png))
        assert image.width() > 600 and image.height() > 400
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, f"{png.name} looks blank"
    print(json.dumps(status, ensure_ascii=False), file=sys.stderr)
