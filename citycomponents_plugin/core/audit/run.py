"""Run every audit check on the engine's own steps (read, place, locate) and collect the findings.

Why the engine's steps: a finding must be about the very assignment and placement the numbers come
from; the audit only reads the grids tolerantly (duplicate and empty codes are findings here, errors
for the engine) and adds what the engine does not need (edge distance, overlaps, gaps, statuses).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from qgis.core import QgsGeometry, QgsPointXY

from citycomponents_plugin.core.audit.checks import CHECKS, DEFAULT_EDGE_TOLERANCE, Check
from citycomponents_plugin.core.audit.record import fingerprint
from citycomponents_plugin.core.batch_export.manifest import ASSIGN_BY_NAMES, redact_source
from citycomponents_plugin.core.codes import GridProfile, IdProfile, load_classification, load_statuses
from citycomponents_plugin.core.engine.build import (
    ComponentColumns,
    GridSet,
    _area_measure,
    check_components,
    check_point_layer,
    locate_with_hits,
    overlap_warnings,
    read_components,
    read_grids,
    read_level,
    stored_grids,
)
from citycomponents_plugin.core.engine.district_index import MIN_SHARE, LevelData
from citycomponents_plugin.core.engine.inputs import KIND_COMPONENTS, DistrictInputs
from citycomponents_plugin.core.engine.layer_copies import original_sources
from citycomponents_plugin.core.engine.overlaps import overlapping_grids
from citycomponents_plugin.core.engine.point_in_polygon import assign_points, polygon_edges
from citycomponents_plugin.core.engine.region_reader import check_polygon_layer
from citycomponents_plugin.core.engine.text_columns import categorize
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError
from citycomponents_plugin.core.levels import Level

GAP_MIN_AREA = 0.01  # square metres: smaller holes in the grids' union are numerical noise
METRES_PER_DEGREE = 111_320.0  # for a geographic grid CRS, the tolerance in degrees (at the equator)
STATUS_CANDIDATES = ["部件状态", "状态", "STATUS", "BJZT"]
REASON_LABELS = {"empty": "空", "length": "位数不符", "non_digit": "含非数字字符", "district": "区划代码不符",
                 "subclass": "小类未知", "name": "名称与小类不符"}


@dataclass
class CheckResult:
    """One check's findings; component items keep their component numbers, region items a shape."""

    check: Check
    items: list = field(default_factory=list)  # dicts: "id" (标识码) or "key" first, then Check.columns
    members: list = field(default_factory=list)  # per item: component numbers (component checks)
    shapes: list = field(default_factory=list)  # per item: QgsGeometry or None (region checks)

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class AuditResult:
    """Everything the audit found, with what it looked at."""

    checks: list  # CheckResult per check, in CHECKS order
    inputs: dict  # what was audited (sources, fields, tolerance)
    fingerprint: str  # of the engine inputs: the booklet and the manifest match audits by it
    id_profile: IdProfile
    grid_profile: GridProfile
    crs_authid: str
    crs_wkt: str
    comps: Optional[ComponentColumns] = None
    components_read: int = 0
    grids_read: int = 0
    seconds: float = 0.0

    def by_id(self, check_id: str) -> CheckResult:
        return next(c for c in self.checks if c.check.id == check_id)

    def counts(self) -> dict:
        return {c.check.id: c.count for c in self.checks}


def _step(feedback, pct: float, text: str) -> None:
    if feedback is not None:
        if feedback.isCanceled():
            raise CancelledError("checking the data")
        feedback.setProgress(pct)
        feedback.setProgressText(text)


