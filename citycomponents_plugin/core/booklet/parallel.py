"""Booklets in worker processes: the areas of one run shared out, each worker writing whole booklets.

Why processes: a booklet is a QGIS layout rendered on one thread (fonts and painters are not shared
between threads), so a second core only helps in a second process. Each worker starts QGIS once, gets
the district index once (pickled, geometries as WKB) and then writes one area after the other as the
parent hands them out, largest first, so the workers finish together. The parent stays the only one
that talks to the user: it reports progress and, when cancelled, hands out no further area and waits
for the booklets being written (each is moved into place whole, so none is left half-written).
"""

from __future__ import annotations

import copy
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from typing import Optional, Sequence

from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

from citycomponents_plugin.core.errors import CityComponentsError

WORKER_MODULE = "citycomponents_plugin.core.booklet.worker"
DONE, FAILED = "done", "failed"
TICK_S = 0.2


def worker_count(requested: int, areas: int) -> int:
    """0 means one per processor core; never more workers than areas."""
    wanted = requested if requested > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, areas))


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path, folder]) == folder


def python_interpreter() -> Optional[str]:
    """The Python of the installation running this code, to start workers with (None when not found).

    Inside QGIS or qgis_process `sys.executable` is the QGIS program, or whichever python3 comes
    first on PATH, so only an interpreter inside this installation's prefix is taken (a virtual
    environment's own python counts: its prefix is the environment).
    """
    exe = sys.executable or ""
    if (os.path.basename(exe).lower().startswith("python") and os.path.isfile(exe)
            and (_inside(exe, sys.prefix) or _inside(exe, sys.base_exec_prefix))):
        return exe
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for folder in (os.path.join(sys.base_exec_prefix, "bin"), sys.base_exec_prefix):
        for name in (f"python{version}", "python3", "python3.exe", "python.exe"):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def portable_index(index) -> bytes:
    """The index as bytes a worker can load: QGIS geometries and the CRS travel as WKB and WKT."""
    plain = copy.copy(index)
    plain.grid_geometries = _wkb(index.grid_geometries)
    plain.levels = {level: copy.copy(data) for level, data in index.levels.items()}
    for data in plain.levels.values():  # the regions' own polygons (the audit's), when kept
        data.geometries = _wkb(data.geometries)
    plain.grid_crs = index.grid_crs.toWkt() if index.grid_crs is not None else None
    plain._region_cache = {}
    return pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)


def restore_index(data: bytes):
    """The inverse of portable_index, in the worker."""
    index = pickle.loads(data)
    index.grid_geometries = _geometries(index.grid_geometries)
    for level_data in index.levels.values():
        level_data.geometries = _geometries(level_data.geometries)
    if index.grid_crs is not None:
        index.grid_crs = QgsCoordinateReferenceSystem.fromWkt(index.grid_crs)
    return index


def _wkb(geometries: list) -> list:
    return [None if g is None else bytes(g.asWkb()) for g in geometries]


def _geometries(blobs: list) -> list:
    out = []
    for wkb in blobs:
        if wkb is None:
            out.append(None)
        else:
            geom = QgsGeometry()
            geom.fromWkb(wkb)
            out.append(geom)
    return out


def worker_env() -> dict:
    """The parent's environment, plus its module path (QGIS's Python and this plugin) for the worker."""
    env = dict(os.environ)
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    plugin_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    env["PYTHONPATH"] = os.pathsep.join([plugin_parent] + paths)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


class _Worker:
    """One worker process; a thread turns its answer lines into (worker, kind, job) events."""

    def __init__(self, python: str, job_file: str, events: queue.Queue, env: dict) -> None:
        self.proc = subprocess.Popen([python, "-m", WORKER_MODULE, job_file], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                                     encoding="utf-8", bufsize=1)
        self.busy: Optional[int] = None
        self.stderr: list = []
        threading.Thread(target=self._read, args=(events,), daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _read(self, events: queue.Queue) -> None:
        for line in self.proc.stdout:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind in (DONE, FAILED):
                events.put((self, kind, rest))
        events.put((self, "exit", ""))

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.stderr = (self.stderr + [line])[-40:]

    def give(self, job: int) -> None:
        self.busy = job
        self.proc.stdin.write(f"{job}\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass


def write_in_workers(index, jobs: Sequence[tuple], workers: int, python: str, on_start, on_done, cancelled,
                     settings: dict, on_tick=lambda: None) -> None:
    """Write every job (supervisor-area Region, target path, weight) in `workers` processes.

    `on_start(job)` is called as a job is handed out (after `cancelled()` said no), `on_done(job,
    seconds)` when its file is in place, `on_tick()` every TICK_S while waiting. Raises
    CityComponentsError when a worker fails.
    """
    order = sorted(range(len(jobs)), key=lambda j: -jobs[j][2])  # largest first: the workers end together
    with tempfile.TemporaryDirectory(prefix="citycomponents-booklets-") as tmp:
        job_file = os.path.join(tmp, "job.pickle")
        with open(job_file, "wb") as fh:
            pickle.dump({"index": portable_index(index), "jobs": [(r, t) for r, t, _w in jobs], **settings}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        events: queue.Queue = queue.Queue()
        env = worker_env()
        pool = [_Worker(python, job_file, events, env) for _ in range(workers)]
        failure = None
        try:
            for w in pool:
                if order and not cancelled():
                    on_start(order[0])
                    w.give(order.pop(0))
            running = sum(1 for w in pool if w.busy is not None)
            for w in pool:
                if w.busy is None:
                    w.close()
            while running:
                try:
                    w, kind, rest = events.get(timeout=TICK_S)
                except queue.Empty:
                    on_tick()  # the panel repaints and takes a Cancel click while the workers write
                    continue
                if kind == DONE:
                    job, seconds = rest.split(" ")
                    w.busy = None
                    running -= 1
                    on_done(int(job), float(seconds))
                elif kind == FAILED:
                    failure = failure or (w.busy, rest)
                    w.busy = None
                    running -= 1
                elif w.busy is not None:  # exited while writing a booklet
                    failure = failure or (w.busy, "".join(w.stderr[-5:]).strip() or f"exit {w.proc.wait()}")
                    w.busy = None
                    running -= 1
                    continue
                else:
                    continue
                if failure is None and order and not cancelled():
                    on_start(order[0])
                    w.give(order.pop(0))
                    running += 1
                else:
                    w.close()
        finally:
            for w in pool:
                w.close()
            for w in pool:
                try:
                    w.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    w.proc.kill()
                    w.proc.wait()
                for pipe in (w.proc.stdout, w.proc.stderr):
                    pipe.close()
        if failure is not None:
            job, reason = failure
            area = jobs[job][0].key if job is not None else ""
            raise CityComponentsError("booklet_worker_failed", "WORKERS", area=area, reason=reason)
