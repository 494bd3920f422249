"""PostGIS (SPEC 11) side by side: pushdown, the local engine on the same PostGIS layers, the local engine
on the GeoPackage; and one street as the panel asks for it, counted in the database.

python bench/postgis_bench.py SAMPLE.gpkg [SAMPLE_10x.gpkg ...]     prints one JSON line
(each job runs in its own process, so its peak memory is its own; the server is started here on
loopback, as the tests do, and stopped at the end)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(BENCH)]

NAMES = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")


def _layers(job: str, source: str, port: str) -> dict:
    from qgis.core import QgsVectorLayer

    if job == "gpkg":
        return {n: QgsVectorLayer(f"{source}|layername={n}", n, "ogr") for n in NAMES}
    import postgis_server as ps

    server = ps.Server(Path("."), Path("."), int(port), False)
    return {n: ps.postgres_layer(server, n, n, schema=source) for n in NAMES}


def job(kind: str, source: str, port: str) -> dict:
    """One engine build (read + assign + place + per-type counts at all levels), best of 2 (1 at 10x)."""
    from qgis_headless import start_qgis

    app = start_qgis()  # noqa: F841 - QGIS lives as long as the job
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    if kind == "local-pg":
        os.environ["CITYCOMPONENTS_ENGINE"] = "local"
    lyr = _layers(kind, source, port)
    inputs = DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]], committees=lyr["社区居委会"],
                            streets=lyr["街道办事处"], supervisors=lyr["监督员责任区"])
    runs = []
    index = None
    for _ in range(1 if lyr["城市部件"].featureCount() > 1_000_000 else 2):
        index = None
        t = time.perf_counter()
        index = build_index(inputs)
        for level in index.levels_present():
            index.crosstab(level)
        runs.append(time.perf_counter() - t)
    return {"seconds": min(runs), "runs": runs, "engine": index.engine, "components": index.components_read,
            "grids": len(index.grids), "assigned": index.assigned,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def street_job(sample: str, schema: str, port: str) -> dict:
    """Streets (up to about 12) counted in the database on the region index (statistics + detail rows),
    as the panel counts them before the components are read; the region index is built first."""
    from qgis_headless import start_qgis

    app = start_qgis()  # noqa: F841
    from citycomponents_plugin.core.database.region_index import RegionCounter, build_region_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs
    from citycomponents_plugin.core.levels import Level

    lyr = _layers("pg", schema, port)
    inputs = DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]], committees=lyr["社区居委会"],
                            streets=lyr["街道办事处"], supervisors=lyr["监督员责任区"])
    t = time.perf_counter()
    index = build_region_index(inputs)
    index_s = time.perf_counter() - t
    regions = index.regions(Level.STREET)
    regions = regions[::max(1, len(regions) // 12)]  # at most about a dozen, spread over the district
    counter = RegionCounter(index, inputs)
    times, sizes = [], []
    try:
        for region in regions:
            t = time.perf_counter()
            res = counter.count(Level.STREET, region)
            times.append((time.perf_counter() - t) * 1000)
            sizes.append(res.total)
    finally:
        counter.close()
    return {"streets": len(regions), "median_ms": statistics.median(times), "max_ms": max(times),
            "min_ms": min(times), "median_rows": statistics.median(sizes), "region_index_s": index_s,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def statistics_job(kind: str, source: str, port: str) -> dict:
    """citycomponents:regionstatistics for one street (outputs in memory): on PostGIS the database answers
    and no component is read; on the GeoPackage the whole index is built. Best of 2 (1 at 10x)."""
    from qgis_headless import start_qgis

    app = start_qgis(processing=False)  # noqa: F841
    from qgis.core import QgsProcessingFeedback
    from run_algorithm import run_ours

    lyr = _layers("pg" if kind == "pg" else "gpkg", source, port)
    streets = sorted({str(f["街道名称"]).strip() for f in lyr["街道办事处"].getFeatures()})
    params = {"GRIDS": lyr["单元网格"], "COMPONENTS": [lyr["城市部件"]], "COMMITTEES": lyr["社区居委会"],
              "STREETS": lyr["街道办事处"], "SUPERVISORS": lyr["监督员责任区"], "LEVEL": 0,
              "REGION": streets[len(streets) // 2], "STATISTICS": "TEMPORARY_OUTPUT", "DETAILS": "TEMPORARY_OUTPUT"}
    runs, res = [], {}
    for _ in range(1 if lyr["城市部件"].featureCount() > 1_000_000 else 2):
        t = time.perf_counter()
        res = run_ours("citycomponents:regionstatistics", params, QgsProcessingFeedback())
        runs.append(time.perf_counter() - t)
    return {"seconds": min(runs), "runs": runs, "street": params["REGION"], "total": res["TOTAL"],
            "components_read": res["COMPONENTS_READ"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def panel_job(schema: str, port: str) -> dict:
    """The real panel on the PostGIS layers: the region index, then streets counted by clicking 统计.

    The streets are counted while the panel reads the whole index behind the region index (as an operator
    meets it after opening a project), then once more with that read cancelled (the database alone).
    Each time runs from the click to the filled tables (statistics, detail rows, map selection).
    """
    from qgis_headless import start_qgis

    app = start_qgis()  # noqa: F841
    from panel_bench import _Iface
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    lyr = _layers("pg", schema, port)
    project = QgsProject.instance()
    project.addMapLayers(list(lyr.values()))
    iface = _Iface()
    panel = StatisticsPanel(iface, iface.main)
    panel.show()
    t = time.perf_counter()
    panel.request_index(report=False)
    while panel.cache.index is None:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    regions_s = time.perf_counter() - t
    index = panel.cache.index
    if not index.components_in_database:
        raise RuntimeError("the panel did not build the region index")
    streets = sorted(r.key for r in index.regions(Level.STREET))
    streets = streets[::max(1, len(streets) // 12)]

    def count_streets() -> list:
        times = []
        for name in streets:
            panel.picker.select(Level.STREET, name)
            t = time.perf_counter()
            panel.countButton.click()
            result = panel.wait_for_count()
            times.append((time.perf_counter() - t) * 1000)
            if result is None or not result.in_database or result.region.key != name:
                raise RuntimeError(f"no database count for {name}")
        return times

    count_streets()  # the connection opened and the server's caches warm, as after the first click
    busy = count_streets()
    reading = panel.cache.building()
    panel.cancel_run()
    QCoreApplication.processEvents()
    quiet = count_streets()
    panel.close_and_cleanup()
    # The panel and its window go before QGIS does: destroyed at the interpreter's exit, after the
    # application, their combo boxes' timers were started without an event loop (Qt's QBasicTimer warnings).
    iface.main.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    project.clear()
    return {"streets": len(streets), "regions_s": regions_s, "whole_read_meanwhile": reading,
            "median_ms_reading": statistics.median(busy), "max_ms_reading": max(busy),
            "median_ms": statistics.median(quiet), "max_ms": max(quiet),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(*args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("CITYCOMPONENTS_ENGINE", None)
    proc = subprocess.run([sys.executable, __file__, "--job", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(samples: list) -> dict:
    import postgis_server as ps

    server = ps.start_server()
    out: dict = {"server": str(server.bindir), "scales": []}
    try:
        for n, sample in enumerate(samples):
            schema = f"bench{n}"
            t = time.perf_counter()
            server.load(Path(sample), schema=schema, layers=NAMES)
            load_s = time.perf_counter() - t
            row = {"sample": Path(sample).name, "load_s": load_s}
            for kind, source in (("pushdown", schema), ("local-pg", schema), ("gpkg", sample)):
                print(f"{Path(sample).name}: {kind} ...", file=sys.stderr, flush=True)
                row[kind] = _child(kind, source, str(server.port))
            print(f"{Path(sample).name}: regionstatistics for one street ...", file=sys.stderr, flush=True)
            row["statistics"] = {kind: _child("statistics", kind, source, str(server.port))
                                 for kind, source in (("pg", schema), ("gpkg", sample))}
            print(f"{Path(sample).name}: street queries ...", file=sys.stderr, flush=True)
            row["street"] = _child("street", sample, schema, str(server.port))
            print(f"{Path(sample).name}: streets from the panel ...", file=sys.stderr, flush=True)
            row["panel"] = _child("panel", schema, str(server.port))
            out["scales"].append(row)
    finally:
        ps.stop_server(server)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--job":
        if sys.argv[2] == "street":
            result = street_job(*sys.argv[3:6])
        elif sys.argv[2] == "statistics":
            result = statistics_job(*sys.argv[3:6])
        elif sys.argv[2] == "panel":
            result = panel_job(*sys.argv[3:5])
        else:
            result = job(*sys.argv[2:5])
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
