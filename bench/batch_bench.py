"""Batch export against its floor, measured in the same run on the same index.

The floor is a bare openpyxl write-only loop: the same workbooks (one per non-empty region plus
汇总.xlsx), the same sheets and rows, no styling, rows prepared before the clock starts. The batch
export is timed from the built index to the last byte (xlsx + txt, all four levels), so the ratio
is what the plugin adds on top of what openpyxl itself costs.

python bench/batch_bench.py SAMPLE.gpkg WORK_DIR [REPEATS]   (prints JSON)
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class _PeakRss:
    """Peak resident memory while the block runs (sampled from /proc every 20 ms), in MB."""

    def __init__(self) -> None:
        self.start_mb = self.peak_mb = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_mb = max(self.peak_mb, _rss_mb())

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, _rss_mb())


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the process peak is the best available figure
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _build_index(sample_gpkg: str):
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    names = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")
    lyr = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in names}
    return build_index(DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]], committees=lyr["社区居委会"],
                                      streets=lyr["街道办事处"], supervisors=lyr["监督员责任区"]))


def _floor_jobs(index) -> tuple:
    """What the floor writes, prepared untimed: per workbook, its sheets as (title, header, rows)."""
    from citycomponents_plugin.core.levels import LEVEL_ORDER

    n = index.components_read
    comp_rows = [None] * n
    everything = index.detail_order
    for i, row in zip(everything.tolist(), index.detail_rows(everything)):
        comp_rows[i] = row
    jobs = []
    detail_rows = 0
    for level in LEVEL_ORDER:
        for region, members in zip(index.regions(level), index.members_by_region(level)):
            if len(members):
                stats = index.statistics(members)
                jobs.append((level.label, region.key, stats, members.tolist()))
                detail_rows += len(members)
    summary = []
    for level in LEVEL_ORDER:
        table = index.crosstab(level)
        rows = [(r.key, r.key, int(c.sum()), *c.tolist()) for r, c in zip(index.regions(level), table)]
        summary.append((level.label, ["代码", "名称", "合计"] + index.type_names, rows))
    unassigned = index.detail_order[index.comp_grid[index.detail_order] < 0]
    summary.append(("未落入网格", ["标识码", "名称", "图层", "原因"],
                    [(r[0], r[1], "城市部件", "不在任何网格内") for r in index.detail_rows(unassigned)]))
    return comp_rows, jobs, summary, detail_rows


def _write_floor(folder: str, comp_rows: list, jobs: list, summary: list) -> int:
    """The bare loop: Workbook(write_only=True), create_sheet, append, save. Returns workbooks written."""
    from openpyxl import Workbook

    for label in {j[0] for j in jobs}:
        os.makedirs(os.path.join(folder, label), exist_ok=True)
    for label, key, stats, ids in jobs:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("统计")
        ws.append(("部件名称", "部件总数"))
        for row in stats:
            ws.append(row)
        ws.append(("合计", len(ids)))
        ws = wb.create_sheet("明细")
        ws.append(("标识码", "名称", "单元网格"))
        for i in ids:
            ws.append(comp_rows[i])
        wb.save(os.path.join(folder, label, key + ".xlsx"))
    wb = Workbook(write_only=True)
    for title, header, rows in summary:
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.save(os.path.join(folder, "汇总.xlsx"))
    return len(jobs) + 1


def run_batch_bench(sample_gpkg: str, work_dir: str, repeats: int = 2) -> dict:
    """Seconds for the batch export and for the floor, their ratio, file counts and peak memory.

    Export and floor alternate `repeats` times and the best of each is compared: the machine is shared,
    and a neighbour's burst should not decide the ratio.
    """
    from citycomponents_plugin.core.batch_export.exporter import count_files, export_district

    work = Path(work_dir)
    export_dir, floor_dir = work / "export", work / "floor"
    work.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    index = _build_index(sample_gpkg)
    index_s = time.perf_counter() - t
    comp_rows, jobs, summary, detail_rows = _floor_jobs(index)

    export_runs, floor_runs = [], []
    export_peak = floor_peak = export_growth = floor_growth = 0.0
    for _ in range(max(1, repeats)):
        shutil.rmtree(export_dir, ignore_errors=True)  # our own scratch folders
        with _PeakRss() as mem:
            t = time.perf_counter()
            manifest = export_district(index, str(export_dir), formats=["xlsx", "txt"], encoding="utf-8")
            export_runs.append(time.perf_counter() - t)
        export_peak, export_growth = max(export_peak, mem.peak_mb), max(export_growth, mem.peak_mb - mem.start_mb)
        shutil.rmtree(floor_dir, ignore_errors=True)
        floor_dir.mkdir()
        with _PeakRss() as mem:
            t = time.perf_counter()
            floor_workbooks = _write_floor(str(floor_dir), comp_rows, jobs, summary)
            floor_runs.append(time.perf_counter() - t)
        floor_peak, floor_growth = max(floor_peak, mem.peak_mb), max(floor_growth, mem.peak_mb - mem.start_mb)

    xlsx = sum(1 for _ in export_dir.rglob("*.xlsx"))
    return {
        "components": index.components_read,
        "index_s": round(index_s, 2),
        "export_s": round(min(export_runs), 2),
        "floor_s": round(min(floor_runs), 2),
        "ratio": round(min(export_runs) / min(floor_runs), 3),
        "export_runs_s": [round(x, 2) for x in export_runs],
        "floor_runs_s": [round(x, 2) for x in floor_runs],
        "workbooks": xlsx,
        "floor_workbooks": floor_workbooks,
        "files": count_files(manifest) + 1,  # + manifest.json
        "detail_rows": detail_rows,
        "export_peak_rss_mb": round(export_peak, 1),
        "export_rss_growth_mb": round(export_growth, 1),
        "floor_peak_rss_mb": round(floor_peak, 1),
        "floor_rss_growth_mb": round(floor_growth, 1),
        "process_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    from qgis.core import QgsApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    print(json.dumps(run_batch_bench(sys.argv[1], sys.argv[2], reps), ensure_ascii=False))
