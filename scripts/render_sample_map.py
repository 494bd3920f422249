"""Render pictures of the sample district with QGIS (for the README): the overview and a close-up.

python scripts/render_sample_map.py SAMPLE.gpkg OUTPUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis_headless import start_qgis


def main(sample: str, out_dir: str) -> None:
    app = start_qgis()  # noqa: F841
    from qgis.core import (
        QgsCategorizedSymbolRenderer,
        QgsFillSymbol,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsMarkerSymbol,
        QgsPalLayerSettings,
        QgsProject,
        QgsRendererCategory,
        QgsTextFormat,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor, QFont

    from citycomponents_plugin.core.codes import MAJOR_CLASSES

    def load(name: str) -> QgsVectorLayer:
        layer = QgsVectorLayer(f"{sample}|layername={name}", name, "ogr")
        QgsProject.instance().addMapLayer(layer, False)
        return layer

    grids, committees, streets, supervisors, comps = (load(n) for n in ("单元网格", "社区居委会", "街道办事处",
                                                                        "监督员责任区", "城市部件"))
    grids.setRenderer(grids.renderer().__class__(QgsFillSymbol.createSimple(
        {"color": "255,255,255,0", "outline_color": "150,150,150", "outline_width": "0.1"})))
    palette = ["#fde2e4", "#e2ece9", "#dfe7fd", "#fff1e6", "#f0efeb", "#e9edc9", "#cddafd", "#fad2e1",
               "#bee1e6", "#eae4e9", "#d8e2dc", "#ffe5d9"]
    cats = []
    for i, feat in enumerate(sorted(supervisors.getFeatures(), key=lambda f: f["责任区名称"])):
        sym = QgsFillSymbol.createSimple({"color": palette[i % len(palette)], "outline_style": "no"})
        cats.append(QgsRendererCategory(feat["责任区名称"], sym, feat["责任区名称"]))
    supervisors.setRenderer(QgsCategorizedSymbolRenderer("责任区名称", cats))
    committees.setRenderer(committees.renderer().__class__(QgsFillSymbol.createSimple(
        {"color": "255,255,255,0", "outline_color": "90,90,90", "outline_width": "0.25"})))
    streets.setRenderer(streets.renderer().__class__(QgsFillSymbol.createSimple(
        {"color": "255,255,255,0", "outline_color": "30,30,60", "outline_width": "0.8"})))
    comp_cats = []
    for major in MAJOR_CLASSES:
        sym = QgsMarkerSymbol.createSimple({"name": major.shape, "color": major.color, "size": "0.9",
                                            "outline_style": "no"})
        comp_cats.append(QgsRendererCategory(major.code, sym, major.name))
    comps.setRenderer(QgsCategorizedSymbolRenderer("substr(\"标识码\", 7, 2)", comp_cats))

    def label(layer: QgsVectorLayer, field: str, size: float, bold: bool) -> None:
        settings = QgsPalLayerSettings()
        settings.fieldName = field
        fmt = QgsTextFormat()
        font = QFont("Noto Sans CJK SC")
        font.setBold(bold)
        fmt.setFont(font)
        fmt.setSize(size)
        fmt.setColor(QColor("#1b1b3a"))
        buffer = fmt.buffer()
        buffer.setEnabled(True)
        buffer.setSize(0.8)
        fmt.setBuffer(buffer)
        settings.setFormat(fmt)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def render(layers: list, extent, path: Path, size: QSize) -> None:
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(grids.crs())
        settings.setExtent(extent)
        settings.setOutputSize(size)
        settings.setBackgroundColor(QColor("white"))
        settings.setOutputDpi(110)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(str(path))
        print(path)

    label(streets, "街道名称", 11, True)
    extent = streets.extent()
    extent.scale(1.04)
    render([streets, committees, grids, supervisors], extent, out / "sample_district.png", QSize(1100, 900))

    streets.setLabelsEnabled(False)
    label(grids, "right(\"网格编码\", 5)", 6.5, False)
    settings = grids.labeling().settings()
    settings.isExpression = True
    grids.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    target = next(committees.getFeatures("\"社区名称\" = '王府井'"), None) or next(committees.getFeatures())
    close = target.geometry().boundingBox()
    close.scale(1.15)
    render([comps, grids, committees, streets, supervisors], close, out / "sample_closeup.png", QSize(1000, 800))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
