"""Supervisor booklets for every supervisor area, against a plain QGIS atlas export of the same grids.

The booklets are written as a user gets them (`export_booklets`, worker processes one per core).
The peer is what QGIS gives without this plugin: a print layout with one map item, an atlas over the
area's grids (one page per grid, the map following the atlas feature), the same two map layers the
booklet's maps draw (the area's grids with their neighbours, and the components), exported with
QgsLayoutExporter to one PDF per area, in one process as QGIS's atlas export runs. Both in the same
run; wall-clock seconds for all areas, per-area seconds, pages per second and PDF sizes, and the CPU
seconds of each (the booklet workers' included) with the load average before, between and after.

With `areas` (`make bench BOOKLET_AREAS=12`, or `run_bench.py --booklet-areas 12`) only that many
areas are written, chosen evenly over the range of area sizes, for a quicker run on a busy machine.

python bench/booklet_bench.py SAMPLE.gpkg WORK_DIR [AREAS]   (prints JSON)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _pages(pdf: str) -> int:
    out = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(next(line.split(":", 1)[1] for line in out.splitlines() if line.startswith("Pages:")))


def _summary(seconds: list, files: list, wall: float) -> dict:
    import numpy as np

    sizes = np.array([os.path.getsize(f) for f in files], dtype=float) / 1024
    pages = sum(_pages(f) for f in files)
    return {"areas": len(files), "all_areas_s": round(wall, 1),
            "per_area_median_s": round(float(np.median(seconds)), 2), "per_area_worst_s": round(float(max(seconds)), 2),
            "pages": pages, "pages_per_s": round(pages / wall, 2),
            "pdf_kb_median": round(float(np.median(sizes))), "pdf_kb_max": round(float(sizes.max())),
            "pdf_mb_total": round(float(sizes.sum()) / 1024, 1)}


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the booklet workers): on a shared
    machine wall seconds also measure the other users, CPU seconds only this run."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _follow_atlas(layer) -> None:
    """The booklet's styles pick the page's grid with @map_id; in an atlas that is the atlas feature."""
    here = "attribute(@atlas_feature, 'code')"
    rules = layer.renderer().rootRule().descendants()
    labeling = layer.labeling()
    if labeling is not None and hasattr(labeling, "rootRule"):
        rules = rules + labeling.rootRule().descendants()
    for rule in rules:
        if rule.filterExpression():
            rule.setFilterExpression(rule.filterExpression().replace("@map_id", here))


def atlas_export(index, regions: list, folder: Path) -> tuple:
    """The peer: one QGIS atlas PDF per area, a page per grid; returns (seconds per area, files)."""
    import numpy as np
    from qgis.core import (
        QgsLayoutExporter,
        QgsLayoutItemMap,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsUnitTypes,
    )

    from citycomponents_plugin.core.booklet import booklet_layers as bl
    from citycomponents_plugin.core.booklet.booklet_content import area_content
    from citycomponents_plugin.core.booklet.booklet_export import choose_font_family
    from citycomponents_plugin.core.booklet.booklet_layout import PAGE_SIZES
    from citycomponents_plugin.core.codes import load_classification
    from citycomponents_plugin.core.levels import Level

    spec = PAGE_SIZES[0]
    family, _warning = choose_font_family()
    boxes = bl.GridBoxes.of(index.grid_geometries)
    members = index.members_by_region(Level.SUPERVISOR)
    table = load_classification()
    seconds, files = [], []
    for region in regions:
        start = time.perf_counter()
        grids = index.region_grids(Level.SUPERVISOR, region)
        area_idx = np.array([g.index for g in grids], dtype=np.int64)
        near = boxes.touching(area_idx) if len(area_idx) else np.zeros(0, dtype=np.int64)
        neighbours = [index.grids[i] for i in near.tolist() if i not in set(area_idx.tolist())]
        grid_layer = bl.grid_layer(index, grids, neighbours, family, spec.scale)
        # The booklet's own drawing: the area's components numbered and classed, neighbours' faded.
        content = area_content(index, region, table, members[region.index])
        extra = np.nonzero(np.isin(index.comp_grid, [g.index for g in neighbours]))[0]
        comp_layer = bl.component_layer(index, np.concatenate([content.members, extra]),
                                        np.concatenate([content.serials, np.zeros(len(extra), dtype=np.int64)]),
                                        np.concatenate([content.classes, np.full(len(extra), "", dtype="<U2")]),
                                        family, spec.scale)
        for lyr in (grid_layer, comp_layer):
            _follow_atlas(lyr)
        project = QgsProject()
        project.addMapLayers([grid_layer, comp_layer], False)
        layout = QgsPrintLayout(project)
        layout.initializeDefaults()
        layout.pageCollection().page(0).setPageSize(QgsLayoutSize(spec.width, spec.height,
                                                                  QgsUnitTypes.LayoutMillimeters))
        item = QgsLayoutItemMap(layout)
        item.attemptMove(QgsLayoutPoint(spec.margin, spec.margin, QgsUnitTypes.LayoutMillimeters))
        item.attemptResize(QgsLayoutSize(spec.width - 2 * spec.margin, spec.height - 2 * spec.margin,
                                         QgsUnitTypes.LayoutMillimeters))
        item.setLayers([comp_layer, grid_layer])
        item.setKeepLayerSet(True)
        item.setAtlasDriven(True)
        item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
        layout.addLayoutItem(item)
        atlas = layout.atlas()
        atlas.setCoverageLayer(grid_layer)
        atlas.setFilterFeatures(True)
        atlas.setFilterExpression('"role" = 1')
        atlas.setSortFeatures(True)
        atlas.setSortExpression('"code"')
        atlas.setEnabled(True)
        target = str(folder / f"{region.index:03d}.pdf")
        result, error = QgsLayoutExporter.exportToPdf(atlas, target, QgsLayoutExporter.PdfExportSettings())
        if result != QgsLayoutExporter.Success:
            raise RuntimeError(f"atlas export of {region.key} failed: {error}")
        seconds.append(time.perf_counter() - start)
        files.append(target)
    return seconds, files


def spread(sizes: list, count: int) -> list:
    """`count` indices chosen evenly over the sorted sizes (smallest and largest included), in index order."""
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    if count <= 0 or count >= len(order):
        return sorted(order)
    return sorted({order[round(k * (len(order) - 1) / (count - 1))] for k in range(count)} if count > 1
                  else {order[-1]})


def run_booklet_bench(sample_gpkg: str, work_dir: str, areas: str = "0") -> dict:
    """Booklets for every area (or `areas` of them), in workers, then the plain atlas of the same grids."""
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.booklet import parallel, pdf_compact
    from citycomponents_plugin.core.booklet.booklet_export import export_booklets
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs
    from citycomponents_plugin.core.levels import Level

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{sample_gpkg}|layername={name}", name, "ogr")

    out = Path(work_dir)
    shutil.rmtree(out, ignore_errors=True)
    (out / "atlas").mkdir(parents=True)
    index = build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                       committees=layer("社区居委会"), streets=layer("街道办事处"),
                                       supervisors=layer("监督员责任区")))
    every = index.regions(Level.SUPERVISOR)
    sizes = [len(m) for m in index.members_by_region(Level.SUPERVISOR)]
    regions = [every[i] for i in spread(sizes, int(areas))]
    load = os.getloadavg()[0]
    timings: list = []
    t = time.perf_counter()
    cpu = _cpu_seconds()
    files = export_booklets(index, regions, 0, str(out / "booklets"), True, timings=timings)
    booklets = _summary([s for _n, s in timings], files, time.perf_counter() - t)
    booklets["cpu_s"] = round(_cpu_seconds() - cpu, 1)
    booklets["workers"] = parallel.worker_count(0, len(regions))
    booklets["lean_pdf_pass"] = pdf_compact.available()
    load_between = os.getloadavg()[0]
    t = time.perf_counter()
    cpu = _cpu_seconds()
    secs, atlas_files = atlas_export(index, regions, out / "atlas")
    atlas = _summary(secs, atlas_files, time.perf_counter() - t)
    atlas["cpu_s"] = round(_cpu_seconds() - cpu, 1)
    return {"load_average_at_start": round(load, 2), "load_average_after_booklets": round(load_between, 2),
            "load_average_at_end": round(os.getloadavg()[0], 2), "areas_in_sample": len(every), "booklets": booklets,
            "plain_qgis_atlas": atlas,
            "booklets_s_vs_atlas_s": round(booklets["all_areas_s"] / atlas["all_areas_s"], 2),
            "booklet_pages_per_s_vs_atlas": round(booklets["pages_per_s"] / atlas["pages_per_s"], 2)}


if __name__ == "__main__":
    from qgis.core import QgsApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    print(json.dumps(run_booklet_bench(*sys.argv[1:4]), ensure_ascii=False))