def run_audit(inputs: DistrictInputs, id_profile: IdProfile, grid_profile: GridProfile,
              edge_tolerance: float = DEFAULT_EDGE_TOLERANCE, feedback=None) -> AuditResult:
    """Every check of CHECKS on one district; raises CityComponentsError only for unusable inputs."""
    started = time.perf_counter()
    if edge_tolerance < 0:
        raise CityComponentsError("audit_bad_tolerance", "EDGE_TOLERANCE", value=edge_tolerance)
    check_polygon_layer(inputs.grids, "GRIDS", "unit grids")
    if not inputs.components:
        raise CityComponentsError("no_component_layers", "COMPONENTS")
    for layer in inputs.components:
        check_point_layer(layer)
    results = {c.id: CheckResult(c) for c in CHECKS}
    _step(feedback, 0, "Reading unit grids")
    grids = read_grids(inputs, tolerant=True)
    levels: dict = {}
    for n, (level, layer) in enumerate(inputs.upper_layers().items()):
        _step(feedback, 5 + 5 * n, f"Placing grids in {level.label}")
        levels[level] = read_level(level, layer, inputs, grids, feedback)
    comps = read_components(inputs, grids.crs, feedback, extra={"status": STATUS_CANDIDATES})
    _step(feedback, 60, "Locating components")
    located, on_edge, hits = locate_with_hits(comps, grids, feedback)
    stored = stored_grids(comps, grids)
    report = check_components(comps, located, located, stored, on_edge, inputs.kind, {})
    overlap_warnings(comps, grids, hits, report)  # fills report.several_grids and report.overlapping_grids
    codes = [g.key for g in grids.grids]

    _step(feedback, 70, "Checking components")
    _component_checks(results, comps, grids, codes, located, stored, report, edge_tolerance, feedback)
    if inputs.kind == KIND_COMPONENTS:
        _id_checks(results, comps, grids, id_profile, grid_profile)
    _status_check(results, comps)
    _step(feedback, 80, "Checking grids")
    _grid_checks(results, grids, codes, grid_profile, report)
    _step(feedback, 90, "Checking upper levels")
    _level_checks(results, grids, levels, grid_profile)
    _step(feedback, 100, "Audit done")
    tolerance_note = {"edge_tolerance": edge_tolerance}
    # Copies made for a background run stand for the operator's layers: record and match those.
    names = original_sources(inputs)
    grids.source = names.get(grids.source, grids.source)
    for data in levels.values():
        data.source = names.get(data.source, data.source)
    for info in comps.layers:
        info.source = names.get(info.source, info.source)
    described = describe_inputs(grids, levels, comps, inputs)
    described.update(tolerance_note)
    return AuditResult(
        checks=[results[c.id] for c in CHECKS], inputs=described,
        fingerprint=fingerprint(grid_source=grids.source, grid_code_field=grids.code_field,
                                levels={lv: (d.source, d.key_field) for lv, d in levels.items()},
                                layers=[(i.source, i.id_field, i.type_field, i.grid_attr_field) for i in comps.layers],
                                kind=inputs.kind, assign_by=inputs.assign_by),
        id_profile=id_profile, grid_profile=grid_profile, crs_authid=grids.crs.authid(), crs_wkt=grids.crs.toWkt(),
        comps=comps, components_read=comps.count, grids_read=len(grids.grids),
        seconds=time.perf_counter() - started)


def describe_inputs(grids: GridSet, levels: dict, comps: ComponentColumns, inputs: DistrictInputs) -> dict:
    """The inputs as audit.json records them: sources (no passwords) and the fields used."""
    out = {"GRIDS": {"source": redact_source(grids.source), "code_field": grids.code_field,
                     "features": len(grids.grids)}}
    for level, data in levels.items():
        out[{Level.STREET: "STREETS", Level.SUPERVISOR: "SUPERVISORS", Level.COMMITTEE: "COMMITTEES"}[level]] = {
            "source": redact_source(data.source), "name_field": data.key_field, "features": len(data.regions)}
    out["COMPONENTS"] = [{"source": redact_source(i.source), "id_field": i.id_field, "type_field": i.type_field,
                          "grid_attr_field": i.grid_attr_field, "features": int(i.features)} for i in comps.layers]
    out["KIND"] = int(inputs.kind)
    out["ASSIGN_BY"] = ASSIGN_BY_NAMES.get(inputs.assign_by, str(inputs.assign_by))
    return out


# ----- components ------------------------------------------------------------------------------------
def _component_item(comps: ComponentColumns, i: int, stored_text: np.ndarray) -> dict:
    return {"id": str(comps.ids[i]), "layer": comps.layers[int(comps.layer[i])].name, "fid": int(comps.fid[i]),
            "type": comps.type_names[int(comps.type[i])], "stored_grid": str(stored_text[i])}


def _add_components(result: CheckResult, comps: ComponentColumns, rows, stored_text: np.ndarray,
                    extra=None) -> None:
    for i in np.asarray(rows, dtype=np.int64).tolist():
        item = _component_item(comps, i, stored_text)
        if extra is not None:
            item.update(extra(i))
        result.items.append({k: item[k] for k in ("id",) + result.check.columns})
        result.members.append([i])


