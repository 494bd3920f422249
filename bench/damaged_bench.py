"""Peak memory of regionstatistics on a damaged GeoPackage (SPEC 4.5), beside the same run on the intact file.

A damaged GeoPackage once made GDAL's Arrow stream yield empty batches for ever and the read grow to
22 GB in a minute. Each run is a separate `scripts/run_algorithm.py citycomponents:regionstatistics`
process; its peak RSS comes from wait4(). The child is capped (address space, time) so that a
regression shows as a failed cap in the report instead of taking the machine down.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from tests.faults.damage import damage_gpkg  # noqa: E402

CAP_BYTES = 8 * 2**30  # address-space cap of the child (QGIS maps ~1.5 GB of libraries)
TIMEOUT_S = 300


def _first_grid(sample: Path) -> str:
    con = sqlite3.connect(f"file:{sample}?mode=ro", uri=True)
    try:
        return con.execute('SELECT "网格编码" FROM "单元网格" ORDER BY "网格编码" LIMIT 1').fetchone()[0]
    finally:
        con.close()


def _run(sample: Path, grid: str) -> dict:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))

    cmd = [sys.executable, str(ROOT / "scripts" / "run_algorithm.py"), "citycomponents:regionstatistics",
           f"GRIDS={sample}|layername=单元网格", f"COMPONENTS={sample}|layername=城市部件", "LEVEL=3",
           f"REGION={grid}", "STATISTICS=TEMPORARY_OUTPUT", "DETAILS=TEMPORARY_OUTPUT"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT, preexec_fn=cap)
        timer = threading.Timer(TIMEOUT_S, proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage: its peak RSS
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    line = next((ln for ln in text.splitlines() if ln.startswith("Error:")), "")
    return {"exit": proc.returncode, "seconds": round(time.perf_counter() - start, 2),
            "peak_mb": round(usage.ru_maxrss / 1024), "error": line[:160]}


def run_damaged_bench(sample: str, workdir: str) -> dict:
    """The intact run first (its peak is the baseline), then the damaged one."""
    src = Path(sample)
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    damaged = work / "damaged.gpkg"
    offset = damage_gpkg(src, damaged, "城市部件")
    grid = _first_grid(src)
    intact = _run(src, grid)
    broken = _run(damaged, grid)
    return {"damage": f"8 KiB of garbage at byte {offset:,} (a page of 城市部件's features)",
            "intact": intact, "damaged": broken, "cap_mb": CAP_BYTES // 2**20, "timeout_s": TIMEOUT_S}


if __name__ == "__main__":
    import json

    print(json.dumps(run_damaged_bench(sys.argv[1], sys.argv[2]), ensure_ascii=False))
