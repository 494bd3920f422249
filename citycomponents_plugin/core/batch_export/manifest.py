"""manifest.json (SPEC section 6): the machine-readable record of a batch run, without credentials."""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone

from citycomponents_plugin.core.audit.record import index_fingerprint, manifest_entry
from citycomponents_plugin.core.database.credentials import redact_source
from citycomponents_plugin.core.engine.district_index import LEVEL_PARAMETERS, DistrictIndex
from citycomponents_plugin.core.files.atomic import TEMP_PREFIX, TEMP_SUFFIX, write_bytes_atomic, write_error
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.core.messages import english
from citycomponents_plugin.core.version import generator_string

MANIFEST_NAME = "manifest.json"
STATUS_COMPLETE = "complete"
STATUS_CANCELLED = "cancelled"
STATUS_FAILED = "failed"
STATUS_RUNNING = "running"  # a run in progress, or one killed outright (its lock file is then stale)
ASSIGN_BY_NAMES = {0: "location", 1: "stored_code"}
MANIFEST_LEVEL_ORDER = [Level.GRID, Level.COMMITTEE, Level.STREET, Level.SUPERVISOR]

def new_manifest(index: DistrictIndex) -> dict:
    """The manifest's fixed part; `levels`, `files` and `status` are filled in as the run goes."""
    when = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    inputs: dict = {"GRIDS": {"source": redact_source(index.grid_source), "features": len(index.grids)},
                    "COMPONENTS": [{"source": redact_source(info.source), "features": int(info.features)}
                                   for info in index.layers]}
    for level in (Level.COMMITTEE, Level.STREET, Level.SUPERVISOR):
        data = index.levels.get(level)
        if data is not None:
            inputs[LEVEL_PARAMETERS[level][0]] = {"source": redact_source(data.source),
                                                  "features": len(data.regions)}
    return {
        "generator": generator_string(),
        "created": when,
        "inputs": inputs,
        "engine": index.engine,
        "assign_by": ASSIGN_BY_NAMES.get(index.assign_by, str(index.assign_by)),
        "components_read": int(index.components_read),
        "assigned": int(index.assigned),
        "unassigned": int(index.unassigned),
        "levels": {level.value: [] for level in MANIFEST_LEVEL_ORDER},
        "files": [],
        "status": STATUS_COMPLETE,
        # What the index build warned about (CRS, overlaps, numeric codes, encodings, uncovered grids).
        "warnings": [{"id": msg.id, "text": english(msg)} for msg in index.warnings],
        "audit": manifest_entry(index_fingerprint(index)),  # the audit of the same inputs, if one ran
    }


def region_entry(key: str, name: str, code: str, total: int, by_type: dict, files: list) -> dict:
    return {"key": key, "name": name, "code": code, "total": int(total), "by_type": by_type, "files": files}


def write_manifest(folder: str, manifest: dict) -> str:
    """Write manifest.json atomically (last, so it only ever describes complete files)."""
    path = os.path.join(os.path.realpath(folder), MANIFEST_NAME)
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    write_bytes_atomic(path, [data, b"\n"])
    return path


class ManifestReserve:
    """Disk space held for the last manifest: a run that fails on a full disk can still say what it finished.

    Why: after a disk-full error the manifest is the one file that must still be written. The space is
    held by a temporary file (swept like any other if the run is killed) and given back just before the
    last manifest is written.
    """

    def __init__(self, folder: str, size: int) -> None:
        self.path = os.path.join(os.path.realpath(folder), f"{TEMP_PREFIX}reserve-{uuid.uuid4().hex}{TEMP_SUFFIX}")
        block = b"\0" * 65536
        try:
            with open(self.path, "xb") as fh:
                for _ in range(0, size, len(block)):
                    fh.write(block)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            self.release()
            raise write_error(os.path.join(folder, MANIFEST_NAME), exc) from exc

    def release(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass


def reserve_manifest_space(folder: str, plans: list, index: DistrictIndex) -> ManifestReserve:
    """Reserve twice a generous estimate of the final manifest (atomic write: the old and the new copy)."""
    types = len(index.type_names)
    estimate = 65536
    for plan in plans:
        for region, members, paths in zip(plan.regions, plan.members, plan.paths):
            estimate += 400 + 3 * len(region.key.encode("utf-8")) + 40 * min(types, len(members)) + \
                sum(3 * len(p) for p in paths)
    return ManifestReserve(folder, 2 * estimate)
