"""Runs that end early, through the real qgis_process.bin: SIGINT and SIGKILL at three moments, two runs
into one folder, and a real full disk (a small tmpfs).

The invariant checked after each (SPEC 6): the exit code is non-zero; manifest.json says cancelled,
failed or (killed outright) running; every file it lists is complete (its row count is the manifest's
total) and readable; after a cancel or a failure the complete files on disk are exactly the listed ones;
after a rerun no temporary file and no lock is left. Moments are events seen in the folder (the
manifest appears, the ledger is written, half of the regions are written), never times.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOCK = ".citycomponents.lock"
LEVEL_FOLDER = "社区居委会"
REGION_FILES = 3  # FORMATS=0,1: <key>.xlsx, <key>.txt, <key>统计结果.txt
SAFETY_BOUND = 600  # seconds: only so that a broken run cannot hang the suite
RESULTS: list = []  # (fault, moment, exit code, status, consistent) for the closing table (-s prints it)

pytestmark = pytest.mark.skipif(shutil.which("qgis_process.bin") is None and shutil.which("qgis_process") is None,
                                reason="needs qgis_process")


class Runner:
    """qgis_process with the plugin from this checkout in a profile of its own."""

    def __init__(self, profile: Path) -> None:
        self.env = dict(os.environ, QGIS_PLUGINPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
                        QGIS_CUSTOM_CONFIG_PATH=str(profile), PYTHONDONTWRITEBYTECODE="1")
        # Debian 12's wrapper passes an option its qgis_process.bin rejects (see test_qgis_process.py).
        self.command = "qgis_process.bin" if shutil.which("qgis_process.bin") else "qgis_process"
        subprocess.run([self.command, "plugins", "enable", "citycomponents_plugin"], env=self.env, check=True,
                       capture_output=True, timeout=SAFETY_BOUND)

    def start(self, gpkg: Path, folder: Path, *extra: str) -> subprocess.Popen:
        args = [self.command, "run", "citycomponents:batchexport", "--",
                f"GRIDS={gpkg}|layername=单元网格", f"COMMITTEES={gpkg}|layername=社区居委会",
                f"COMPONENTS={gpkg}|layername=城市部件", "LEVELS=2", "FORMATS=0,1", f"OUTPUT_FOLDER={folder}", *extra]
        return subprocess.Popen(args, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def run(self, gpkg: Path, folder: Path, *extra: str) -> tuple:
        proc = self.start(gpkg, folder, *extra)
        out, _ = proc.communicate(timeout=SAFETY_BOUND)
        return proc.returncode, out


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    yield Runner(tmp_path_factory.mktemp("profile"))
    for row in RESULTS:  # the table of cases, for the record (shown with pytest -s)
        print(" | ".join(str(v) for v in row))


@pytest.fixture(scope="module")
def small_district(tmp_path_factory, qgis_app) -> Path:
    """The sample district at SCALE=0.02: 126 committees, a run of a few seconds."""
    from citycomponents_plugin.sample.district import generate_sample_district

    path = tmp_path_factory.mktemp("district") / "small.gpkg"
    generate_sample_district(str(path), scale=0.02, per_type_layers=False, seed=20130701)
    return path


# ----- moments --------------------------------------------------------------------------------------------
def _region_files(folder: Path) -> int:
    sub = folder / LEVEL_FOLDER
    return sum(1 for n in os.listdir(sub) if not n.startswith(".")) if sub.is_dir() else 0


MOMENTS = {
    "manifest written, no file yet": lambda f: (f / "manifest.json").exists(),
    "ledger written": lambda f: (f / "部件总表.xlsx").exists(),
    "half of the regions written": lambda f: _region_files(f) >= 63 * REGION_FILES,
}


def _wait_for(proc: subprocess.Popen, moment: str, folder: Path) -> None:
    deadline = time.monotonic() + SAFETY_BOUND
    while not MOMENTS[moment](folder):
        assert proc.poll() is None, f"the run ended before the moment '{moment}':\n{proc.stdout.read()[-2000:]}"
        assert time.monotonic() < deadline, "safety bound"
        time.sleep(0.005)


# ----- the folder invariant -------------------------------------------------------------------------------
def _rows_in_sheet(path: Path, sheet: int) -> int:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None, path
        return zf.read(f"xl/worksheets/sheet{sheet}.xml").count(b"<row")


def _text_lines(path: Path) -> list:
    return path.read_bytes().decode("utf-8-sig").splitlines()


def _check_complete(folder: Path, manifest: dict) -> None:
    """Every listed file is there, readable, and holds every row the manifest counts for it."""
    read = manifest["components_read"]
    for rel in manifest["files"]:
        path = folder / rel
        if rel == "部件总表.csv":
            assert len(list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))) == read + 1
        elif rel == "部件总表.xlsx":
            assert _rows_in_sheet(path, 1) == read + 1
        elif rel == "部件版本.json":  # the edition record: whole when its bytes are what the manifest hashed
            assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest["edition"]["sha256"]
            assert len(json.loads(path.read_bytes().decode("utf-8"))["rows"]) == read
        else:
            assert rel == "汇总.xlsx" and _rows_in_sheet(path, 1) > 1
    for entry in manifest["levels"]["committee"]:
        for rel in entry["files"]:
            path = folder / rel
            if rel.endswith("统计结果.txt"):
                assert len(_text_lines(path)) == 1 + len(entry["by_type"]), rel
            elif rel.endswith(".txt"):
                assert len(_text_lines(path)) == 1 + entry["total"], rel
            else:
                assert _rows_in_sheet(path, 2) == 1 + entry["total"], rel  # sheet 明细


def _listed(manifest: dict) -> set:
    return set(manifest["files"]) | {f for entries in manifest["levels"].values() for e in entries for f in e["files"]}


def _on_disk(folder: Path) -> tuple:
    """(final-name files but manifest.json and the lock, temporary files)"""
    files, temps = set(), []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            if name.startswith(".citycomponents-"):
                temps.append(rel)
            elif rel not in ("manifest.json", LOCK):
                files.add(rel)
    return files, temps


def _check_folder(folder: Path, status: str, exact: bool) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == status
    _check_complete(folder, manifest)
    files, _temps = _on_disk(folder)
    listed = _listed(manifest)
    assert listed <= files
    if exact:
        assert files == listed, sorted(files ^ listed)[:10]
    return manifest


# ----- the tests ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigint_cancels_with_a_consistent_folder_and_a_non_zero_exit(runner, small_district, tmp_path, moment):
    folder = tmp_path / "out"
    proc = runner.start(small_district, folder)
    _wait_for(proc, moment, folder)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=SAFETY_BOUND)
    assert proc.returncode != 0, out[-2000:]
    assert "cancelled" in out
    manifest = _check_folder(folder, "cancelled", exact=True)
    files, temps = _on_disk(folder)
    assert temps == [] and not (folder / LOCK).exists()
    RESULTS.append(("SIGINT", moment, proc.returncode, manifest["status"], f"{len(files)} files, all listed"))


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigkill_then_a_rerun_leaves_a_clean_folder(runner, small_district, tmp_path, moment):
    folder = tmp_path / "out"
    proc = runner.start(small_district, folder)
    _wait_for(proc, moment, folder)
    proc.kill()
    proc.communicate(timeout=SAFETY_BOUND)
    assert proc.returncode == -signal.SIGKILL
    # Killed outright: the manifest says "running" and lists only complete files; the lock is stale.
    manifest = _check_folder(folder, "running", exact=False)
    lock = json.loads((folder / LOCK).read_text(encoding="utf-8"))
    assert lock["pid"] == proc.pid and lock["tool"] == "batchexport"
    files, temps = _on_disk(folder)
    killed = f"{len(_listed(manifest))} listed of {len(files)} on disk, {len(temps)} temp"

    code, out = runner.run(small_district, folder, "OVERWRITE=true")
    assert code == 0, out[-2000:]
    assert "took it over" in out
    rerun = _check_folder(folder, "complete", exact=True)
    files, temps = _on_disk(folder)
    assert temps == [] and not (folder / LOCK).exists()
    assert len(rerun["levels"]["committee"]) == 126
    RESULTS.append(("SIGKILL", moment, proc.returncode, manifest["status"], killed))
    RESULTS.append(("rerun after SIGKILL", moment, code, rerun["status"], f"{len(files)} files, all listed, 0 temp"))


def test_a_second_run_into_the_same_folder_is_refused(runner, small_district, tmp_path):
    folder = tmp_path / "out"
    first = runner.start(small_district, folder)
    _wait_for(first, "manifest written, no file yet", folder)
    first.send_signal(signal.SIGSTOP)  # holds the lock for as long as the second run needs
    try:
        lock = json.loads((folder / LOCK).read_text(encoding="utf-8"))
        assert lock["pid"] == first.pid and lock["host"] and lock["started"]
        before = (folder / "manifest.json").read_bytes()
        code, out = runner.run(small_district, folder, "OVERWRITE=true")
        assert code != 0
        assert f"The output folder '{folder}' is in use by another run (batchexport, process {first.pid}" in out
        assert (folder / "manifest.json").read_bytes() == before  # the second run wrote nothing
    finally:
        first.send_signal(signal.SIGCONT)
    out, _ = first.communicate(timeout=SAFETY_BOUND)
    assert first.returncode == 0, out[-2000:]
    manifest = _check_folder(folder, "complete", exact=True)
    assert manifest["created"] == json.loads(before)["created"]  # the first run's manifest, the first run's files
    assert not (folder / LOCK).exists()
    RESULTS.append(("second run into a held folder", "first run holds the lock", code, "-", "refused, wrote nothing"))
    RESULTS.append(("first run, after the refused one", "-", first.returncode, manifest["status"],
                    f"{len(_listed(manifest))} files, all listed"))


def _mount_tmpfs(path: Path, size: int) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True,
                          timeout=60)
    return proc.returncode == 0


def test_a_full_disk_fails_with_exactly_the_complete_files_listed(runner, small_district, tmp_path):
    whole = tmp_path / "whole"
    code, out = runner.run(small_district, whole)
    assert code == 0, out[-2000:]
    total = sum(p.stat().st_size for p in whole.rglob("*") if p.is_file())
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, int(total * 0.8) // 4096 * 4096):
        pytest.skip("mounting a tmpfs needs root")
    try:
        folder = disk / "out"
        code, out = runner.run(small_district, folder)
        assert code != 0, out[-2000:]
        assert "The disk is full" in out and "No space left on device" in out
        manifest = _check_folder(folder, "failed", exact=True)
        assert "No space left on device" in manifest["error"]
        files, temps = _on_disk(folder)
        assert temps == [] and not (folder / LOCK).exists()
        regions = sum(1 for e in manifest["levels"]["committee"] if e["files"])
        assert 0 < regions < 126  # it failed among the regions: some were complete, some not
        RESULTS.append(("disk full (tmpfs of 80% of a run)", f"after {regions} of 126 regions", code,
                        manifest["status"], f"{len(files)} files, all listed, 0 temp"))
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, timeout=60)
