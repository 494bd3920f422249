"""The major class (大类) of each component, and how each class is drawn in a booklet.

Why: a supervisor scans a grid map by class (manholes vs. trees vs. kiosks), and the cover totals are
per class. The class comes from the 标识码 (digits 7-8); when the code is malformed the type name is
looked up in the classification table, else the component is counted under "其他".
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from typing import Optional

import numpy as np

RESOURCE_TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "component_types.csv")
OTHER = "00"  # not a real major code: components whose class could not be found


@dataclass(frozen=True)
class MajorClass:
    """A major class with its print style (colour plus a marker shape, so grey-scale prints still work)."""

    code: str
    name: str
    color: str
    shape: str  # QgsSimpleMarkerSymbolLayerBase shape name


MAJOR_CLASSES = [
    MajorClass("01", "公用设施", "#1f5fbf", "circle"),
    MajorClass("02", "道路交通", "#e07b00", "square"),
    MajorClass("03", "市容环境", "#8e3ab8", "diamond"),
    MajorClass("04", "园林绿化", "#2e9a3a", "triangle"),
    MajorClass("05", "房屋土地", "#a0522d", "pentagon"),
    MajorClass("06", "其他设施", "#d0267a", "star"),
]
OTHER_CLASS = MajorClass(OTHER, "其他", "#555555", "cross2")
ALL_CLASSES = MAJOR_CLASSES + [OTHER_CLASS]
CLASS_BY_CODE = {c.code: c for c in ALL_CLASSES}


def load_type_table(path: Optional[str] = None) -> dict:
    """Type name -> major code from the classification table (both naming columns); {} if absent.

    The table is editable reference data (SPEC 3): a missing or unreadable copy only means fewer
    malformed codes can be classified, never a failed booklet.
    """
    path = path or RESOURCE_TABLE
    table: dict = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                major = (row.get("major_code") or "").strip().zfill(2)
                if major not in CLASS_BY_CODE:
                    continue
                for col in ("name", "name_beijing"):
                    name = (row.get(col) or "").strip()
                    if name:
                        table.setdefault(name, major)
    except (OSError, csv.Error, UnicodeDecodeError):
        return {}
    return table


def major_codes(ids: np.ndarray, type_names: np.ndarray, type_table: dict) -> np.ndarray:
    """Major code per component: 标识码[6:8] for 16/17-digit codes, else the type table, else OTHER."""
    ids = np.asarray(ids, dtype=str)
    out = np.full(len(ids), OTHER, dtype="<U2")
    if not len(ids):
        return out
    digits = np.char.isdigit(ids) & np.isin(np.char.str_len(ids), (16, 17))
    from_id = np.array([s[6:8] for s in ids.tolist()], dtype="<U2")
    known = np.isin(from_id, [c.code for c in MAJOR_CLASSES])
    good = digits & known
    out[good] = from_id[good]
    rest = np.nonzero(~good)[0]
    if len(rest):
        names = np.asarray(type_names, dtype=str)[rest].tolist()
        out[rest] = [type_table.get(n.strip(), OTHER) for n in names]
    return out


def class_totals(codes: np.ndarray) -> list:
    """(MajorClass, count) for the six classes (always listed, zeros included) and 其他 when present."""
    counts = {c.code: 0 for c in ALL_CLASSES}
    values, n = np.unique(np.asarray(codes, dtype=str), return_counts=True)
    for v, c in zip(values.tolist(), n.tolist()):
        counts[v] = counts.get(v, 0) + int(c)
    rows = [(c, counts[c.code]) for c in MAJOR_CLASSES]
    if counts[OTHER]:
        rows.append((OTHER_CLASS, counts[OTHER]))
    return rows
