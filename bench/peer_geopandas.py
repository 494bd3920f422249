"""The GeoPandas peer: read + sjoin + groupby per-type counts per grid (runs in .venv-bench).

python peer_geopandas.py SAMPLE.gpkg -> JSON with seconds (best of 3) and peak memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import geopandas as gpd


def run(sample: str) -> int:
    grids = gpd.read_file(sample, layer="单元网格", columns=["网格编码"], engine="pyogrio", use_arrow=True)
    points = gpd.read_file(sample, layer="城市部件", columns=["标识码", "名称"], engine="pyogrio", use_arrow=True)
    points = points[points.geometry.notna() & ~points.geometry.is_empty].to_crs(grids.crs)
    joined = gpd.sjoin(points, grids, how="left", predicate="within")
    counts = joined.groupby(["网格编码", "名称"]).size()
    return int(counts.sum())


def main() -> None:
    sample = sys.argv[1]
    runs = []
    total = 0
    for _ in range(3):
        t = time.perf_counter()
        total = run(sample)
        runs.append(time.perf_counter() - t)
    print(json.dumps({"geopandas_s": min(runs), "geopandas_runs": runs, "geopandas_total": total,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
