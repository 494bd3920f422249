"""An edition recorded in a batch-export folder: the manifest's "edition" key and 部件版本.json beside it.

Why a file of its own: a later comparison needs only the folder, and must say what changed (old
values), not only that something did; so each component is recorded with its point, its region at
every level, a content hash and its attribute values. The manifest names the file and its SHA-256,
so an edited or truncated record is refused rather than compared.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date as date_type

import numpy as np

from citycomponents_plugin.core.batch_export.manifest import MANIFEST_NAME, redact_source
from citycomponents_plugin.core.editions.edition import Edition, content_hashes
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.atomic import write_bytes_atomic
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level

EDITION_FILE = "部件版本.json"
EDITION_FORMAT = 1
EDITION_KEY = "edition"
_FIXED = ["id", "type", "x", "y"]


def edition_payload(edition: Edition) -> tuple:
    """(file bytes, manifest entry) recording an edition."""
    levels = [lvl for lvl in LEVEL_ORDER if lvl in edition.regions]
    attrs = sorted(edition.attributes)
    hashes = content_hashes(edition)
    xs = np.where(edition.valid, np.round(edition.x, 3), np.nan).tolist()
    ys = np.where(edition.valid, np.round(edition.y, 3), np.nan).tolist()
    columns = [edition.ids.tolist(), edition.types.tolist(), [None if x != x else x for x in xs],
               [None if y != y else y for y in ys]]
    columns += [edition.regions[lvl].tolist() for lvl in levels]
    columns.append(hashes.tolist())
    columns += [edition.attributes[a].tolist() for a in attrs]
    data = {"format": EDITION_FORMAT, "levels": [lvl.value for lvl in levels], "attributes": attrs,
            "status_field": edition.status_field, "columns": _FIXED + [lvl.value for lvl in levels] + ["hash"] + attrs,
            "rows": [list(r) for r in zip(*columns)]}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    entry = {"date": edition.date or date_type.today().isoformat(),
             "source": [redact_source(s) for s in edition.sources], "file": EDITION_FILE,
             "components": int(edition.count), "sha256": hashlib.sha256(raw).hexdigest(),
             "component_hash": "blake2b-64 of type, point (cm) and attribute values"}
    return raw, entry


def record_edition(folder: str, manifest: dict, edition: Edition) -> None:
    """Write 部件版本.json into a batch folder and name it in the manifest (the batch export's hook)."""
    raw, entry = edition_payload(edition)
    write_bytes_atomic(os.path.join(folder, EDITION_FILE), [raw])
    manifest[EDITION_KEY] = entry
    manifest["files"].append(EDITION_FILE)


def read_folder_edition(folder: str, parameter: str = "EARLIER_FOLDER") -> Edition:
    """The edition a batch-export folder records; an error naming the folder when it records none."""
    def unusable(reason: str) -> CityComponentsError:
        return CityComponentsError("edition_folder_unusable", parameter, folder=folder, reason=reason)

    try:
        with open(os.path.join(folder, MANIFEST_NAME), "rb") as fh:
            manifest = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise unusable(f"{MANIFEST_NAME}: {exc}") from exc
    entry = manifest.get(EDITION_KEY) if isinstance(manifest, dict) else None
    if not isinstance(entry, dict) or "file" not in entry:
        raise unusable(f"{MANIFEST_NAME} has no '{EDITION_KEY}'")
    path = os.path.join(folder, os.path.basename(str(entry["file"])))
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise unusable(f"{entry['file']}: {exc.strerror or exc}") from exc
    if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
        raise unusable(f"{entry['file']} differs from the SHA-256 the manifest records")
    data = json.loads(raw.decode("utf-8"))
    if data.get("format") != EDITION_FORMAT:
        raise unusable(f"{entry['file']}: format {data.get('format')!r}")
    cols = list(zip(*data["rows"])) if data["rows"] else [()] * len(data["columns"])
    by_name = dict(zip(data["columns"], cols))

    def text(name: str) -> np.ndarray:
        return np.array(by_name[name], dtype=str) if len(by_name[name]) else np.zeros(0, dtype=str)

    def coord(name: str) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in by_name[name]], dtype=float)

    regions = {Level(v): text(v) for v in data["levels"]}
    attributes = {a: text(a) for a in data["attributes"]}
    return Edition(f"{folder} ({entry.get('date', '')})", str(entry.get("date", "")), text("id"), text("type"),
                   coord("x"), coord("y"), regions, attributes, data.get("status_field"),
                   list(entry.get("source", [])), text("hash"))