def _component_checks(results: dict, comps: ComponentColumns, grids: GridSet, codes: list, located: np.ndarray,
                      stored: np.ndarray, report, edge_tolerance: float, feedback) -> None:
    stored_text = (comps.grid_attr_values[comps.grid_attr_codes] if len(comps.grid_attr_values)
                   else np.full(comps.count, ""))

    def code_of(g: int) -> str:
        return codes[g] if g >= 0 else ""

    outside = np.nonzero(comps.valid & (located < 0))[0]
    _add_components(results["outside_grids"], comps, outside, stored_text)
    _add_components(results["null_geometry"], comps, report.null_geometry, stored_text)
    _add_components(results["untransformable"], comps, report.untransformable, stored_text)
    _add_components(results["stored_grid_mismatch"], comps, report.grid_code_mismatch, stored_text,
                    lambda i: {"grid": code_of(int(located[i]))})

    # One more pass of the engine's point-in-polygon with the audit's tolerance: the points near an edge.
    tol = edge_tolerance / METRES_PER_DEGREE if grids.crs.isGeographic() else edge_tolerance
    edges = polygon_edges(grids.geometries, tol)
    _, near, _ = assign_points(comps.x, comps.y, comps.valid, edges, np.arange(len(grids.grids)), tol, feedback)
    _add_components(results["near_edge"], comps, np.nonzero(near)[0], stored_text,
                    lambda i: {"grid": code_of(int(located[i]))})
    by_row = {o.row: o.codes for o in report.several_grids}  # the engine's overlap step (overlaps.py)
    _add_components(results["multiple_grids"], comps, sorted(by_row), stored_text,
                    lambda i: {"grid": code_of(int(located[i])), "grids": ",".join(by_row[i])})

    dup = results["duplicate_id"]
    if report.duplicate_ids:
        # Only the repeated codes' rows, grouped by code (id_values is sorted: ranks by searchsorted).
        wanted = np.searchsorted(comps.id_values, np.array(sorted(report.duplicate_ids), dtype=comps.id_values.dtype))
        rows = np.nonzero(comps.has_id & np.isin(comps.id_rank, wanted))[0]
        rows = rows[np.lexsort((rows, comps.id_rank[rows]))]
        ranks = comps.id_rank[rows]
        starts = np.r_[0, np.nonzero(np.diff(ranks))[0] + 1]
        for s, e in zip(starts.tolist(), np.r_[starts[1:], len(rows)].tolist()):
            group = rows[s:e].tolist()
            feats = "; ".join(f"{comps.layers[int(comps.layer[r])].name}:{int(comps.fid[r])}" for r in group)
            dup.items.append({"id": str(comps.id_values[ranks[s]]), "count": len(group), "features": feats})
            dup.members.append(group)


