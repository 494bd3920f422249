"""The panel's index build in its QgsTask: how long, how responsive QGIS stays meanwhile, how fast Cancel is.

Run in a QGIS process by run_bench.py (`call("panel_bench", "run_panel_bench", sample)`): the real panel on
a real canvas, main window and message bar, the sample's layers in the project. While the task builds, a
10 ms timer on the main thread counts its ticks: the longest gap between two ticks is how long the event
loop (so QGIS's map, menus and the panel) was held at worst. Cancel is clicked once the task is a third of
the way through; the time until the task has ended is how long Cancel takes.
"""

from __future__ import annotations

import time

SAMPLE_LAYERS = ["单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件"]


class _Iface:
    """What the panel uses of QGIS's interface, made of the real widgets."""

    def __init__(self) -> None:
        from qgis.gui import QgsMapCanvas, QgsMessageBar
        from qgis.PyQt.QtWidgets import QMainWindow

        self.main = QMainWindow()
        self.canvas = QgsMapCanvas(self.main)
        self.main.setCentralWidget(self.canvas)
        self.bar = QgsMessageBar(self.main)

    def mapCanvas(self):  # noqa: N802 - QGIS API name
        return self.canvas

    def mainWindow(self):  # noqa: N802 - QGIS API name
        return self.main

    def messageBar(self):  # noqa: N802 - QGIS API name
        return self.bar


def _measure(panel, cancel_at: float = 0.0) -> dict:
    """One build: seconds to ready (or to the end after Cancel), ticks and the longest gap between them."""
    from qgis.PyQt.QtCore import QCoreApplication, QTimer

    ticks: list = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    panel.cache.clear()
    start = time.perf_counter()
    timer.start()
    panel.request_index(report=False)
    task = panel.cache.task
    cancelled_at = None
    while not task.ended:
        QCoreApplication.processEvents()
        if cancel_at and cancelled_at is None and time.perf_counter() - start >= cancel_at:
            cancelled_at = time.perf_counter()
            panel.cancelButton.click()
        time.sleep(0.002)
    end = time.perf_counter()
    timer.stop()
    QCoreApplication.processEvents()
    gaps = [b - a for a, b in zip([start] + ticks, ticks + [end])]
    result = {"seconds": round(end - start, 3), "ticks": len(ticks), "max_gap_ms": round(max(gaps) * 1000, 1),
              "ready": panel.cache.index is not None}
    if panel.cache.index is not None:
        result["components"] = panel.cache.index.components_read
    if cancelled_at is not None:
        result["cancel_to_end_s"] = round(end - cancelled_at, 3)
        result["cancelled_after_s"] = round(cancelled_at - start, 3)
    return result


def run_panel_bench(sample: str) -> dict:
    from qgis.core import QgsProject, QgsVectorLayer

    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    project = QgsProject.instance()
    project.clear()
    for name in SAMPLE_LAYERS:
        project.addMapLayer(QgsVectorLayer(f"{sample}|layername={name}", name, "ogr"))
    iface = _Iface()
    panel = StatisticsPanel(iface, iface.main)
    panel.show()
    try:
        full = min((_measure(panel) for _ in range(2)), key=lambda r: r["seconds"])
        cancelled = _measure(panel, cancel_at=full["seconds"] / 3)
    finally:
        panel.close_and_cleanup()
        project.clear()
    return {"build": full, "cancel": cancelled}
