"""The provider from the command line: qgis_process runs generatesample, regionstatistics, batchexport and
booklet with the plugin from this checkout, on whichever QGIS runs the suite.

The figures (sample layer counts, region totals and counts per type, the batch manifest's totals per
region, the booklets' page counts) are written to CITYCOMPONENTS_VERSIONS_DIR/qgis-<major.minor>.json
when that is set: `make test` runs this on QGIS 3.22 and 3.40, then test_versions_agree.py requires
both files to be the same. The wrapper `qgis_process` is used where it starts; on Debian 12's 3.22 it
passes --noversioncheck (from /etc/default/qgis), which that qgis_process rejects, so there
`qgis_process.bin` is used and recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCALE = "0.05"
AREAS = ["王府井东", "王府井西"]  # the committee split in two supervisor areas
LEVELS = "0,1"  # street offices and supervisor areas: every region of two levels, cheaply
TIMEOUT = 600


def _layers(gpkg: str) -> tuple:
    return f"GRIDS={gpkg}|layername=单元网格", f"COMMITTEES={gpkg}|layername=社区居委会", \
        f"STREETS={gpkg}|layername=街道办事处", f"SUPERVISORS={gpkg}|layername=监督员责任区", \
        f"COMPONENTS={gpkg}|layername=城市部件"


class QgisProcess:
    def __init__(self, tmp_path: Path):
        self.env = dict(os.environ, QGIS_PLUGINPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
                        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"))
        self.wrapper_works = self._starts("qgis_process")
        self.command = "qgis_process" if self.wrapper_works else "qgis_process.bin"

    def _starts(self, command: str) -> bool:
        if shutil.which(command) is None:
            return False
        proc = subprocess.run([command, "--version"], env=self.env, capture_output=True, text=True, timeout=120)
        return proc.returncode == 0

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.command, *args], env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        assert proc.returncode == 0, f"{self.command} {' '.join(args)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return proc

    def run(self, algorithm: str, *params: str) -> dict:
        out = self("--json", "run", algorithm, "--", *params).stdout
        return json.loads(out[out.index("{"):])["results"]


def _pdf_pages(path: str) -> int:
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=60, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.mark.skipif(shutil.which("qgis_process") is None and shutil.which("qgis_process.bin") is None,
                    reason="needs qgis_process")
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs pdfinfo (poppler-utils)")
def test_qgis_process_runs_the_provider(tmp_path):
    from qgis.core import Qgis

    qp = QgisProcess(tmp_path)
    qp("plugins", "enable", "citycomponents_plugin")
    listed = qp("list").stdout
    for alg in ("generatesample", "regionstatistics", "batchexport", "booklet"):
        assert f"citycomponents:{alg}" in listed

    gpkg = str(tmp_path / "sample.gpkg")
    sample = qp.run("citycomponents:generatesample", f"SCALE={SCALE}", f"OUTPUT={gpkg}")
    summary = json.loads(sample["SUMMARY"])
    assert summary["components"] == sample["COMPONENTS"] > 0

    stats_csv = str(tmp_path / "统计结果.csv")
    details = str(tmp_path / "明细.gpkg")
    region = qp.run("citycomponents:regionstatistics", *_layers(gpkg), "LEVEL=1", f"REGION={AREAS[0]}",
                    f"STATISTICS={stats_csv}", f"DETAILS={details}")
    by_type = json.loads(region["BY_TYPE"])
    assert region["TOTAL"] == sum(by_type.values()) > 0
    stat_rows = Path(stats_csv).read_text(encoding="utf-8-sig").strip().splitlines()[1:]
    assert len(stat_rows) == len(by_type)
    from osgeo import ogr

    detail_ds = ogr.Open(details)  # the layer lives only as long as its data source
    detail_count = detail_ds.GetLayer(0).GetFeatureCount()
    detail_ds = None
    assert detail_count == region["TOTAL"]

    folder = tmp_path / "batch"
    batch = qp.run("citycomponents:batchexport", *_layers(gpkg), f"LEVELS={LEVELS}", "FORMATS=0,1",
                   f"OUTPUT_FOLDER={folder}")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert manifest["components_read"] == manifest["assigned"] + manifest["unassigned"] == sample["COMPONENTS"]
    regions = {level: {r["key"]: [r["total"], r["by_type"]] for r in entries}
               for level, entries in manifest["levels"].items() if entries}
    for level, entries in regions.items():
        assert sum(total for total, _ in entries.values()) <= manifest["assigned"], level
    assert regions["supervisor"][AREAS[0]][0] == region["TOTAL"]

    books = tmp_path / "booklets"
    booklet = qp.run("citycomponents:booklet", *_layers(gpkg)[:1], *_layers(gpkg)[3:],
                     f"SUPERVISOR_AREAS={','.join(AREAS)}", f"OUTPUT_FOLDER={books}")
    assert booklet["FILES"] == len(AREAS)
    pages = {Path(p).stem: _pdf_pages(p) for p in sorted(books.glob("*.pdf"))}
    assert sorted(pages) == sorted(AREAS) and min(pages.values()) > 3

    figures = {
        "sample": {k: v for k, v in summary.items() if k not in ("path", "seconds")},
        "regionstatistics": {"region": region["REGION_KEY"], "total": region["TOTAL"], "by_type": by_type,
                             "components_read": region["COMPONENTS_READ"], "unassigned": region["UNASSIGNED"],
                             "statistics_rows": len(stat_rows), "details": detail_count},
        "batchexport": {"files": batch["FILES"], "components_read": batch["COMPONENTS_READ"],
                        "assigned": batch["ASSIGNED"], "unassigned": batch["UNASSIGNED"],
                        "manifest_files": len(manifest["files"]), "regions": regions},
        "booklet": {"files": booklet["FILES"], "pages": pages},
    }
    out_dir = os.environ.get("CITYCOMPONENTS_VERSIONS_DIR")
    if out_dir:
        version = ".".join(Qgis.QGIS_VERSION.split(".")[:2])
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        record = {"qgis": Qgis.QGIS_VERSION, "runner": qp.command, "wrapper_works": qp.wrapper_works,
                  "figures": figures}
        (Path(out_dir) / f"qgis-{version}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1),
                                                            encoding="utf-8")
