"""`regionstatistics` as a whole process against the equivalent GeoPandas script, start-up included.

Both answer one grid's statistics (部件名称, 部件总数) and detail rows from the sample GeoPackage and
write them to files (statistics CSV, details GeoPackage); each is a fresh interpreter, timed from
launch to exit, best of 3, the plugin running from bytecode as an installed plugin does. Ours runs
as a script would run it (scripts/run_algorithm.py: Python, QGIS started headless, the algorithm run
through QGIS's Processing API without loading the Processing plugin, as processing.run would run it)
and as the command line does (qgis_process, which loads every Processing provider).

python bench/process_bench.py SAMPLE.gpkg BENCH_PYTHON WORK_DIR   (prints JSON)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from damaged_bench import _first_grid  # noqa: E402 - the same first grid as the damaged-input runs

# The GeoPandas peer: the same answer for one grid (points within it; a point on an edge counts once).
PEER = r"""
import sys
import geopandas as gpd
sample, grid, stats_csv, details_gpkg = sys.argv[1:5]
grids = gpd.read_file(sample, layer="单元网格", columns=["网格编码"], engine="pyogrio", use_arrow=True)
points = gpd.read_file(sample, layer="城市部件", columns=["标识码", "名称"], engine="pyogrio", use_arrow=True)
points = points[points.geometry.notna() & ~points.geometry.is_empty].to_crs(grids.crs)
joined = gpd.sjoin(points, grids, how="inner", predicate="intersects")
joined = joined.sort_values(["网格编码", "标识码"]).drop_duplicates("标识码")
mine = joined[joined["网格编码"] == grid]
counts = mine.groupby("名称").size().rename("部件总数").reset_index().rename(columns={"名称": "部件名称"})
counts.sort_values(["部件总数", "部件名称"], ascending=[False, True]).to_csv(stats_csv, index=False)
mine[["标识码", "名称", "网格编码", "geometry"]].to_file(details_gpkg, layer="明细", engine="pyogrio")
print(len(mine))
"""


def _best(cmd: list, work: Path, repeats: int = 3, **extra_env: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.update(extra_env)
    runs = []
    for _ in range(repeats):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        start = time.perf_counter()
        proc = subprocess.run([str(c).replace("{work}", str(work)) for c in cmd], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=600)
        runs.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[:2]} failed:\n{proc.stderr[-2000:]}")
    return {"seconds": min(runs), "runs": runs}


def run_process_bench(sample: str, bench_python: str, workdir: str) -> dict:
    src = Path(sample)
    work = Path(workdir)
    grid = _first_grid(src)
    params = [f"GRIDS={src}|layername=单元网格", f"COMPONENTS={src}|layername=城市部件", "LEVEL=3",
              f"REGION={grid}", "STATISTICS={work}/统计结果.csv", "DETAILS={work}/明细.gpkg"]
    # An installed plugin runs from its bytecode (Python writes it on the first import in the user's
    # profile), as the peer's libraries run from theirs; the checkout holds none (the Makefile forbids
    # it), so the plugin and the script are copied and compiled once, as an installation. QGIS's
    # Processing plugin, which a user cannot write beside, stays uncached as it is for them.
    install = work / "installed"
    shutil.rmtree(install, ignore_errors=True)
    shutil.copytree(ROOT / "citycomponents_plugin", install / "citycomponents_plugin",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (install / "scripts").mkdir()
    for name in ("run_algorithm.py", "qgis_headless.py"):
        shutil.copy2(ROOT / "scripts" / name, install / "scripts" / name)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(install)], check=True, capture_output=True)
    ours = _best([sys.executable, install / "scripts" / "run_algorithm.py", "citycomponents:regionstatistics",
                  *params], work / "ours", PYTHONPATH=str(install))
    out = {"grid": grid, "regionstatistics_script": ours}
    qgis_process = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    if Path(qgis_process).exists():
        config = work / "qgis-config"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=str(install),
                   QGIS_CUSTOM_CONFIG_PATH=str(config))
        subprocess.run([qgis_process, "plugins", "enable", "citycomponents_plugin"], env=env, capture_output=True,
                       timeout=300)
        os.environ.update(QGIS_PLUGINPATH=str(install), QGIS_CUSTOM_CONFIG_PATH=str(config))
        out["qgis_process"] = _best([qgis_process, "run", "citycomponents:regionstatistics", "--",
                                     *params], work / "qgis_process", PYTHONPATH=str(install))
    peer = work / "peer.py"
    work.mkdir(parents=True, exist_ok=True)
    peer.write_text(PEER, encoding="utf-8")
    out["geopandas_script"] = _best([bench_python, peer, src, grid, "{work}/统计结果.csv", "{work}/明细.gpkg"],
                                    work / "geopandas")
    out["script_vs_geopandas"] = ours["seconds"] / out["geopandas_script"]["seconds"]
    if "qgis_process" in out:
        out["qgis_process_vs_geopandas"] = out["qgis_process"]["seconds"] / out["geopandas_script"]["seconds"]
    return out


if __name__ == "__main__":
    print(json.dumps(run_process_bench(*sys.argv[1:4]), ensure_ascii=False))
