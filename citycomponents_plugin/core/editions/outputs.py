"""The comparison's files: 变更.xlsx (a summary per level, per type, the detail) and changes.json.

Codes stay text (the workbook helpers force it); both files are written under a temporary name and
renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import math
import os
from typing import Optional

import numpy as np

from citycomponents_plugin.core.editions.compare import (
    CLASS_LABELS,
    CLASS_NAMES,
    UNCHANGED,
    Comparison,
    level_rows,
    levels_present,
)
from citycomponents_plugin.core.files.atomic import atomic_file, write_bytes_atomic
from citycomponents_plugin.core.files.workbook import SheetData, display_width, prepare_row, write_workbook
from citycomponents_plugin.core.levels import Level

WORKBOOK_NAME = "变更.xlsx"
JSON_NAME = "changes.json"
DETAIL_SHEET = "变更明细"
TYPE_SHEET = "按类型"
ID_SHEET = "标识码问题"
DETAIL_HEADERS = ("标识码", "变更类别", "名称", "原网格", "新网格", "移动距离(m)", "原因", "变更属性", "原值", "新值")
PROBLEM_LABELS = {"duplicate": "重复标识码", "malformed": "编码格式错误", "empty": "标识码为空"}
JSON_LEVEL_ORDER = [Level.GRID, Level.COMMITTEE, Level.STREET, Level.SUPERVISOR]


def change_rows(comparison: Comparison) -> list:
    """Rows of the comparison that are changes (not unchanged), in 标识码 order."""
    return np.nonzero(comparison.klass != UNCHANGED)[0].tolist()


def change_record(comparison: Comparison, row: int) -> dict:
    """One change as changes.json writes it."""
    b, a = int(comparison.before[row]), int(comparison.after[row])
    grid_e = comparison.earlier.regions.get(Level.GRID)
    grid_l = comparison.later.regions.get(Level.GRID)
    dist = float(comparison.distance[row])
    return {
        "id": str(comparison.later.ids[a] if a >= 0 else comparison.earlier.ids[b]),
        "class": CLASS_NAMES[int(comparison.klass[row])],
        "type": str(comparison.later.types[a] if a >= 0 else comparison.earlier.types[b]),
        "grid_before": str(grid_e[b]) if b >= 0 and grid_e is not None else None,
        "grid_after": str(grid_l[a]) if a >= 0 and grid_l is not None else None,
        "distance": round(dist, 3) if math.isfinite(dist) else None,
        "reason": str(comparison.reason[row]),
        "attributes": comparison.attribute_changes(row),
    }


def detail_row(rec: dict) -> tuple:
    """A change as a row of DETAIL_HEADERS (变更.xlsx, the batch's 变更 sheets, the CHANGES layer): all text."""
    attrs = rec["attributes"]
    return (rec["id"], CLASS_LABELS[CLASS_NAMES.index(rec["class"])], rec["type"], rec["grid_before"] or "",
            rec["grid_after"] or "", "" if rec["distance"] is None else f"{rec['distance']:.2f}", rec["reason"],
            "、".join(attrs), "; ".join(v[0] for v in attrs.values()), "; ".join(v[1] for v in attrs.values()))


def edition_record(edition) -> dict:
    return {"label": edition.label, "date": edition.date, "components": int(edition.count),
            "sources": list(edition.sources)}


def comparison_json(comparison: Comparison, regions: dict, records: Optional[list] = None) -> dict:
    """The machine-readable record: editions, counts, every change, counts per region at every level."""
    records = records if records is not None else [change_record(comparison, r) for r in change_rows(comparison)]
    levels = {}
    present = levels_present(comparison)
    for level in JSON_LEVEL_ORDER:
        if level not in present:
            continue
        out = []
        for key, name, code, counts, by_type in level_rows(comparison, level, regions.get(level, [])):
            entry = {"key": key, "name": name, "code": code}
            entry.update({c: int(n) for c, n in zip(CLASS_NAMES, counts)})
            entry["by_type"] = {t: {c: int(n) for c, n in zip(CLASS_NAMES, v) if n} for t, v in by_type.items()}
            out.append(entry)
        levels[level.value] = out
    return {
        "earlier": edition_record(comparison.earlier),
        "later": edition_record(comparison.later),
        "tolerance": comparison.tolerance,
        "counts": comparison.counts(),
        "compared_fields": comparison.compared_fields,
        "fields_only_earlier": comparison.fields_only_earlier,
        "fields_only_later": comparison.fields_only_later,
        "id_problems": comparison.id_problems,
        "changes": records,
        "levels": levels,
    }


def json_lines(data: dict) -> list:
    """changes.json as text: a key per line, one line per change and per region (readable, and written
    by the C encoder: indent= would take the pure-Python one, several seconds for a whole district)."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        value = data[key]
        end = "," if n + 1 < len(keys) else ""
        if key == "changes":
            lines.append(f' "{key}": [')
            lines += ["  " + dump(c) + ("," if i + 1 < len(value) else "") for i, c in enumerate(value)]
            lines.append(" ]" + end)
        elif key == "levels":
            lines.append(f' "{key}": {{')
            for m, (level, entries) in enumerate(value.items()):
                lines.append(f'  "{level}": [')
                lines += ["   " + dump(e) + ("," if i + 1 < len(entries) else "") for i, e in enumerate(entries)]
                lines.append("  ]" + ("," if m + 1 < len(value) else ""))
            lines.append(" }" + end)
        else:
            lines.append(f" {dump(key)}: {dump(value)}{end}")
    lines.append("}")
    return lines


def write_json(folder: str, data: dict) -> str:
    path = os.path.join(folder, JSON_NAME)
    write_bytes_atomic(path, [("\n".join(json_lines(data)) + "\n").encode("utf-8")])
    return path


def _widths(headers, rows) -> list:
    widths = [display_width(str(h)) for h in headers]
    for row in rows:
        for i, v in enumerate(row):
            w = display_width(v) if isinstance(v, str) else len(f"{v:,}") if isinstance(v, int) else 8
            if w > widths[i]:
                widths[i] = w
    return widths


def _sheet(title: str, headers, rows, count_columns=()) -> SheetData:
    rows = list(rows)
    return SheetData(title, headers, [prepare_row(r) for r in rows], len(rows), _widths(headers, rows),
                     count_columns=count_columns)


def workbook_sheets(comparison: Comparison, regions: dict, records: list) -> list:
    """Summary per level (a row per region: counts per class, then changes per type), per type, detail."""
    sheets = []
    types = sorted(set(comparison.types().tolist()))
    for level in levels_present(comparison):
        rows = []
        for key, name, code, counts, by_type in level_rows(comparison, level, regions.get(level, [])):
            per_type = [sum(by_type.get(t, [0] * 5)[:4]) for t in types]
            rows.append((code or (key if level == Level.GRID else ""), name, *[int(c) for c in counts], *per_type))
        headers = ("代码", "名称", *CLASS_LABELS, *types)
        sheets.append(_sheet(level.label, headers, rows, count_columns=range(2, len(headers))))
    tnames = comparison.types()
    cube = np.bincount(np.searchsorted(types, tnames) * 5 + comparison.klass, minlength=len(types) * 5)
    cube = cube.reshape(len(types), 5)
    sheets.append(_sheet(TYPE_SHEET, ("名称", *CLASS_LABELS), [(t, *cube[i].tolist()) for i, t in enumerate(types)],
                         count_columns=range(1, 6)))
    sheets.append(_sheet(DETAIL_SHEET, DETAIL_HEADERS, [detail_row(rec) for rec in records]))
    problems = [(p["id"], PROBLEM_LABELS.get(p["problem"], p["problem"]), int(p["earlier"]), int(p["later"]))
                for p in comparison.id_problems]
    sheets.append(_sheet(ID_SHEET, ("标识码", "问题", "早期版本中", "后期版本中"), problems, count_columns=(2, 3)))
    return sheets


def write_workbook_file(folder: str, comparison: Comparison, regions: dict, records: list) -> str:
    path = os.path.join(folder, WORKBOOK_NAME)
    with atomic_file(path) as fh:
        write_workbook(fh, workbook_sheets(comparison, regions, records))
    return path


def district_regions(index) -> dict:
    """(key, name, code) of every region of every level of a built district index."""
    out = {}
    for level in index.levels_present():
        codes = index.region_codes(level)
        out[level] = [(r.key, r.name, c) for r, c in zip(index.regions(level), codes)]
    return out
