"""Supervisor booklets: seconds per A6 booklet, and for every supervisor area of the sample.

Booklets are written one by one (each a QGIS layout rendered to PDF), so the time per booklet is what
a user waits for per supervisor. If writing every area is projected to take more than BUDGET_S, a
subset chosen evenly across area sizes is timed and the total is extrapolated with a linear fit of
seconds against components per area; the result says which ("measured" or "projected").

python bench/booklet_bench.py SAMPLE.gpkg WORK_DIR   (prints JSON)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET_S = 180.0  # above this for all areas, time a subset and extrapolate
SUBSET = 10


def _pages(pdf: str) -> int:
    with open(pdf, "rb") as fh:
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", fh.read()))


def run_booklet_bench(sample_gpkg: str, work_dir: str) -> dict:
    """Time booklets on the sample; returns seconds per booklet and for all areas (measured or projected)."""
    import numpy as np
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.booklet.booklet_export import export_booklets
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs
    from citycomponents_plugin.core.levels import Level

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{sample_gpkg}|layername={name}", name, "ogr")

    out = Path(work_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t = time.perf_counter()
    index = build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                       committees=layer("社区居委会"), streets=layer("街道办事处"),
                                       supervisors=layer("监督员责任区")))
    index_s = time.perf_counter() - t
    regions = index.regions(Level.SUPERVISOR)
    sizes = np.array([len(m) for m in index.members_by_region(Level.SUPERVISOR)])
    grids = np.bincount(index.grid_region(Level.SUPERVISOR)[index.grid_region(Level.SUPERVISOR) >= 0],
                        minlength=len(regions))

    def timed(chosen: list, folder: Path) -> tuple:
        timings: list = []
        files = export_booklets(index, [regions[i] for i in chosen], 0, str(folder), True, timings=timings)
        return [s for _n, s in timings], [_pages(f) for f in files]

    # Warm-up (fonts, symbol caches) on the smallest area, not counted.
    timed([int(np.argmin(sizes))], out / "warmup")
    order = np.argsort(sizes, kind="stable")
    pick = sorted({int(order[round(q * (len(order) - 1))]) for q in np.linspace(0, 1, min(SUBSET, len(order)))})
    secs, pages = timed(pick, out / "subset")
    slope, intercept = np.polyfit(sizes[pick], secs, 1) if len(pick) > 1 else (0.0, secs[0])
    projected = float(np.sum(intercept + slope * sizes))
    result = {
        "areas": len(regions),
        "components": int(sizes.sum()),
        "components_per_area_mean": round(float(sizes.mean()), 1),
        "grids_per_area_mean": round(float(grids.mean()), 1),
        "index_s": round(index_s, 2),
        "subset_areas": len(pick),
        "subset_components_min_max": [int(sizes[pick].min()), int(sizes[pick].max())],
        "seconds_per_booklet_mean": round(float(np.mean(secs)), 2),
        "seconds_per_booklet_max": round(float(np.max(secs)), 2),
        "pages_per_booklet_mean": round(float(np.mean(pages)), 1),
        "seconds_per_page_mean": round(float(np.sum(secs) / max(np.sum(pages), 1)), 3),
        "fit_seconds": f"{intercept:.2f} + {slope * 1000:.2f} per 1000 components",
        "all_areas_projected_s": round(projected, 1),
    }
    if projected <= BUDGET_S:
        t = time.perf_counter()
        all_secs, all_pages = timed(list(range(len(regions))), out / "all")
        result.update({"all_areas_s": round(time.perf_counter() - t, 1), "all_areas": "measured",
                       "seconds_per_booklet_mean_all": round(float(np.mean(all_secs)), 2),
                       "pages_total": int(np.sum(all_pages))})
    else:
        result["all_areas"] = (f"projected from {len(pick)} areas spread over the size range (writing all "
                               f"{len(regions)} would take more than {BUDGET_S:.0f} s)")
    shutil.rmtree(out / "warmup", ignore_errors=True)
    return result


if __name__ == "__main__":
    from qgis.core import QgsApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    print(json.dumps(run_booklet_bench(sys.argv[1], sys.argv[2]), ensure_ascii=False))