def _id_checks(results: dict, comps: ComponentColumns, grids: GridSet, profile: IdProfile,
               grid_profile: GridProfile) -> None:
    """标识码 against the profile, vectorised over the distinct codes; the name rule per (subclass, type) pair.

    The first reason that applies is reported: empty, non-digit, length, district, subclass, name.
    """
    table = load_classification()
    districts = sorted({g.key[grid_profile.district] for g in grids.grids if grid_profile.well_formed(g.key)})
    values = comps.id_values
    n = len(values)
    reason = np.full(n, "", dtype=object)
    sub = np.full(n, -1, dtype=np.int64)  # table subclass as a number (0401 -> 401), -1 where none
    if n:
        width = max(values.dtype.itemsize // 4, 1)
        chars = np.ascontiguousarray(values.astype(f"<U{width}")).view(np.uint32).reshape(n, width)
        length = np.count_nonzero(chars, axis=1)
        digits = np.count_nonzero((chars >= 48) & (chars <= 57), axis=1)
        ok = length > 0
        reason[~ok] = "empty"
        bad = ok & (digits != length)
        reason[bad] = "non_digit"
        ok &= ~bad
        bad = ok & (length != profile.length)
        reason[bad] = "length"
        ok &= ~bad
        if districts and width >= profile.district_digits:
            bad = ok & ~np.isin(values.astype(f"<U{profile.district_digits}"), districts)
            reason[bad] = "district"
            ok &= ~bad
        if width >= profile.length:
            d = chars[:, :profile.length].astype(np.int64) - 48
            major = np.zeros(n, dtype=np.int64)
            for k in range(profile.major.start, profile.major.stop):
                major = major * 10 + d[:, k]
            minor = np.zeros(n, dtype=np.int64)
            for k in range(profile.major.stop, profile.subclass.stop):
                minor = minor * 10 + d[:, k]
            known = np.array(sorted(int(c) for c in table.subclasses), dtype=np.int64)
            code = np.where(minor < 100, major * 100 + minor, -1)
            bad = ok & ~np.isin(code, known)
            reason[bad] = "subclass"
            ok &= ~bad
            sub = np.where(ok, code, -1)
    reasons = np.append(reason, "")[comps.id_rank]
    subs = np.append(sub, -1)[comps.id_rank]
    pair = np.nonzero(comps.has_id & (subs >= 0))[0]
    if len(pair):
        codes_of_name: dict = {}
        for row in table.rows:
            for name in (row.name, row.name_beijing):
                if name:
                    codes_of_name.setdefault(name, set()).add(int(row.code))
        keys, inv = np.unique(subs[pair] * 100_000 + comps.type[pair], return_inverse=True)
        wrong = []
        for key in keys.tolist():
            known_codes = codes_of_name.get(comps.type_names[key % 100_000].strip())
            wrong.append(known_codes is not None and key // 100_000 not in known_codes)
        reasons[pair[np.array(wrong, dtype=bool)[inv]]] = "name"
    rows = np.nonzero(comps.has_id & (reasons != ""))[0]
    stored_text = np.full(comps.count, "")
    _add_components(results["malformed_id"], comps, rows, stored_text, lambda i: {"reason": reasons[i]})


def _status_check(results: dict, comps: ComponentColumns) -> None:
    """部件状态 outside the vocabulary; a layer without a status field is not checked."""
    vocabulary = load_statuses()
    checked = np.array([bool(f) for f in comps.extra_fields["status"]], dtype=bool)[comps.layer]
    labels, codes = categorize(comps.extra["status"])
    unknown = np.array([not vocabulary.known(v) for v in labels.tolist()], dtype=bool)
    rows = np.nonzero(checked & unknown[codes])[0] if len(codes) else np.zeros(0, dtype=np.int64)
    _add_components(results["unknown_status"], comps, rows, np.full(comps.count, ""),
                    lambda i: {"status": str(labels[codes[i]])})


# ----- grids ----------------------------------------------------------------------------------------
def _grid_checks(results: dict, grids: GridSet, codes: list, profile: GridProfile, report) -> None:
    geom_of = {g.key: geom for g, geom in zip(grids.grids, grids.geometries)}
    dup = results["duplicate_grid_code"]
    for code, fids in sorted(grids.duplicate_codes.items()):
        dup.items.append({"key": code, "count": len(fids), "features": ", ".join(map(str, fids))})
        dup.shapes.append(geom_of.get(code))
    bad = results["malformed_grid_code"]
    for fid in grids.empty_codes:
        bad.items.append({"key": "", "fid": int(fid), "reason": "empty"})
        bad.shapes.append(None)
    for g, geom in zip(grids.grids, grids.geometries):
        if profile.well_formed(g.key):
            continue
        reason = "non_digit" if not (g.key.isascii() and g.key.isdigit()) else "length"
        bad.items.append({"key": g.key, "fid": int(g.fid), "reason": reason})
        bad.shapes.append(geom)
    over = results["grid_overlap"]
    for o in report.overlapping_grids:  # measured by the engine's overlap step, in square metres
        over.items.append({"key": f"{o.code_a}/{o.code_b}", "grid_a": o.code_a, "grid_b": o.code_b,
                           "area": round(o.area, 2), "share": round(o.share, 4)})
        over.shapes.append(geom_of[o.code_a].intersection(geom_of[o.code_b]))
    gaps = results["grid_gap"]
    area_of = _area_measure(grids.crs) or (lambda g: g.area())
    for hole in _holes(grids.geometries, area_of):
        centre = hole.pointOnSurface().asPoint()
        gaps.items.append({"key": f"{centre.x():.1f},{centre.y():.1f}", "area": round(area_of(hole), 2),
                           "x": round(centre.x(), 3), "y": round(centre.y(), 3)})
        gaps.shapes.append(hole)


def _holes(geometries: list, area_of) -> list:
    """Holes of the grids' union (gaps inside the district), larger than GAP_MIN_AREA square metres."""
    parts = [g for g in geometries if g is not None and not g.isNull() and not g.isEmpty()]
    if not parts:
        return []
    union = QgsGeometry.unaryUnion(parts)
    polys = union.asMultiPolygon() if union.isMultipart() else [union.asPolygon()]
    out = []
    for poly in polys:
        for ring in poly[1:]:
            hole = QgsGeometry.fromPolygonXY([ring])
            if area_of(hole) > GAP_MIN_AREA:
                out.append(hole)
    out.sort(key=lambda h: (h.boundingBox().yMaximum() * -1, h.boundingBox().xMinimum()))
    return out


# ----- upper levels ----------------------------------------------------------------------------------
def _level_checks(results: dict, grids: GridSet, levels: dict, profile: GridProfile) -> None:
    segments = {Level.STREET: profile.street, Level.COMMITTEE: profile.community}
    mismatch = results["grid_code_region_mismatch"]
    without = results["grid_without_region"]
    weak = results["grid_weakly_covered"]
    overlap = results["region_overlap"]
    empty = results["region_without_grid"]
    for level, data in levels.items():
        seg = segments.get(level)
        for g, geom in enumerate(grids.geometries):
            if geom is None:
                continue
            grid = grids.grids[g]
            r = int(data.grid_region[g])
            if r < 0 or r == data.pseudo:
                without.items.append({"key": grid.key, "level": level.label})
                without.shapes.append(geom)
                continue
            region = data.regions[r]
            if data.grid_share[g] < MIN_SHARE:
                weak.items.append({"key": grid.key, "level": level.label, "region": region.key,
                                   "share": round(float(data.grid_share[g]), 4)})
                weak.shapes.append(geom)
            if seg is not None and region.code and profile.well_formed(grid.key):
                prefix, part = grid.key[:seg.stop], grid.key[seg]
                if region.code not in (prefix, part):
                    mismatch.items.append({"key": grid.key, "level": level.label, "segment": part,
                                           "region": region.key, "region_code": region.code})
                    mismatch.shapes.append(geom)
        keys = [r.key for r in data.regions if r.index != data.pseudo]  # data.geometries: real regions only
        for o in overlapping_grids(data.geometries, keys, area_of=_area_measure(grids.crs)):
            a, b = data.by_key[o.code_a].index, data.by_key[o.code_b].index
            overlap.items.append({"key": f"{o.code_a}/{o.code_b}", "level": level.label, "region_a": o.code_a,
                                  "region_b": o.code_b, "area": round(o.area, 2), "share": round(o.share, 4)})
            overlap.shapes.append(data.geometries[a].intersection(data.geometries[b]))
        used = np.bincount(data.grid_region[data.grid_region >= 0], minlength=len(data.regions))
        for r in np.nonzero(used == 0)[0].tolist():
            if r == data.pseudo:
                continue
            empty.items.append({"key": data.regions[r].key, "level": level.label})
            empty.shapes.append(data.geometries[r])
    if Level.SUPERVISOR in levels and Level.COMMITTEE in levels:
        _cut_committees(results["supervisor_cuts_committee"], grids, levels[Level.SUPERVISOR],
                        levels[Level.COMMITTEE])


def _cut_committees(result: CheckResult, grids: GridSet, supervisors: LevelData, committees: LevelData) -> None:
    """A committee split over several supervisor areas is expected when each area lies inside it."""
    sup, com = supervisors.grid_region, committees.grid_region
    placed = (sup >= 0) & (com >= 0) & (sup != supervisors.pseudo) & (com != committees.pseudo)
    for c in range(len(committees.regions)):
        if c == committees.pseudo:
            continue
        areas = np.unique(sup[placed & (com == c)])
        if len(areas) < 2:
            continue
        for s in areas.tolist():
            if np.all(com[placed & (sup == s)] == c):
                continue  # a half of the committee: the expected split
            inside = [grids.grids[g].key for g in np.nonzero(placed & (sup == s) & (com == c))[0].tolist()]
            result.items.append({"key": supervisors.regions[s].key, "committee": committees.regions[c].key,
                                 "grids": ",".join(inside)})
            result.shapes.append(supervisors.geometries[s])


def point_geometry(comps: ComponentColumns, i: int) -> Optional[QgsGeometry]:
    """The component's point in the grid CRS, None without one."""
    if not comps.valid[i]:
        return None
    return QgsGeometry.fromPointXY(QgsPointXY(float(comps.x[i]), float(comps.y[i])))
