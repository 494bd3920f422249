"""Engine timings on one sample, printed as JSON (run in its own process so peak memory is its own).

python bench/engine_bench.py SAMPLE.gpkg [--native]
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from qgis_headless import start_qgis  # noqa: E402


def layers(sample: str) -> dict:
    from qgis.core import QgsVectorLayer

    names = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")
    return {n: QgsVectorLayer(f"{sample}|layername={n}", n, "ogr") for n in names}


def engine(sample: str) -> dict:
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    lyr = layers(sample)
    inputs = DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]], committees=lyr["社区居委会"],
                            streets=lyr["街道办事处"], supervisors=lyr["监督员责任区"])
    runs = []
    index = None
    for _ in range(3):
        index = None  # one index alive at a time: the peak memory is one build's
        t = time.perf_counter()
        index = build_index(inputs)
        tables = {lvl: index.crosstab(lvl) for lvl in index.levels_present()}  # all-level per-type counts
        runs.append(time.perf_counter() - t)
    grid_only = DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]])
    grid_runs = []
    for _ in range(3):
        t = time.perf_counter()
        gi = build_index(grid_only)
        gi.crosstab(gi.levels_present()[-1])
        grid_runs.append(time.perf_counter() - t)
        gi = None
    streets = index.regions(index.levels_present()[0])
    qt = []
    for r in streets * 5:
        t = time.perf_counter()
        members = index.region_members(index.levels_present()[0], r)
        index.statistics(members)
        index.detail_rows(members)
        qt.append(time.perf_counter() - t)
    return {"engine_s": min(runs), "engine_runs": runs, "engine_grid_only_s": min(grid_runs),
            "street_query_ms": statistics.median(qt) * 1000,
            "street_query_max_ms": max(qt) * 1000, "components": index.components_read, "grids": len(index.grids),
            "total_check": int(sum(int(t.sum()) for t in tables.values()))}


def native(sample: str) -> dict:
    import processing

    lyr = layers(sample)
    runs = []
    for _ in range(2):
        t = time.perf_counter()
        processing.run("native:countpointsinpolygon", {"POLYGONS": lyr["单元网格"], "POINTS": lyr["城市部件"],
                                                        "FIELD": "NUMPOINTS", "OUTPUT": "TEMPORARY_OUTPUT"})
        runs.append(time.perf_counter() - t)
    return {"native_count_s": min(runs)}


def main() -> None:
    app = start_qgis()  # noqa: F841
    sample = sys.argv[1]
    result = native(sample) if "--native" in sys.argv else engine(sample)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
