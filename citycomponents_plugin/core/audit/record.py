"""Which audit ran on which inputs: the booklet cover and the batch manifest carry its headline counts.

Why a record: the audit, the batch export and the booklets are separate runs (toolbox, qgis_process,
the panel). Each audit remembers its counts under a fingerprint of the engine's inputs (layer sources
with their files' size and time, the fields used, the mode); a later run on the same inputs finds it,
a run on other or edited inputs finds none and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Optional

RECORD_ENV = "CITYCOMPONENTS_AUDIT_RECORD"
RECORD_NAME = "audit_runs.json"
KEEP = 50  # audits remembered (the newest)



def _file_state(source: str) -> list:
    """Size and modification time of a file source (the part before '|'), so an edited file is new input."""
    path = (source or "").split("|")[0]
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return []
    return [st.st_size, st.st_mtime_ns]


def fingerprint(*, grid_source: str, grid_code_field: str, levels: dict, layers: list, kind: int,
                assign_by: int) -> str:
    """A digest of the engine inputs: levels {Level: (source, key field)}, layers [(source, id, type, grid attr)]."""
    data = {
        "grids": [grid_source, grid_code_field, _file_state(grid_source)],
        "levels": {lv.value: [src, key, _file_state(src)] for lv, (src, key) in sorted(levels.items(),
                                                                                       key=lambda kv: kv[0].value)},
        "layers": [[src, idf, tf, gf, _file_state(src)] for src, idf, tf, gf in layers],
        "kind": int(kind), "assign_by": int(assign_by),
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def index_fingerprint(index) -> str:
    """The fingerprint of the inputs a DistrictIndex was built from (batch export, booklets)."""
    return fingerprint(grid_source=index.grid_source, grid_code_field=index.grid_code_field,
                       levels={lv: (d.source, d.key_field) for lv, d in index.levels.items()},
                       layers=[(i.source, i.id_field, i.type_field, i.grid_attr_field) for i in index.layers],
                       kind=index.kind, assign_by=index.assign_by)


def record_path() -> str:
    """Where audits are remembered: $CITYCOMPONENTS_AUDIT_RECORD, else the QGIS profile's folder."""
    env = os.environ.get(RECORD_ENV)
    if env:
        return env
    from qgis.core import QgsApplication

    return os.path.join(QgsApplication.qgisSettingsDirPath(), "citycomponents", RECORD_NAME)


def _read(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(key: str, entry: dict, path: Optional[str] = None) -> None:
    """Remember an audit's headline under its inputs' fingerprint; a record that cannot be written is skipped.

    Why skipped: the audit's own files are written already; only the later cross-reference is lost.
    """
    from citycomponents_plugin.core.files.atomic import write_bytes_atomic

    path = path or record_path()
    data = _read(path)
    data.pop(key, None)
    data[key] = entry
    data = dict(list(data.items())[-KEEP:])
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write_bytes_atomic(path, [json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")])
    except Exception:  # noqa: BLE001 - CityComponentsError or OSError: the record is a convenience
        return


def last_audit(key: str, path: Optional[str] = None) -> Optional[dict]:
    """The remembered audit of these inputs whose audit.json still exists, else None."""
    entry = _read(path or record_path()).get(key)
    if not isinstance(entry, dict) or not os.path.isfile(str(entry.get("path", ""))):
        return None
    return entry


def manifest_entry(key: str, path: Optional[str] = None) -> dict:
    """The manifest's `audit` value: {"ran": false} or when, where and the count per check."""
    entry = last_audit(key, path)
    if entry is None:
        return {"ran": False}
    return {"ran": True, "created": entry.get("created", ""), "path": entry.get("path", ""),
            "counts": dict(entry.get("counts", {}))}


def headline_lines(key: str, path: Optional[str] = None, most: int = 3) -> list:
    """The cover's lines, in Chinese like the rest of the cover: when the audit of these inputs ran and
    what it found (the `most` largest counts), or that none ran."""
    from citycomponents_plugin.core.audit.checks import CHECK_BY_ID

    entry = last_audit(key, path)
    if entry is None:
        return ["数据检查：同一输入未做过数据检查"]
    counts = {k: int(v) for k, v in dict(entry.get("counts", {})).items() if int(v)}
    when = str(entry.get("created", ""))[:16].replace("T", " ")
    if not counts:
        return [f"数据检查（{when}）：未发现问题"]
    lines = [f"数据检查（{when}）：{len(counts)} 项检查发现问题 {sum(counts.values())} 个"]
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{CHECK_BY_ID[k].label if k in CHECK_BY_ID else k} {v}" for k, v in top[:most]]
    lines.append("、".join(parts) + ("等" if len(top) > most else ""))
    return lines


def cover_lines(index) -> list:
    """The booklet cover's hook: the headline of the audit that ran on this index's inputs."""
    return headline_lines(index_fingerprint(index))
