"""`make demo`: generate the sample district, then run the main jobs on it headlessly, as an operator would.

Every step is a Processing algorithm, so each printed figure can be reproduced with qgis_process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from qgis_headless import PrintingFeedback, start_qgis

ROOT = Path(__file__).resolve().parent.parent


def layer(sample: Path, name: str) -> str:
    return f"{sample}|layername={name}"


def district(sample: Path) -> dict:
    return {"GRIDS": layer(sample, "单元网格"), "COMMITTEES": layer(sample, "社区居委会"),
            "STREETS": layer(sample, "街道办事处"), "SUPERVISORS": layer(sample, "监督员责任区"),
            "COMPONENTS": [layer(sample, "城市部件")]}


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=Path, default=ROOT / "sample" / "dongcheng.gpkg")
    parser.add_argument("--output", type=Path, default=ROOT / "demo_output")
    parser.add_argument("--booklets", default="王府井东,站东街南,东不压桥", help="supervisor areas to print")
    args = parser.parse_args()
    app = start_qgis()  # noqa: F841 - keeps QGIS alive
    import processing

    feedback = PrintingFeedback.create()
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    sample: Path = args.sample
    if not sample.exists():
        step(f"Generating the sample district (full Dongcheng scale) into {sample}")
        sample.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        processing.run("citycomponents:generatesample", {"SCALE": 1.0, "OUTPUT": str(sample)}, feedback=feedback)
        print(f"  done in {time.perf_counter() - t:.1f} s")
    else:
        print(f"Using the existing sample district {sample} (delete it to regenerate)")

    step("Region statistics: committee 王府井 (citycomponents:regionstatistics)")
    t = time.perf_counter()
    res = processing.run("citycomponents:regionstatistics",
                         dict(district(sample), LEVEL=2, REGION="王府井", STATISTICS="TEMPORARY_OUTPUT",
                              DETAILS="TEMPORARY_OUTPUT"), feedback=feedback)
    print(f"  {res['TOTAL']} components in 王府井 ({time.perf_counter() - t:.1f} s, index build included)")
    for name, count in list(json.loads(res["BY_TYPE"]).items())[:8]:
        print(f"    {name:<10}{count:>6}")
    print("    ...")

    step("Batch export: every region of every level to xlsx + txt (citycomponents:batchexport)")
    batch_dir = out / "batch"
    t = time.perf_counter()
    res = processing.run("citycomponents:batchexport",
                         dict(district(sample), FORMATS=[0, 1], OUTPUT_FOLDER=str(batch_dir), OVERWRITE=True),
                         feedback=feedback)
    print(f"  {res.get('FILES')} files in {time.perf_counter() - t:.1f} s; manifest: {res.get('MANIFEST')}")

    step(f"Supervisor booklets (citycomponents:booklet): {args.booklets}")
    booklet_dir = out / "booklets"
    t = time.perf_counter()
    res = processing.run("citycomponents:booklet",
                         dict(district(sample), SUPERVISOR_AREAS=args.booklets, OUTPUT_FOLDER=str(booklet_dir),
                              OVERWRITE=True), feedback=feedback)
    print(f"  {res.get('FILES')} booklet(s) in {time.perf_counter() - t:.1f} s")
    pdfs = sorted(booklet_dir.glob("*.pdf"))
    if pdfs and shutil.which("pdftoppm"):
        pages = out / "booklet_pages"
        pages.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "4", str(pdfs[0]),
                        str(pages / pdfs[0].stem)], check=True)
        print(f"  first pages of {pdfs[0].name} rendered to {pages}")

    shot = ROOT / "scripts" / "panel_in_qgis.py"
    if shot.exists() and shutil.which("xvfb-run") and shutil.which("qgis"):
        # Both languages, named like the README's pictures (docs/images/panel_zh_CN.png, panel_en.png);
        # zh-Hans is what QGIS's language list calls Simplified Chinese.
        step("The panel beside the map in a real QGIS under Xvfb (screenshots, Chinese and English)")
        for locale, png in (("zh-Hans", "panel_zh_CN.png"), ("en_US", "panel_en.png")):
            cmd = ["/usr/bin/python3", str(shot), "shot", "--sample", str(sample), "--locale", locale,
                   "--screen", "1600x900", "--png", str(out / png)]
            if subprocess.run(cmd, timeout=600).returncode == 0:
                print(f"  {locale}: {out / png}")
            else:
                print(f"  the {locale} screenshot could not be taken (see above); the results are unaffected")

    step("Results")
    print(f"  sample district: {sample}")
    print(f"  batch export:    {batch_dir} (manifest.json, 汇总.xlsx, 部件总表.csv, per-level folders)")
    print(f"  booklets:        {booklet_dir}")
    print(f"  everything:      {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
