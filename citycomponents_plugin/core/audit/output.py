"""audit.xlsx, audit.json and the problem layers: one AuditResult, three views of it.

The sheet headers are the domain's Chinese labels, codes are text cells (core/files/workbook.py),
and the explanations are in the UI language (zh_CN shipped). Both files are written atomically.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFields,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.audit.checks import CHECKS, COMPONENT, HEADERS, REGION, say
from citycomponents_plugin.core.audit.record import remember
from citycomponents_plugin.core.audit.run import REASON_LABELS, AuditResult, point_geometry
from citycomponents_plugin.core.files.atomic import atomic_path, prepare_folder, write_bytes_atomic
from citycomponents_plugin.core.files.workbook import SheetData, display_widths, prepare_row, write_workbook
from citycomponents_plugin.core.version import generator_string

XLSX_NAME = "audit.xlsx"
JSON_NAME = "audit.json"
SUMMARY_SHEET = "汇总"
SUMMARY_HEADERS = ("检查", "编号", "说明", "个数", "处理办法")
# Problem layer fields (text, except fid): the check id and its sentence first, as the issue asks.
POINT_FIELDS = ("check", "explanation", "标识码", "图层", "fid", "detail")
REGION_FIELDS = ("check", "explanation", "对象", "层级", "detail")
COLORS = ("#d7191c", "#fdae61", "#2b83ba", "#7b3294", "#1a9641", "#e66101", "#5e3c99", "#008837", "#ca0020")


def write_audit(result: AuditResult, folder: str, remember_run: bool = True) -> dict:
    """Write audit.xlsx and audit.json into `folder`; returns {"xlsx": path, "json": path}."""
    prepare_folder(folder)
    folder = os.path.realpath(folder)
    xlsx_path = os.path.join(folder, XLSX_NAME)
    json_path = os.path.join(folder, JSON_NAME)
    with atomic_path(xlsx_path, ".xlsx") as tmp:
        write_workbook(tmp, _sheets(result))
    doc = audit_document(result)
    write_bytes_atomic(json_path, [json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"), b"\n"])
    if remember_run:
        remember(result.fingerprint, {"created": doc["created"], "path": json_path, "counts": result.counts()})
    return {"xlsx": xlsx_path, "json": json_path}


def audit_document(result: AuditResult) -> dict:
    """audit.json: generator, created, profile, inputs, and per check id, count, explanation and items."""
    return {
        "generator": generator_string(),
        "created": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "profile": {"id": result.id_profile.name, "grid": result.grid_profile.name},
        "inputs": result.inputs,
        "components_read": result.components_read,
        "grids_read": result.grids_read,
        "checks": [{"id": c.check.id, "count": c.count, "explanation": say(c.check.explanation),
                    "items": c.items} for c in result.checks],
    }


def _text(key: str, value) -> object:
    """A cell: numbers stay numbers, a reason id becomes its Chinese label, anything else is text."""
    if key == "reason":
        return REASON_LABELS.get(str(value), str(value))
    return value if isinstance(value, (int, float)) else str(value)


def _sheets(result: AuditResult) -> list:
    rows = [(c.check.label, c.check.id, say(c.check.explanation), c.count, say(c.check.action))
            for c in result.checks]
    sheets = [SheetData(SUMMARY_SHEET, SUMMARY_HEADERS, [prepare_row(r) for r in rows], len(rows),
                        _widths(SUMMARY_HEADERS, rows), count_columns=(3,))]
    for c in result.checks:
        key = "id" if c.check.scope == COMPONENT else "key"
        fields = (key,) + c.check.columns
        headers = tuple(HEADERS[f] for f in fields)
        body = [prepare_row([_text(f, item.get(f, "")) for f in fields]) for item in c.items]
        numeric = tuple(n for n, f in enumerate(fields) if f in ("count", "fid"))
        sheets.append(SheetData(c.check.id[:31], headers, body, len(body), _widths(headers, body),
                                count_columns=numeric))
    return sheets


def _widths(headers, rows) -> list:
    out = []
    for col, header in enumerate(headers):
        values = [str(header)] + [str(r[col]) for r in rows[:2000]]
        out.append(int(display_widths(values).max()))
    return out


# ----- problem layers ----------------------------------------------------------------------------------
def problem_fields(scope: str) -> QgsFields:
    fields = QgsFields()
    for name in POINT_FIELDS if scope == COMPONENT else REGION_FIELDS:
        fields.append(compat.int_field(name) if name == "fid" else compat.string_field(name))
    return fields


def _detail(item: dict, skip: tuple) -> str:
    return "; ".join(f"{HEADERS.get(k, k)}={_text(k, v)}" for k, v in item.items() if k not in skip)


def problem_features(result: AuditResult, scope: str) -> list:
    """One feature per problem component (per check) or per problem region, in the grid CRS."""
    fields = problem_fields(scope)
    out = []
    for c in result.checks:
        if c.check.scope != scope:
            continue
        explanation = say(c.check.explanation)
        for n, item in enumerate(c.items):
            if scope == COMPONENT:
                for i in c.members[n]:
                    feat = QgsFeature(fields)
                    layer = result.comps.layers[int(result.comps.layer[i])].name
                    feat.setAttributes([c.check.id, explanation, str(result.comps.ids[i]), layer,
                                        int(result.comps.fid[i]), _detail(item, ("id", "layer", "fid"))])
                    geom = point_geometry(result.comps, i)
                    if geom is not None:
                        feat.setGeometry(geom)
                    out.append(feat)
            else:
                feat = QgsFeature(fields)
                feat.setAttributes([c.check.id, explanation, str(item.get("key", "")), str(item.get("level", "")),
                                    _detail(item, ("key", "level"))])
                geom = c.shapes[n]
                if geom is not None and not geom.isNull() and not geom.isEmpty():
                    feat.setGeometry(geom)
                out.append(feat)
    return out


def problem_layer(result: AuditResult, scope: str, name: str) -> QgsVectorLayer:
    """A styled memory layer of the problem components (points) or regions (polygons)."""
    layer = QgsVectorLayer("Point" if scope == COMPONENT else "MultiPolygon", name, "memory")
    layer.setCrs(QgsCoordinateReferenceSystem.fromWkt(result.crs_wkt))
    layer.dataProvider().addAttributes(problem_fields(scope).toList())
    layer.updateFields()
    feats = problem_features(result, scope)
    if scope == REGION:
        for f in feats:
            if f.hasGeometry():
                g = f.geometry()
                g.convertToMultiType()
                f.setGeometry(g)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    style_problem_layer(layer, scope)
    return layer


def style_problem_layer(layer: QgsVectorLayer, scope: str) -> None:
    """Categories by check id, one colour each, labelled with the check's title in the UI language."""
    categories = []
    ids = [c for c in CHECKS if c.scope == scope]
    for n, check in enumerate(ids):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        color = QColor(COLORS[n % len(COLORS)])
        if scope == REGION:
            color.setAlpha(90)
            symbol.setColor(color)
            symbol.symbolLayer(0).setStrokeColor(QColor(COLORS[n % len(COLORS)]))
            symbol.symbolLayer(0).setStrokeWidth(0.6)
        else:
            symbol.setColor(color)
            symbol.setSize(3.0)
        categories.append(QgsRendererCategory(check.id, symbol, say(check.title)))
    layer.setRenderer(QgsCategorizedSymbolRenderer("check", categories))
