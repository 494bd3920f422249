"""manifest.json (SPEC section 6): the machine-readable record of a batch run, without credentials."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from citycomponents_plugin.core.database.credentials import redact_source
from citycomponents_plugin.core.engine.district_index import LEVEL_PARAMETERS, DistrictIndex
from citycomponents_plugin.core.files.atomic import write_bytes_atomic
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.core.version import generator_string

MANIFEST_NAME = "manifest.json"
STATUS_COMPLETE = "complete"
STATUS_CANCELLED = "cancelled"
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
    }


def region_entry(key: str, name: str, code: str, total: int, by_type: dict, files: list) -> dict:
    return {"key": key, "name": name, "code": code, "total": int(total), "by_type": by_type, "files": files}


def write_manifest(folder: str, manifest: dict) -> str:
    """Write manifest.json atomically (last, so it only ever describes complete files)."""
    path = os.path.join(os.path.realpath(folder), MANIFEST_NAME)
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    write_bytes_atomic(path, [data, b"\n"])
    return path
