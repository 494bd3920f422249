"""Building the district index, step by step: grids, upper levels, components, location, checks.

Each step is a function with its own inputs and result, so it can be tested and reused alone
(the audit and the database engine need the same steps); `build_index` only chains them and
reports progress. SPEC section 4 fixes the semantics each step implements.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsDistanceArea,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from citycomponents_plugin.core import compat, messages
from citycomponents_plugin.core.database.connection import unreadable_layer_error
from citycomponents_plugin.core.database.credentials import redact_source
from citycomponents_plugin.core.database.pushdown import ENGINE_LOCAL, choose_engine
from citycomponents_plugin.core.engine import fields as fd
from citycomponents_plugin.core.engine.dbf_encoding import dbf_text_problem, is_dbf, missing_dbf
from citycomponents_plugin.core.engine.district_index import (
    LEVEL_CANDIDATES,
    LEVEL_CODE_CANDIDATES,
    LEVEL_PARAMETERS,
    MIN_SHARE,
    ComponentLayerInfo,
    DistrictIndex,
    IndexReport,
    LevelData,
    pseudo_region_name,
)
from citycomponents_plugin.core.engine.inputs import (
    ASSIGN_BY_STORED_CODE,
    KIND_ADDRESSES,
    KIND_COMPONENTS,
    DistrictInputs,
)
from citycomponents_plugin.core.engine.overlaps import (
    OVERLAP_MIN_SHARE,
    components_in_several_grids,
    overlapping_grids,
)
from citycomponents_plugin.core.engine.placement import place_grids
from citycomponents_plugin.core.engine.point_in_polygon import assign_points, boundary_tolerance, polygon_edges
from citycomponents_plugin.core.engine.point_reader import read_points
from citycomponents_plugin.core.engine.read_checks import check_crs, crs_label
from citycomponents_plugin.core.engine.region_reader import (
    Region,
    RegionLayer,
    check_polygon_layer,
    layer_label,
    read_regions,
)
from citycomponents_plugin.core.engine.text_columns import categorize, decode
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.core.messages import Message, term

# Examples named in a warning (the audit lists them all).
EXAMPLES = 5
# Below this share of located components in a grid, the CRSs are the likely cause (SPEC 4.6).
MIN_LOCATED_SHARE = 0.5


@dataclass
class GridSet:
    """The unit grids in grid-code order (the edge rule's priority), with what was repaired."""

    layer_name: str
    source: str
    code_field: str
    crs: QgsCoordinateReferenceSystem
    grids: list  # Region per grid, index = position in code order
    geometries: list  # QgsGeometry (or None) per grid, in the grid CRS
    repaired: list  # (fid, code) of invalid polygons made valid for this run
    null_geometries: list  # (fid, code) of grids without geometry
    warnings: list = field(default_factory=list)  # Message per problem found reading the layer
    duplicate_codes: dict = field(default_factory=dict)  # code -> fids (tolerant reads: the audit)
    empty_codes: list = field(default_factory=list)  # fids without a code (tolerant reads)


@dataclass
class ComponentColumns:
    """Every component of every layer as columns; text is decoded, types numbered in sorted order."""

    layers: list  # ComponentLayerInfo per input layer
    layer: np.ndarray  # input layer number per component
    fid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    valid: np.ndarray  # has a point in the grid CRS
    ids: np.ndarray  # 标识码 ('' without an id field)
    id_rank: np.ndarray  # rank of the 标识码 among the distinct ones (sorting key)
    id_values: np.ndarray  # distinct 标识码, sorted
    has_id: np.ndarray  # the component's layer has an id field
    type_names: list  # sorted
    type: np.ndarray  # index into type_names
    name: np.ndarray  # KIND 1: the POI's own name
    address: np.ndarray  # KIND 1
    grid_attr_values: np.ndarray  # distinct stored grid codes, sorted
    grid_attr_codes: np.ndarray  # index into grid_attr_values per component
    untransformable: np.ndarray  # component numbers whose point could not be transformed
    multipart: int
    warnings: list = field(default_factory=list)  # Message per problem found reading the layers
    extra: dict = field(default_factory=dict)  # role -> raw bytes per component (read_components' `extra`)
    extra_fields: dict = field(default_factory=dict)  # role -> field read per layer (None: the layer has none)

    @property
    def count(self) -> int:
        return len(self.fid)


def _step(feedback, pct: float, text: str) -> None:
    if feedback is not None:
        feedback.setProgress(pct)
        feedback.setProgressText(text)


# ----- step 1: grids -------------------------------------------------------------------------------
def read_grids(inputs: DistrictInputs, tolerant: bool = False) -> GridSet:
    """The grid layer checked, its code field resolved, its polygons read and sorted by code.

    `tolerant`: duplicate and empty codes are listed in the result instead of raising (the audit).
    """
    layer = check_polygon_layer(inputs.grids, "GRIDS", "unit grids")
    name = layer_label(layer)
    crs = layer.crs()
    warnings = encoding_warnings(layer)
    code_field = _resolve(layer, inputs.grid_code_field, fd.GRID_CODE_CANDIDATES, role="grid code (网格编码)",
                          parameter="GRID_CODE_FIELD", layer_parameter="GRIDS")
    read = read_regions(layer, code_field, crs, inputs.transform_context, parameter="GRID_CODE_FIELD",
                        role="grid code", layer_parameter="GRIDS", tolerant=tolerant)
    warnings += numeric_code_warnings(layer, [(code_field, "grid code")], [r.key for r in read.regions])
    order = sorted(range(len(read.regions)), key=lambda i: read.regions[i].key)
    grids = [Region(n, read.regions[i].key, read.regions[i].name, read.regions[i].fid) for n, i in enumerate(order)]
    return GridSet(name, layer.source(), code_field, crs, grids, [read.geometries[i] for i in order],
                   read.repaired, read.null_geometries, warnings, read.duplicate_keys, read.empty_keys)


def _resolve(layer: QgsVectorLayer, override: Optional[str], candidates: Sequence[str], *, role: str,
             parameter: str, required: bool = True, exclude: Sequence[str] = (),
             layer_parameter: str = "COMPONENTS") -> Optional[str]:
    """fields.resolve_field for a layer; a field not found in a shapefile whose text is not UTF-8 is
    reported as the encoding problem it is (fields_garbled), not as a missing field."""
    names = [f for f in layer.fields().names() if f not in exclude]
    try:
        return fd.resolve_field(names, override, candidates, layer_name=layer_label(layer), role=role,
                                parameter=parameter, required=required, dbf=is_dbf(layer))
    except CityComponentsError as exc:
        if exc.message.id not in ("field_not_detected", "field_not_found"):
            raise
        dbf = missing_dbf(layer)
        if dbf is not None:
            raise CityComponentsError("dbf_missing", layer_parameter, layer=layer_label(layer), dbf=dbf) from exc
        problem = dbf_text_problem(layer)
        if problem is None:
            raise
        raise CityComponentsError("fields_garbled", layer_parameter, layer=layer_label(layer), role=term(role),
                                  fields=", ".join(names) or "-", source=problem.source) from exc


def encoding_warnings(layer: QgsVectorLayer) -> list:
    """dbf_not_utf8 for a shapefile without .cpg whose text is not UTF-8 (else nothing)."""
    problem = dbf_text_problem(layer)
    if problem is None:
        return []
    return [Message("dbf_not_utf8", {"layer": layer_label(layer), "count": problem.bad, "checked": problem.checked,
                                     "field": problem.field, "source": problem.source, "cpg": problem.cpg})]


_NUMBER_TYPE_NAMES = ("Integer", "Integer64", "Real", "Double", "int", "double", "qlonglong")


def numeric_code_warnings(layer: QgsVectorLayer, roles: Sequence[tuple], examples: Sequence[str]) -> list:
    """numeric_code_field for each (field, role) that is a number field: codes belong in text fields."""
    out = []
    fields = layer.fields()
    for name, role in roles:
        if not name:
            continue
        fdef = fields.field(fields.lookupField(name))
        if fdef.isNumeric():
            example = next((e for e in examples if e), "-")
            out.append(Message("numeric_code_field", {"layer": layer_label(layer), "role": term(role),
                                                      "field": name, "type": fdef.typeName() or "number",
                                                      "example": example}))
    return out


# ----- step 2: upper levels ------------------------------------------------------------------------
@dataclass
class LevelRead:
    """An upper level's layer as read (fields, regions, their ranks), before its grids are placed."""

    level: Level
    layer: QgsVectorLayer
    name_field: str
    code_field: Optional[str]
    read: RegionLayer  # regions, their geometries, repairs
    ranks: list
    warnings: list


def read_level_regions(level: Level, layer: QgsVectorLayer, inputs: DistrictInputs, grids: GridSet) -> LevelRead:
    """Read one upper level's regions (by name, with code and supervisor where the layer has them).

    Layer reads stay on the calling thread: QGIS providers are not made to be read from a plain
    Python thread, while the placement that follows needs only the geometries."""
    param, role, field_param = LEVEL_PARAMETERS[level]
    check_polygon_layer(layer, param, level.label)
    names = layer.fields().names()
    warnings = encoding_warnings(layer)
    name_field = _resolve(layer, inputs.name_override(level), LEVEL_CANDIDATES[level], role=role,
                          parameter=field_param, layer_parameter=param)
    others = [f for f in names if f != name_field]
    code_field = _resolve(layer, inputs.code_override(level), LEVEL_CODE_CANDIDATES[level], role=f"{level.value} code",
                          parameter=f"{level.name}_CODE_FIELD", required=False, exclude=[name_field],
                          layer_parameter=param)
    person_field = None
    if level == Level.SUPERVISOR:
        person_field = fd.detect_field([f for f in others if f != code_field], fd.SUPERVISOR_PERSON_CANDIDATES,
                                       is_dbf(layer))
    read = read_regions(layer, name_field, grids.crs, inputs.transform_context, parameter=field_param, role=role,
                        person_field=person_field, code_field=code_field, layer_parameter=param)
    warnings += numeric_code_warnings(layer, [(code_field, f"{level.value} code")],
                                      [r.code for r in read.regions])
    return LevelRead(level, layer, name_field, code_field, read, _ranks([r.key for r in read.regions]), warnings)


def place_level(lr: LevelRead, inputs: DistrictInputs, grids: GridSet, feedback=None, engine=None) -> LevelData:
    """Each grid placed in the region covering the largest share of its area (SPEC 4.2).

    Without `engine` this touches only geometries, so it may run beside the component read."""
    read = lr.read
    if engine is not None:  # the same rule in SQL (core/database/pushdown.py)
        placement = engine.place_grids(inputs.grids, grids, lr.layer, [r.fid for r in read.regions], lr.ranks,
                                       feedback)
    else:
        placement = place_grids(grids.geometries, read.geometries, lr.ranks, feedback)
    # Regions listed by name so outputs are stable and readable.
    by_name = sorted(range(len(read.regions)), key=lambda i: read.regions[i].key)
    remap = np.full(len(read.regions) + 1, -1, dtype=np.int32)
    regions = []
    for new, old in enumerate(by_name):
        r = read.regions[old]
        regions.append(Region(new, r.key, r.name, r.fid, r.person, r.code))
        remap[old] = new
    grid_region = remap[placement.region]  # -1 stays -1 through remap[-1]
    pseudo = -1
    uncovered = grid_region < 0
    if uncovered.any():  # SPEC 4.4: grids no region covers go to the level's pseudo-region, listed last
        pseudo = len(regions)
        label = pseudo_region_name(lr.level)
        regions.append(Region(pseudo, label, label, -1, pseudo=True))
        grid_region = np.where(uncovered, pseudo, grid_region).astype(np.int32)
    return LevelData(lr.level, read.layer_name, read.source, lr.name_field, regions, grid_region, placement.share,
                     read.repaired, read.null_geometries, lr.code_field, pseudo, lr.warnings,
                     [read.geometries[i] for i in by_name])


def read_level(level: Level, layer: QgsVectorLayer, inputs: DistrictInputs, grids: GridSet, feedback=None,
               engine=None) -> LevelData:
    """One upper level read and placed (read_level_regions, then place_level)."""
    return place_level(read_level_regions(level, layer, inputs, grids), inputs, grids, feedback, engine)


def weak_grids(level_data: LevelData, grids: GridSet) -> list:
    """(grid code, region key or '', share) of the grids covered less than MIN_SHARE by their region."""
    out = []
    for g in np.nonzero(level_data.grid_share < MIN_SHARE)[0]:
        if grids.geometries[g] is None:
            continue
        reg = level_data.grid_region[g]
        key = level_data.regions[reg].key if reg >= 0 and reg != level_data.pseudo else ""
        out.append((grids.grids[g].key, key, float(level_data.grid_share[g])))
    return out


# ----- step 3: components --------------------------------------------------------------------------
def check_point_layer(layer: Optional[QgsVectorLayer]) -> QgsVectorLayer:
    """A readable point layer with a CRS, or an error that says which and how to fix it."""
    if layer is not None and not layer.isValid():
        error = unreadable_layer_error(layer, "COMPONENTS")
        if error is not None:
            raise error
    if layer is None or not layer.isValid():
        raise CityComponentsError("layer_unreadable", "COMPONENTS", layer=layer_label(layer) if layer else "",
                                  source=redact_source(layer.source()) if layer is not None else "-")
    if layer.geometryType() != compat.POINT_GEOMETRY:
        kind = QgsWkbTypes.geometryDisplayString(layer.geometryType())
        raise CityComponentsError("layer_not_point", "COMPONENTS", layer=layer_label(layer), geometry=kind)
    check_crs(layer, layer_label(layer), "COMPONENTS")
    return layer


def component_fields(layer: QgsVectorLayer, inputs: DistrictInputs) -> ComponentLayerInfo:
    """The fields used from one point layer: chosen, else detected; required ones must exist."""
    lname = layer_label(layer)
    if inputs.kind == KIND_ADDRESSES:
        id_f = _resolve(layer, inputs.id_field, fd.COMPONENT_ID_CANDIDATES, role="identifier", parameter="ID_FIELD",
                        required=False)
        type_f = _resolve(layer, inputs.type_field, fd.POI_TYPE_CANDIDATES, role="category", parameter="TYPE_FIELD",
                          required=False)
        name_f = _resolve(layer, None, fd.POI_NAME_CANDIDATES, role="name", parameter="", required=False)
        addr_f = _resolve(layer, None, fd.ADDRESS_CANDIDATES, role="address", parameter="", required=False)
    else:
        id_f = _resolve(layer, inputs.id_field, fd.COMPONENT_ID_CANDIDATES, role="component identifier (标识码)",
                        parameter="ID_FIELD", required=True)
        type_f = _resolve(layer, inputs.type_field, fd.COMPONENT_TYPE_CANDIDATES, role="component type name",
                          parameter="TYPE_FIELD", required=False)
        name_f = addr_f = None
    grid_f = _resolve(layer, inputs.grid_attr_field, fd.GRID_ATTR_CANDIDATES, role="stored grid code (所在单元网格)",
                      parameter="GRID_ATTR_FIELD", required=inputs.assign_by == ASSIGN_BY_STORED_CODE)
    return ComponentLayerInfo(lname, layer.source(), 0, id_f, type_f, grid_f, name_f, addr_f)


def read_components(inputs: DistrictInputs, crs: QgsCoordinateReferenceSystem, feedback=None,
                    extra: Optional[dict] = None, reader=None) -> ComponentColumns:
    """One read per layer, only the needed attributes, coordinates in the grid CRS.

    A component's type is its type field (trimmed) or, where there is none or it is blank, its
    layer's name (SPEC 4.7). `extra` ({role: candidate field names}) reads one more field per role in
    the same pass where a layer has one (the audit's 部件状态), as raw bytes (text_columns).
    `reader`: read_points' reader (the database engine's, which reads without QGIS's provider).
    """
    extra = extra or {}
    extra_fields: dict = {role: [] for role in extra}
    extra_values: dict = {role: [] for role in extra}
    if not inputs.components:
        raise CityComponentsError("no_component_layers", "COMPONENTS")
    layers = [check_point_layer(lyr) for lyr in inputs.components]
    context: Optional[QgsCoordinateTransformContext] = inputs.transform_context
    infos, ids, types, names, addrs, attrs, fids, xs, ys, valid, layer_no = ([] for _ in range(11))
    has_id, untransformable, warnings = [], [], []
    type_of_label: dict = {}  # type name -> number in first-seen order (renumbered sorted below)
    multipart = 0
    offset = 0
    for n, layer in enumerate(layers):
        _step(feedback, 20 + 40 * n / len(layers), f"Reading {layer_label(layer)}")
        info = component_fields(layer, inputs)
        wanted = {role: fd.detect_field(layer.fields().names(), candidates) for role, candidates in extra.items()}
        cols = read_points(layer, [info.id_field, info.type_field, info.grid_attr_field, info.name_field,
                                   info.address_field, *[f for f in wanted.values() if f]], crs, context, feedback,
                           name=info.name, reader=reader)
        count = len(cols.fids)
        for role, name in wanted.items():
            extra_fields[role].append(name)
            extra_values[role].append(cols.attributes[name] if name else np.full(count, b""))
        warnings += encoding_warnings(layer)
        if info.grid_attr_field:
            stored = cols.attributes[info.grid_attr_field]
            first = next((v.decode("utf-8", "replace") for v in stored[:1000].tolist() if v), "")
            warnings += numeric_code_warnings(layer, [(info.grid_attr_field, "stored grid code (所在单元网格)")],
                                              [first])
        info.features = count
        info.multipart = cols.multipart
        multipart += cols.multipart
        infos.append(info)
        empty = np.full(count, b"")
        labels, codes = categorize(cols.attributes[info.type_field] if info.type_field else empty)
        labels = [lbl or info.name for lbl in labels.tolist()] or [info.name]
        numbers = np.array([type_of_label.setdefault(lbl, len(type_of_label)) for lbl in labels], dtype=np.int64)
        types.append(numbers[codes] if len(codes) else np.zeros(0, dtype=np.int64))
        # Without an id field (addresses/POIs) there is no 标识码: no duplicate or format checks.
        ids.append(cols.attributes[info.id_field] if info.id_field else empty)
        has_id.append(np.full(count, bool(info.id_field)))
        untransformable.append(cols.untransformable + offset)
        offset += count
        names.append(cols.attributes[info.name_field] if info.name_field else empty)
        addrs.append(cols.attributes[info.address_field] if info.address_field else empty)
        attrs.append(cols.attributes[info.grid_attr_field] if info.grid_attr_field else empty)
        fids.append(cols.fids)
        xs.append(cols.x)
        ys.append(cols.y)
        valid.append(cols.has_geometry)
        layer_no.append(np.full(count, n, dtype=np.int32))
    if offset == 0:
        raise CityComponentsError("component_layers_empty", "COMPONENTS",
                                  layers=", ".join(layer_label(lyr) for lyr in layers))
    id_values, id_rank = categorize(np.concatenate(ids))
    type_names = sorted(type_of_label)
    renumber = np.zeros(len(type_of_label), dtype=np.int32)
    for name, number in type_of_label.items():
        renumber[number] = type_names.index(name)
    attr_values, attr_codes = categorize(np.concatenate(attrs))
    return ComponentColumns(
        layers=infos, layer=np.concatenate(layer_no), fid=np.concatenate(fids), x=np.concatenate(xs),
        y=np.concatenate(ys), valid=np.concatenate(valid), ids=id_values[id_rank], id_rank=id_rank,
        id_values=id_values, has_id=np.concatenate(has_id), type_names=type_names,
        type=renumber[np.concatenate(types)], name=decode(np.concatenate(names)),
        address=decode(np.concatenate(addrs)), grid_attr_values=attr_values, grid_attr_codes=attr_codes,
        untransformable=np.concatenate(untransformable).astype(np.int64), multipart=multipart, warnings=warnings,
        extra={role: np.concatenate(v) for role, v in extra_values.items()}, extra_fields=extra_fields)


# ----- step 4: location ----------------------------------------------------------------------------
def locate_components(comps: ComponentColumns, grids: GridSet, feedback=None) -> tuple:
    """(grid per component or -1, on-edge mask): the grid containing each point; a point on shared
    edges or vertices (within the tolerance) goes to the smallest grid code (SPEC 4.1)."""
    located, on_edge, _hits = locate_with_hits(comps, grids, feedback)
    return located, on_edge


def locate_with_hits(comps: ComponentColumns, grids: GridSet, feedback=None, edges=None) -> tuple:
    """locate_components plus the number of grids each point is in or on (overlap candidates: >= 2).

    `edges`: the grids' polygon_edges when already made (build_index makes them beside the point read)."""
    eps = boundary_tolerance(grids.crs.isGeographic())
    edges = grid_edges(grids) if edges is None else edges
    return assign_points(comps.x, comps.y, comps.valid, edges, np.arange(len(grids.grids)), eps, feedback)


# ----- step 4b: overlaps, CRSs, uncovered grids (warnings kept on the index) -------------------------
def grid_edges(grids: GridSet):
    """The grids' rings as edge arrays for the point-in-polygon test (point_in_polygon.polygon_edges)."""
    return polygon_edges(grids.geometries, boundary_tolerance(grids.crs.isGeographic()))


def grid_overlaps(grids: GridSet) -> list:
    """Overlapping grid pairs with their area (needs only the grids: computed beside the point reads)."""
    return overlapping_grids(grids.geometries, [g.key for g in grids.grids], area_of=_area_measure(grids.crs))


def overlap_warnings(comps: ComponentColumns, grids: GridSet, hits: np.ndarray, report: IndexReport,
                     overlapping: Optional[list] = None) -> list:
    """Points strictly inside several grids and overlapping grid pairs (given, or found here): counted on
    the report, warned with a few examples (the audit lists them all)."""
    report.several_grids = several_grids(comps.x, comps.y, comps.valid, grids, np.nonzero(hits >= 2)[0])
    report.overlapping_grids = grid_overlaps(grids) if overlapping is None else overlapping
    return overlap_messages(grids, report.several_grids, report.overlapping_grids,
                            lambda row: _component_label(comps, row))


def several_grids(x: np.ndarray, y: np.ndarray, valid: np.ndarray, grids: GridSet, rows: np.ndarray) -> list:
    """ComponentOverlap per candidate row (a point in or on two or more grids) strictly inside several."""
    return components_in_several_grids(x, y, valid, grids.geometries, [g.key for g in grids.grids],
                                       boundary_tolerance(grids.crs.isGeographic()), rows=rows)


def overlap_messages(grids: GridSet, several: list, overlapping: list, label) -> list:
    """The warnings for points inside several grids (label(row): the component's name) and overlapping grids."""
    out = []
    if several:
        examples = "; ".join("{} ({})".format(label(o.row), ", ".join(o.codes)) for o in several[:EXAMPLES])
        out.append(Message("components_in_several_grids", {"count": len(several), "layer": grids.layer_name,
                                                           "examples": examples}))
    if overlapping:
        examples = "; ".join(f"{o.code_a} / {o.code_b}: {o.area:.1f} m²" for o in overlapping[:EXAMPLES])
        out.append(Message("overlapping_grids", {"count": len(overlapping), "layer": grids.layer_name,
                                                 "tolerance": f"{OVERLAP_MIN_SHARE:.0%}", "examples": examples}))
    return out


def _component_label(comps: ComponentColumns, row: int) -> str:
    """标识码 of a component, else its layer and feature id."""
    ident = str(comps.ids[row])
    return ident or f"{comps.layers[comps.layer[row]].name}:{int(comps.fid[row])}"


def _area_measure(crs: QgsCoordinateReferenceSystem):
    """Areas in square metres: planar in a projected CRS, on the ellipsoid in a geographic one."""
    if not crs.isGeographic():
        return None
    da = QgsDistanceArea()
    da.setSourceCrs(crs, QgsCoordinateTransformContext())
    da.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:7019")
    return lambda geom: da.measureArea(geom)


def crs_warnings(inputs: DistrictInputs, comps: ComponentColumns, grids: GridSet, located: np.ndarray) -> list:
    """few_in_grids when under half the components with a point land in a grid: name CRSs and extents."""
    with_point = int(np.count_nonzero(comps.valid)) + len(comps.untransformable)  # a point in its own CRS
    return few_in_grids_warnings(inputs, grids, with_point, int(np.count_nonzero(located[comps.valid] >= 0)))


def few_in_grids_warnings(inputs: DistrictInputs, grids: GridSet, with_point: int, inside: int) -> list:
    """crs_warnings from the counts: components with a point, and those of them in a grid."""
    if with_point == 0 or inside >= MIN_LOCATED_SHARE * with_point:
        return []
    layers = "; ".join(f"'{layer_label(lyr)}' ({crs_label(lyr.crs())}; {lyr.extent().toString(2)})"
                       for lyr in inputs.components)
    box = None
    for geom in grids.geometries:
        if geom is not None:
            if box is None:
                box = QgsRectangle(geom.boundingBox())
            else:
                box.combineExtentWith(geom.boundingBox())
    extent = box.toString(2) if box is not None else "-"
    return [Message("few_in_grids", {"assigned": inside, "located": with_point,
                                     "share": f"{inside / with_point:.1%}", "grid_layer": grids.layer_name,
                                     "grid_crs": crs_label(grids.crs), "grid_extent": extent, "layers": layers})]


def uncovered_warnings(idx: DistrictIndex, per_grid: Optional[np.ndarray] = None) -> list:
    """grids_outside_level per level with a pseudo-region: how many grids and components it holds.

    per_grid: components per grid (position in code order) where the index holds none (the database's)."""
    if per_grid is None:
        assigned = idx.comp_grid[idx.comp_grid >= 0]
        per_grid = np.bincount(assigned, minlength=len(idx.grids))
    out = []
    for level, data in idx.levels.items():
        if data.pseudo < 0:
            continue
        grids = np.nonzero(data.grid_region == data.pseudo)[0]
        members = int(per_grid[grids].sum())
        out.append(Message("grids_outside_level", {
            "count": len(grids), "layer": data.layer_name, "level": level.label,
            "examples": ", ".join(idx.grids[g].key for g in grids[:EXAMPLES]),
            "pseudo": pseudo_region_name(level), "components": members}))
    return out


def stored_grids(comps: ComponentColumns, grids: GridSet) -> np.ndarray:
    """Grid per component from its stored grid code (所在单元网格); -1 where empty or unknown."""
    if not len(comps.grid_attr_values):
        return np.full(comps.count, -1, dtype=np.int32)
    code_to_grid = {g.key: g.index for g in grids.grids}
    lookup = np.array([code_to_grid.get(v, -1) for v in comps.grid_attr_values.tolist()], dtype=np.int32)
    return lookup[comps.grid_attr_codes]


def detail_order(comp_grid: np.ndarray, comps: ComponentColumns, n_grids: int) -> np.ndarray:
    """Detail order (SPEC 4.9): grid code, then 标识码, unassigned last; ties keep the read order."""
    grid_rank = np.where(comp_grid >= 0, comp_grid, n_grids)
    return np.argsort(grid_rank.astype(np.int64) * (len(comps.id_values) + 1) + comps.id_rank, kind="stable")


# ----- step 5: checks ------------------------------------------------------------------------------
def check_components(comps: ComponentColumns, comp_grid: np.ndarray, located: np.ndarray, stored: np.ndarray,
                     on_edge: np.ndarray, kind: int, weak: dict) -> IndexReport:
    """What did not fit, counted per component (SPEC 4.4, 8): never dropped, always reported."""
    has_attr = np.array([info.grid_attr_field is not None for info in comps.layers])[comps.layer]
    mismatch = np.nonzero(has_attr & comps.valid & (located >= 0) & (stored != located))[0]
    id_counts = np.bincount(comps.id_rank[comps.has_id], minlength=len(comps.id_values))
    repeated = (id_counts > 1) & (comps.id_values != "")
    dup = {str(v): int(c) for v, c in zip(comps.id_values[repeated].tolist(), id_counts[repeated].tolist())}
    if kind == KIND_COMPONENTS:
        well_formed = ascii_digit_codes(comps.id_values)
        malformed = np.nonzero(~well_formed[comps.id_rank] & comps.has_id)[0]
    else:
        malformed = np.zeros(0, dtype=np.int64)
    return IndexReport(
        null_geometry=np.setdiff1d(np.nonzero(~comps.valid)[0], comps.untransformable),
        untransformable=comps.untransformable,
        unassigned=np.nonzero(comp_grid < 0)[0],
        on_grid_edge=np.nonzero(on_edge)[0],
        duplicate_ids=dup,
        malformed_ids=malformed,
        grid_code_mismatch=mismatch,
        multipart=comps.multipart,
        weak_grids=weak,
    )


def ascii_digit_codes(values: np.ndarray) -> np.ndarray:
    """True where a value is 16 or 17 ASCII digits (full-width digits are malformed codes)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    width = values.dtype.itemsize // 4
    chars = np.ascontiguousarray(values).view(np.uint32).reshape(len(values), width)
    length = np.count_nonzero(chars, axis=1)
    digits = np.count_nonzero((chars >= 48) & (chars <= 57), axis=1)
    return (digits == length) & ((length == 16) | (length == 17))


def _ranks(keys: Sequence[str]) -> list:
    """Rank of each key in sorted order: ties between regions go to the smallest name/code."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    rank = [0] * len(keys)
    for r, i in enumerate(order):
        rank[i] = r
    return rank


# ----- the whole build -----------------------------------------------------------------------------
def build_index(inputs: DistrictInputs, feedback=None) -> DistrictIndex:
    """Read every layer once and place every component; raises CityComponentsError on bad input."""
    check_polygon_layer(inputs.grids, "GRIDS", "unit grids")
    if not inputs.components:
        raise CityComponentsError("no_component_layers", "COMPONENTS")
    for layer in inputs.components:  # every layer checked before the long reads start
        check_point_layer(layer)
    # The one seam of the database engine: placement and assignment run as SQL when every layer is in
    # one PostGIS database; everything else (reads, checks, queries) is the same code for both. Chosen
    # first, so a server that is down or refuses the login is said before any read.
    engine = choose_engine(inputs, feedback)
    try:
        _step(feedback, 0, "Reading unit grids")
        return _build(inputs, read_grids(inputs), engine, feedback)
    finally:
        if engine is not None:
            engine.close()


def _read_upper_levels(inputs: DistrictInputs, grids: GridSet) -> list:
    """Every upper level's regions, read in the level order (its errors come before the components')."""
    return [read_level_regions(level, layer, inputs, grids) for level, layer in inputs.upper_layers().items()]


def _place_upper_levels(reads: list, inputs: DistrictInputs, grids: GridSet, feedback, engine) -> tuple:
    """(levels, weak grids per level, overlapping grid pairs): the steps that need only the polygons."""
    levels: dict = {}
    weak: dict = {}
    for lr in reads:
        levels[lr.level] = place_level(lr, inputs, grids, feedback, engine)
        weak[lr.level] = weak_grids(levels[lr.level], grids)
    return levels, weak, grid_overlaps(grids)


def _read_and_locate(inputs: DistrictInputs, grids: GridSet, engine, feedback, edges=None) -> tuple:
    """(components, (grid per component, on-edge mask, grids per point)); `edges`: a future of grid_edges."""
    comps = read_components(inputs, grids.crs, feedback, reader=engine.read_points if engine is not None else None)
    _step(feedback, 60, "Assigning components to grids")
    if engine is not None:  # the same rule in SQL (core/database/pushdown.py)
        return comps, engine.locate(comps, grids, inputs.grids, inputs.components, feedback)
    return comps, locate_with_hits(comps, grids, feedback, edges.result() if edges is not None else None)


class _CancelOnly:
    """What the placement thread may use of a feedback: its cancel flag (progress and messages stay
    on the calling thread, where the panel's and Processing's feedbacks expect them)."""

    def __init__(self, feedback) -> None:
        self._feedback = feedback

    def isCanceled(self) -> bool:  # noqa: N802 - the QgsFeedback name
        return self._feedback is not None and self._feedback.isCanceled()


def grid_index(inputs: DistrictInputs, grids: GridSet, engine) -> DistrictIndex:
    """A district index holding the grids (no level, no component yet): what every build starts from."""
    idx = DistrictIndex()
    idx.engine = engine.name if engine is not None else ENGINE_LOCAL
    idx.kind = inputs.kind
    idx.assign_by = inputs.assign_by
    idx.grid_crs = grids.crs
    idx.grid_crs_authid = grids.crs.authid()
    idx.grid_layer_name = grids.layer_name
    idx.grid_source = grids.source
    idx.grid_code_field = grids.code_field
    idx.grids = grids.grids
    idx.grid_geometries = grids.geometries
    idx.grid_repaired = grids.repaired
    idx.grid_null_geometries = grids.null_geometries
    return idx


def _build(inputs: DistrictInputs, grids: GridSet, engine, feedback) -> DistrictIndex:
    idx = grid_index(inputs, grids, engine)
    if engine is not None:
        messages.info(feedback, engine.note())

    reads = _read_upper_levels(inputs, grids)
    if engine is None:
        # Placing grids in the upper levels needs only geometries (GEOS, which releases the GIL): it
        # runs in a second thread while this one reads and locates the components. Every layer is
        # read on this thread.
        _step(feedback, 5, "Placing grids in the upper levels")
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="citycomponents-levels") as pool:
            edges = pool.submit(grid_edges, grids)  # first: the point test waits for it
            upper = pool.submit(_place_upper_levels, reads, inputs, grids, _CancelOnly(feedback), None)
            try:
                comps, (located, on_edge, hits) = _read_and_locate(inputs, grids, None, feedback, edges)
            except BaseException:
                if not upper.cancel():  # started: wait; a placement error comes first, as in the serial order
                    first = upper.exception()
                    if first is not None:
                        raise first from None
                raise
            idx.levels, weak, overlapping = upper.result()
    else:  # one database connection: the steps in turn
        idx.levels, weak, overlapping = _place_upper_levels(reads, inputs, grids, feedback, engine)
        comps, (located, on_edge, hits) = _read_and_locate(inputs, grids, engine, feedback)
    idx.layers = comps.layers
    idx.type_names = comps.type_names
    idx.comp_layer, idx.comp_fid, idx.comp_x, idx.comp_y = comps.layer, comps.fid, comps.x, comps.y
    idx.comp_valid, idx.comp_id, idx.comp_type = comps.valid, comps.ids, comps.type
    idx.comp_name, idx.comp_address = comps.name, comps.address
    idx.comp_grid_attr = (comps.grid_attr_values[comps.grid_attr_codes] if len(comps.grid_attr_values)
                          else np.full(comps.count, ""))

    stored = stored_grids(comps, grids)
    idx.comp_grid = stored if inputs.assign_by == ASSIGN_BY_STORED_CODE else located
    idx.detail_order = detail_order(idx.comp_grid, comps, len(grids.grids))

    _step(feedback, 90, "Checking the data")
    idx.report = check_components(comps, idx.comp_grid, located, stored, on_edge, inputs.kind, weak)
    idx.warnings = grids.warnings + [w for data in idx.levels.values() for w in data.warnings] + comps.warnings
    idx.warnings += crs_warnings(inputs, comps, grids, located)
    idx.warnings += overlap_warnings(comps, grids, hits, idx.report, overlapping)
    idx.warnings += uncovered_warnings(idx)
    _step(feedback, 100, "District index ready")
    return idx
