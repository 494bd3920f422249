"""`make bench`: the engine against its peers, side by side in one run, plus scale growth, batch and booklets.

Each job runs in its own process (its peak memory is its own); results go to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"


def run_json(cmd: list, timeout: int = 3600) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_sample(scale: float) -> Path:
    path = RESULTS / f"sample_{scale:g}.gpkg"
    if not path.exists():
        print(f"generating the sample at SCALE={scale:g} ...", flush=True)
        code = ("import sys; sys.path.insert(0, 'scripts'); from qgis_headless import start_qgis; app = start_qgis();"
                "from citycomponents_plugin.sample.district import generate_sample_district;"
                f"generate_sample_district({str(path)!r}, scale={scale}); print('{{}}')")
        run_json([sys.executable, "-c", code])
    return path


def call(module: str, function: str, *args: str) -> dict:
    """Run bench/<module>.<function>(*args) in a fresh QGIS process; it returns a dict."""
    code = ("import sys, json, resource; sys.path[:0] = ['scripts', 'bench']; from qgis_headless import start_qgis;"
            f"app = start_qgis(); from {module} import {function};"
            f"r = {function}(*{list(args)!r});"
            "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))")
    return run_json([sys.executable, "-c", code])


def ensure_next_edition(sample: Path) -> Path:
    """The sample's next census (seed 2014, 5 % changed), generated once beside it."""
    path = sample.with_name(sample.stem + "_next.gpkg")
    if not path.exists():
        print(f"generating the next census of {sample.name} ...", flush=True)
        code = ("import sys; sys.path.insert(0, 'scripts'); from qgis_headless import start_qgis; app = start_qgis();"
                "from citycomponents_plugin.sample.next_edition import generate_next_edition;"
                f"generate_next_edition({str(sample)!r}, {str(path)!r}, seed=2014, change_rate=0.05); print('{{}}')")
        run_json([sys.executable, "-c", code])
    return path


def editions_section(sample: Path, big) -> list:
    """Comparing two whole-district editions (1x, and 10x when given) and the check against the answer key."""
    py = sys.executable
    rows = []
    for label, path in (("1x", sample), ("10x", big)):
        if path is None:
            continue
        print(f"edition comparison at {label} ...", flush=True)
        rows.append((label, run_json([py, str(BENCH / "editions_bench.py"), str(path),
                                      str(ensure_next_edition(path))])))
    base = rows[0][1]["compare_s"]
    lines = ["", "Edition comparison (compareeditions): two whole-district editions in memory, matched by 标识码, "
             "classed, counted per region at all four levels (best of 3); reading the attributes is one more "
             "read per edition; writing is changes.json + 变更.xlsx.", "",
             "| scale | earlier | later | compare s | compare CPU s | growth vs 1x | read attributes s (per edition) "
             "| write s | peak MB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['components_earlier']:,} | {r['components_later']:,} | {r['compare_s']:.2f} | "
                     f"{r['compare_cpu_s']:.2f} | {r['compare_s'] / base:.1f}x | {r['read_attributes_s']:.2f} | "
                     f"{r['write_outputs_s']:.2f} | {r['peak_mb']:.0f} |")
    lines += ["", "Against the next census's answer key (样例变更), 1x: found / recorded per class, and regions whose "
              "four counts equal the key's:", "",
              "| level | regions | added | removed | moved | changed | regions equal |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for e in rows[0][1]["levels"]:
        cells = " | ".join(f"{e[c]:,} / {e[c + '_key']:,}" for c in ("added", "removed", "moved", "changed"))
        lines.append(f"| {e['level']} | {e['regions']:,} | {cells} | {e['regions_equal']:,} / "
                     f"{e['regions_compared']:,} |")
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}"


