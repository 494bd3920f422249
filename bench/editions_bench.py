"""Comparing two whole-district editions: timings, and the check against the next census's answer key.

python bench/editions_bench.py FIRST.gpkg NEXT.gpkg   (NEXT made by generate_next_edition from FIRST)

Prints JSON: the comparison proper (two editions in memory, best of 3), reading the attributes
(edition_from_index on a built index), writing changes.json + 变更.xlsx, and per level and class the
number of regions whose counts equal the answer key's.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from qgis_headless import start_qgis  # noqa: E402


def _index(path: str):
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    def layer(name):
        return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")

    comps = layer("城市部件")
    inputs = DistrictInputs(grids=layer("单元网格"), components=[comps], committees=layer("社区居委会"),
                            streets=layer("街道办事处"), supervisors=layer("监督员责任区"))
    return build_index(inputs), comps


def run(first: str, second: str) -> dict:
    from citycomponents_plugin.core.editions.compare import CLASS_NAMES, compare_editions, level_rows
    from citycomponents_plugin.core.editions.edition import edition_from_index
    from citycomponents_plugin.core.editions.outputs import district_regions
    from citycomponents_plugin.core.editions.run import run_comparison
    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.sample.next_edition import read_change_key

    early_index, early_layer = _index(first)
    late_index, late_layer = _index(second)
    t = time.perf_counter()
    earlier = edition_from_index(early_index, [early_layer])
    later = edition_from_index(late_index, [late_layer])
    read_s = (time.perf_counter() - t) / 2
    runs, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        cmp = compare_editions(earlier, later, 1.0)
        regions = district_regions(late_index)
        for level in late_index.levels_present():
            level_rows(cmp, level, regions[level])
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)  # beside wall time: the machine may be shared
    with tempfile.TemporaryDirectory() as folder:
        t = time.perf_counter()
        run_comparison(earlier, later, regions, folder, 1.0)
        write_s = time.perf_counter() - t

    key = read_change_key(second)
    key_class = {"新增": "added", "删除": "removed", "移位": "moved", "变更": "changed"}
    grid_no = {g.key: g.index for g in late_index.grids}
    table = []
    for level in (Level.STREET, Level.SUPERVISOR, Level.COMMITTEE, Level.GRID):
        grid_region = late_index.grid_region(level)
        names = [r.key for r in late_index.regions(level)]
        want: dict = {}
        for row in key:
            grid = row["原网格"] if row["类别"] == "删除" else row["新网格"]
            reg = grid_region[grid_no[grid]]
            want.setdefault(names[reg] if reg >= 0 else "", Counter())[key_class[row["类别"]]] += 1
        got = {k: Counter({c: n for c, n in zip(CLASS_NAMES[:4], counts[:4]) if n})
               for k, _n, _c, counts, _t in level_rows(cmp, level, regions[level])}
        entry = {"level": level.label, "regions": len(names)}
        for c in CLASS_NAMES[:4]:
            entry[c] = sum(v[c] for v in got.values())
            entry[c + "_key"] = sum(v[c] for v in want.values())
        entry["regions_equal"] = sum(1 for k in set(got) | set(want) if got.get(k, Counter()) == want.get(k, Counter()))
        entry["regions_compared"] = len(set(got) | set(want))
        table.append(entry)
    return {"components_earlier": int(earlier.count), "components_later": int(later.count),
            "compare_s": min(runs), "compare_cpu_s": min(cpu), "read_attributes_s": read_s, "write_outputs_s": write_s,
            "counts": cmp.counts(), "key_total": len(key), "levels": table,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    app = start_qgis()
    print(json.dumps(run(sys.argv[1], sys.argv[2]), ensure_ascii=False))
