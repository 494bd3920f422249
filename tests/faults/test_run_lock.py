"""The output folder's run lock: who holds it, when it is stale, what a new holder sweeps (SPEC 6)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.run_lock import LOCK_NAME, RunLock, process_alive


def _dead_pid() -> int:
    """The pid of a process that has just ended (and was reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True, timeout=60)
    return int(proc.stdout)


def _write_lock(folder, **record) -> None:
    base = {"pid": os.getpid(), "host": socket.gethostname(), "tool": "booklet", "started": "2026-01-01T08:00:00+08:00"}
    base.update(record)
    (folder / LOCK_NAME).write_text(json.dumps(base), encoding="utf-8")


def test_the_lock_names_its_holder_and_goes_with_it(tmp_path):
    with RunLock(str(tmp_path), "batchexport") as lock:
        record = json.loads((tmp_path / LOCK_NAME).read_text(encoding="utf-8"))
        assert record["pid"] == os.getpid() and record["host"] == socket.gethostname()
        assert record["tool"] == "batchexport" and record["started"][:2] == "20"
        assert lock.took_over is None and lock.swept == []
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_live_holder_refuses_a_second_run_naming_folder_and_run(tmp_path):
    _write_lock(tmp_path)  # this very process: alive
    with pytest.raises(CityComponentsError) as err:
        RunLock(str(tmp_path), "batchexport").acquire()
    text = str(err.value)
    assert text.startswith(f"The output folder '{tmp_path}' is in use by another run (booklet, process {os.getpid()} "
                           f"on {socket.gethostname()}, started 2026-01-01T08:00:00+08:00)")
    assert LOCK_NAME in text and "OUTPUT_FOLDER" in text
    assert json.loads((tmp_path / LOCK_NAME).read_text(encoding="utf-8"))["tool"] == "booklet"  # left alone


def test_a_stale_lock_is_taken_over_and_dead_runs_temporaries_swept(tmp_path):
    pid = _dead_pid()
    assert not process_alive(pid)
    _write_lock(tmp_path, pid=pid)
    (tmp_path / "社区居委会").mkdir()
    temps = [tmp_path / ".citycomponents-0a1b.tmp", tmp_path / "社区居委会" / ".citycomponents-2c3d.tmp",
             tmp_path / ".citycomponents-4e5f.pdf"]
    kept = [tmp_path / "a.tmp", tmp_path / ".hidden", tmp_path / "社区居委会" / "甲.xlsx"]
    for path in temps + kept:
        path.write_bytes(b"x")
    with RunLock(str(tmp_path), "booklet") as lock:
        assert lock.took_over["pid"] == pid
        assert sorted(lock.swept) == sorted(str(p) for p in temps)
        assert json.loads((tmp_path / LOCK_NAME).read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert [p.exists() for p in temps] == [False] * 3 and all(p.exists() for p in kept)


def test_a_lock_from_another_host_is_never_taken_as_stale(tmp_path):
    _write_lock(tmp_path, pid=_dead_pid(), host="another-host.example")
    with pytest.raises(CityComponentsError, match="on another-host.example"):
        RunLock(str(tmp_path), "batchexport").acquire()


def test_an_unreadable_lock_is_a_run_starting_unless_it_is_old(tmp_path):
    (tmp_path / LOCK_NAME).write_bytes(b"")  # a run killed between creating and writing it, or one writing now
    with pytest.raises(CityComponentsError, match="in use by another run"):
        RunLock(str(tmp_path), "batchexport").acquire()
    old = time.time() - 60
    os.utime(tmp_path / LOCK_NAME, (old, old))
    with RunLock(str(tmp_path), "batchexport") as lock:
        assert lock.took_over == {}


def test_the_batch_export_refuses_a_held_folder_before_writing(tmp_path, qgis_app):
    from citycomponents_plugin.core.batch_export import exporter
    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    import district_fixtures as dfx

    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]]))
    out = tmp_path / "out"
    out.mkdir()
    _write_lock(out)
    with pytest.raises(CityComponentsError, match="is in use by another run"):
        exporter.export_district(index, str(out), formats=["txt"])
    assert sorted(os.listdir(out)) == [LOCK_NAME]
    (out / LOCK_NAME).unlink()
    m = exporter.export_district(index, str(out), formats=["txt"])
    assert m["status"] == "complete"
    assert sorted(os.listdir(out)) == ["manifest.json", "单元网格", "汇总.xlsx", "部件总表.csv"]