def postgis_table(result: dict) -> list:
    """The PostGIS comparison (bench/postgis_bench.py) as markdown lines."""
    lines = ["PostGIS (server on loopback, started by the bench; read + assign + place + per-type counts at all "
             "four levels):", "",
             "| sample | grids | components | pushdown s | MB | local on PostGIS s | MB | local on GeoPackage s | MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in result["scales"]:
        p, lp, g = row["pushdown"], row["local-pg"], row["gpkg"]
        lines.append(f"| {row['sample']} | {g['grids']:,} | {g['components']:,} | {p['seconds']:.2f} | "
                     f"{p['peak_mb']:.0f} | {lp['seconds']:.2f} | {lp['peak_mb']:.0f} | {g['seconds']:.2f} | "
                     f"{g['peak_mb']:.0f} |")
    lines += ["", "regionstatistics for one street (outputs in memory, in-process): on PostGIS the database "
              "answers for the street and counts the district (no component read); on the GeoPackage the "
              "whole index is built:", "",
              "| sample | street | components | PostGIS s | MB | GeoPackage s | MB | PostGIS / pushdown index build |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in result["scales"]:
        st = row.get("statistics")
        if st:
            pg, gp = st["pg"], st["gpkg"]
            lines.append(f"| {row['sample']} | {pg['street']} | {pg['total']:,} | {pg['seconds']:.2f} | "
                         f"{pg['peak_mb']:.0f} | {gp['seconds']:.2f} | {gp['peak_mb']:.0f} | "
                         f"{pg['seconds'] / row['pushdown']['seconds']:.2f}x |")
    lines += ["", "One street counted in the database on the region index (core/database/region_index.py, no "
              "panel; statistics + detail rows, the first count connects):", "",
              "| sample | region index s | streets asked | median ms | max ms | median rows |",
              "|---|---:|---:|---:|---:|---:|"]
    for row in result["scales"]:
        st = row["street"]
        lines.append(f"| {row['sample']} | {st['region_index_s']:.2f} | {st['streets']} | {st['median_ms']:.0f} | "
                     f"{st['max_ms']:.0f} | {st['median_rows']:.0f} |")
    lines += ["", "The panel on the same layers: its region index, then streets clicked (统计 to the filled tables, "
              "counted by the database), while the whole index is read behind it and after that read is cancelled:",
              "", "| sample | region index s | streets | median ms (reading) | max ms (reading) | median ms | max ms |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for row in result["scales"]:
        pn = row.get("panel")
        if pn:
            lines.append(f"| {row['sample']} | {pn['regions_s']:.2f} | {pn['streets']} | "
                         f"{pn['median_ms_reading']:.0f} | {pn['max_ms_reading']:.0f} | {pn['median_ms']:.0f} | "
                         f"{pn['max_ms']:.0f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    parser.add_argument("--no-10x", action="store_true", help="skip the 10x growth run")
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--no-booklets", action="store_true")
    parser.add_argument("--no-audit", action="store_true")
    parser.add_argument("--no-postgis", action="store_true", help="skip the PostGIS comparison")
    parser.add_argument("--booklet-areas", type=int, default=int(os.environ.get("BOOKLET_AREAS", "0") or 0),
                        help="write this many booklets, spread over the area sizes (0: every area)")
    parser.add_argument("--no-editions", action="store_true", help="skip the edition comparison")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M")
    load_at_start = os.getloadavg()
    sample = ensure_sample(1.0)
    py = sys.executable

    print("engine ...", flush=True)
    eng = run_json([py, str(BENCH / "engine_bench.py"), str(sample)])
    print("native:countpointsinpolygon ...", flush=True)
    nat = run_json([py, str(BENCH / "engine_bench.py"), str(sample), "--native"])
    print("GeoPandas sjoin + groupby ...", flush=True)
    gpd = run_json([args.bench_python, str(BENCH / "peer_geopandas.py"), str(sample)])
    rows = [
        ("engine: read + assign + per-type counts at all 4 levels", eng["engine_s"], eng["peak_mb"]),
        ("engine, grid level only (the work GeoPandas does)", eng["engine_grid_only_s"], eng["peak_mb"]),
        ("GeoPandas: read + sjoin + groupby (grid level only)", gpd["geopandas_s"], gpd["peak_mb"]),
        ("native:countpointsinpolygon (grid totals only, edge points lost)", nat["native_count_s"], nat["peak_mb"]),
    ]
    lines = [f"# Benchmark ({started})", "", f"Machine: {machine()}", "",
             "Load average (1, 5, 15 min) at the start: " + ", ".join(f"{v:.2f}" for v in load_at_start) + ".", "",
             "Ratios: the engine's full job (all four levels) divided by each job's time; below 1.0x the "
             "engine is faster.", "",
             f"Sample: {eng['grids']:,} grids, {eng['components']:,} components (GeoPackage, points in EPSG:4490, "
             "grids in EPSG:4548). Best of 3 runs (native: best of 2).", "",
             "| job | seconds | engine / job | peak MB |", "|---|---:|---:|---:|"]
    for name, secs, mb in rows:
        lines.append(f"| {name} | {secs:.2f} | {eng['engine_s'] / secs:.2f}x | {mb:.0f} |")
    lines += ["", f"Street-level query on a built index (statistics + detail rows): median "
              f"{eng['street_query_ms']:.1f} ms, max {eng['street_query_max_ms']:.1f} ms."]

    if (BENCH / "process_bench.py").exists():
        print("regionstatistics as a process vs a GeoPandas script ...", flush=True)
        from process_bench import run_process_bench

        pr = run_process_bench(str(sample), args.bench_python, str(RESULTS / "process"))
        lines += ["", f"One grid's statistics and details ({pr['grid']}) written to files, each a fresh process "
                  "timed from launch to exit (start-up included), best of 3:", "",
                  "| process | seconds | / GeoPandas script |", "|---|---:|---:|",
                  "| regionstatistics via a Python script (scripts/run_algorithm.py: the Processing API) | "
                  f"{pr['regionstatistics_script']['seconds']:.2f} | {pr['script_vs_geopandas']:.2f}x |"]
        if "qgis_process" in pr:
            lines.append(f"| regionstatistics via qgis_process | {pr['qgis_process']['seconds']:.2f} | "
                         f"{pr['qgis_process_vs_geopandas']:.2f}x |")
        lines.append(f"| GeoPandas script (read, sjoin, groupby, write) | {pr['geopandas_script']['seconds']:.2f} | "
                     "1.00x |")

    if not args.no_10x:
        big = ensure_sample(10.0)
        print("engine at 10x ...", flush=True)
        eng10 = run_json([py, str(BENCH / "engine_bench.py"), str(big)])
        lines += ["", "| scale | grids | components | engine seconds | growth vs 1x | peak MB |",
                  "|---|---:|---:|---:|---:|---:|",
                  f"| 1x | {eng['grids']:,} | {eng['components']:,} | {eng['engine_s']:.2f} | 1.0x | "
                  f"{eng['peak_mb']:.0f} |",
                  f"| 10x | {eng10['grids']:,} | {eng10['components']:,} | {eng10['engine_s']:.2f} | "
                  f"{eng10['engine_s'] / eng['engine_s']:.1f}x | {eng10['peak_mb']:.0f} |"]

    print("the panel's index build in its task ...", flush=True)
    panel_runs = [("1x", call("panel_bench", "run_panel_bench", str(sample)))]
    if not args.no_10x:
        panel_runs.append(("10x", call("panel_bench", "run_panel_bench", str(ensure_sample(10.0)))))
    lines += ["", "The panel's index build in a QgsTask (bench/panel_bench.py): the event loop's longest pause "
              "while it runs (a 10 ms timer on the main thread), and Cancel clicked a third of the way through:",
              "", "| scale | components | build s | timer ticks | longest pause ms | cancel after s | "
              "cancel to end s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scale, r in panel_runs:
        b, c = r["build"], r["cancel"]
        lines.append(f"| {scale} | {b.get('components', 0):,} | {b['seconds']:.2f} | {b['ticks']} | "
                     f"{b['max_gap_ms']:.0f} | {c.get('cancelled_after_s', 0):.2f} | "
                     f"{c.get('cancel_to_end_s', 0):.2f} |")

    if not args.no_audit and (BENCH / "audit_bench.py").exists():
        print("audit vs index build ...", flush=True)
        scales = [(1, sample)] + ([] if args.no_10x else [(10, ensure_sample(10.0))])
        au = {n: call("audit_bench", "run_audit_bench", str(path), "3" if n == 1 else "2") for n, path in scales}
        lines += ["", "Data-quality audit (citycomponents:audit, every check, four levels) against the index "
                  "build of the same inputs, best of 3 (10x: best of 2), alternating in one process "
                  "(target: audit <= 2x the build, linear growth):", "",
                  "| scale | components | build s | audit s | audit / build | CPU s build / audit | CPU ratio | "
                  "audit growth (CPU) | peak MB |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, r in au.items():
            lines.append(f"| {n}x | {r['components']:,} | {r['build_s']:.2f} | {r['audit_s']:.2f} | "
                         f"{r['ratio']:.2f}x | {r['build_cpu_s']:.2f} / {r['audit_cpu_s']:.2f} | "
                         f"{r['cpu_ratio']:.2f}x | {r['audit_cpu_s'] / au[1]['audit_cpu_s']:.1f}x | "
                         f"{r['peak_mb']:.0f} |")
        lines += ["", "Problems found at 1x: " + json.dumps(au[1]["problems"], ensure_ascii=False)]

    if not args.no_batch and (BENCH / "batch_bench.py").exists():
        print("batch export vs bare openpyxl floor ...", flush=True)
        b = call("batch_bench", "run_batch_bench", str(sample), str(RESULTS / "batch"))
        lines += ["", "Batch export of the whole district (all four levels, xlsx + txt), against a floor "
                  "measured in the same run (a bare openpyxl write-only loop writing the same rows into the "
                  "same number of workbooks), best of the runs:", "",
                  "| job | seconds | / floor | workbooks | files | detail rows |", "|---|---:|---:|---:|---:|---:|",
                  f"| batch export | {b['export_s']:.2f} | {b['ratio']:.2f}x | {b['workbooks']:,} | {b['files']:,} | "
                  f"{b['detail_rows']:,} |",
                  f"| bare openpyxl loop (floor) | {b['floor_s']:.2f} | 1.00x | {b['floor_workbooks']:,} | | |",
                  "", "```", json.dumps(b, ensure_ascii=False, indent=1), "```"]

    if not args.no_booklets and (BENCH / "booklet_bench.py").exists():
        print("booklets ...", flush=True)
        bk = call("booklet_bench", "run_booklet_bench", str(sample), str(RESULTS / "booklets"),
                  str(args.booklet_areas))
        lines += ["", f"Supervisor booklets (A6 PDF) for {bk['booklets']['areas']} of the {bk['areas_in_sample']} "
                  "areas "
                  "(spread over the area sizes when not all), against a plain QGIS "
                  "atlas export of the same grids (one page per grid, the same map layers, one file per area) in "
                  f"the same run; load average {bk['load_average_at_start']} at the start:", "",
                  "| job | seconds, all areas | per area median / worst | pages | pages/s | PDF KB median / max | "
                  "PDF MB total |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, key in ((f"booklets ({bk['booklets']['workers']} worker processes)", "booklets"),
                          ("plain QGIS atlas (QgsLayoutExporter, one process)", "plain_qgis_atlas")):
            r = bk[key]
            lines.append(f"| {name} | {r['all_areas_s']:.1f} | {r['per_area_median_s']:.2f} / "
                         f"{r['per_area_worst_s']:.2f} | {r['pages']:,} | {r['pages_per_s']:.2f} | "
                         f"{r['pdf_kb_median']:,} / {r['pdf_kb_max']:,} | "
                         f"{r['pdf_mb_total']:.1f} |")
        lines += ["", f"Booklets / atlas: {bk['booklets_s_vs_atlas_s']:.2f}x the seconds for all areas, "
                  f"{bk['booklet_pages_per_s_vs_atlas']:.2f}x the pages per second.", "", "```",
                  json.dumps(bk, ensure_ascii=False, indent=1), "```"]

    if (BENCH / "damaged_bench.py").exists():
        print("regionstatistics on a damaged GeoPackage ...", flush=True)
        from damaged_bench import run_damaged_bench

        dmg = run_damaged_bench(str(sample), str(RESULTS / "damaged"))
        lines += ["", "regionstatistics (qgis_process-like run in its own process) on the sample and on a copy with "
                  f"{dmg['damage']}; peak RSS from wait4, the child capped at {dmg['cap_mb']:,} MB and "
                  f"{dmg['timeout_s']} s:", "", "| input | exit | seconds | peak MB |", "|---|---:|---:|---:|"]
        for name in ("intact", "damaged"):
            r = dmg[name]
            lines.append(f"| {name} | {r['exit']} | {r['seconds']:.2f} | {r['peak_mb']:,} |")
        lines += ["", f"Damaged run's message: {dmg['damaged']['error']}"]

    if not args.no_postgis:
        print("PostGIS: pushdown vs local engine on PostGIS vs GeoPackage ...", flush=True)
        samples = [str(sample)] + ([] if args.no_10x else [str(ensure_sample(10.0))])
        lines += [""] + postgis_table(run_json([py, str(BENCH / "postgis_bench.py"), *samples], timeout=14400))

    if not args.no_editions:
        lines += editions_section(sample, None if args.no_10x else ensure_sample(10.0))

    lines += ["", "Load average (1, 5, 15 min) at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()) + "."]
    text = "\n".join(lines) + "\n"
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
