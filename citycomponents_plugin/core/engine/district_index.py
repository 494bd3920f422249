"""The district index: every component placed in one grid, every grid in one region per level.

Built once (one pass over the components, only the needed attributes, coordinates in the grid
CRS); afterwards every query is an array lookup. SPEC section 4 fixes the semantics.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np
from qgis.core import QgsVectorLayer, QgsWkbTypes

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine import fields as fd
from citycomponents_plugin.core.engine.inputs import (
    ASSIGN_BY_STORED_CODE,
    KIND_ADDRESSES,
    KIND_COMPONENTS,
    DistrictInputs,
)
from citycomponents_plugin.core.engine.placement import place_grids
from citycomponents_plugin.core.engine.point_in_polygon import assign_points, boundary_tolerance, polygon_edges
from citycomponents_plugin.core.engine.point_reader import read_points
from citycomponents_plugin.core.engine.region_reader import Region, check_polygon_layer, layer_label, read_regions
from citycomponents_plugin.core.engine.text_columns import categorize, decode
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level

MIN_SHARE = 0.5
LEVEL_PARAMETERS = {Level.STREET: ("STREETS", "street office name", "STREET_NAME_FIELD"),
                    Level.SUPERVISOR: ("SUPERVISORS", "supervisor area name", "SUPERVISOR_NAME_FIELD"),
                    Level.COMMITTEE: ("COMMITTEES", "community committee name", "COMMITTEE_NAME_FIELD")}
LEVEL_CANDIDATES = {Level.STREET: fd.STREET_NAME_CANDIDATES, Level.SUPERVISOR: fd.SUPERVISOR_NAME_CANDIDATES,
                    Level.COMMITTEE: fd.COMMITTEE_NAME_CANDIDATES}


@dataclass
class ComponentLayerInfo:
    """One input point layer and the fields used from it."""

    name: str
    source: str
    features: int
    id_field: Optional[str]
    type_field: Optional[str]
    grid_attr_field: Optional[str]
    name_field: Optional[str] = None  # KIND 1: the POI's own name
    address_field: Optional[str] = None  # KIND 1
    multipart: int = 0


@dataclass
class LevelData:
    """Regions of one level and the region each grid belongs to."""

    level: Level
    layer_name: str
    source: str
    key_field: str
    regions: list
    grid_region: np.ndarray  # region index per grid (-1: none)
    grid_share: np.ndarray  # share of the grid's area covered by that region
    repaired: list = field(default_factory=list)
    null_geometries: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_key = {r.key: r for r in self.regions}


@dataclass
class IndexReport:
    """What did not fit: counted and reported, never dropped (SPEC 4.4, 8)."""

    null_geometry: np.ndarray  # component indices without a point (NULL or empty geometry)
    untransformable: np.ndarray  # indices whose point could not be transformed to the grid CRS
    unassigned: np.ndarray  # component indices in no grid (includes null geometries)
    on_grid_edge: np.ndarray  # indices that lie on a grid boundary (within the tolerance)
    duplicate_ids: dict  # 标识码 -> number of components using it
    malformed_ids: np.ndarray  # indices whose 标识码 is not 16 or 17 digits (KIND 0)
    grid_code_mismatch: np.ndarray  # indices whose stored grid code differs from the location's grid
    multipart: int
    weak_grids: dict  # level -> list of (grid code, region key or '', share) with share < MIN_SHARE


class DistrictIndex:
    """Components, grids and regions of one district, with the queries of SPEC section 4."""

    def __init__(self) -> None:
        self.kind = KIND_COMPONENTS
        self.assign_by = 0
        self.grid_crs_authid = ""
        self.grid_crs = None  # QgsCoordinateReferenceSystem of the grids: all coordinates are in it
        self.grid_layer_name = ""
        self.grid_source = ""
        self.grid_code_field = ""
        self.grids: list = []  # Region per grid, in grid code order
        self.grid_geometries: list = []
        self.levels: dict = {}
        self.layers: list = []
        self.type_names: list = []
        self.comp_layer = np.zeros(0, dtype=np.int32)
        self.comp_fid = np.zeros(0, dtype=np.int64)
        self.comp_id = np.zeros(0, dtype=str)  # text columns are numpy unicode arrays
        self.comp_type = np.zeros(0, dtype=np.int32)
        self.comp_name = np.zeros(0, dtype=str)
        self.comp_address = np.zeros(0, dtype=str)
        self.comp_grid_attr = np.zeros(0, dtype=str)
        self.comp_x = np.zeros(0)
        self.comp_y = np.zeros(0)
        self.comp_valid = np.zeros(0, dtype=bool)
        self.comp_grid = np.zeros(0, dtype=np.int32)
        self.detail_order = np.zeros(0, dtype=np.int64)
        self.report: Optional[IndexReport] = None
        self.grid_repaired: list = []  # (fid, code) of invalid grid polygons made valid for this run
        self.grid_null_geometries: list = []  # (fid, code) of grids without geometry
        self._region_cache: dict = {}

    # ----- sizes -------------------------------------------------------------------------------
    @property
    def components_read(self) -> int:
        return len(self.comp_fid)

    @property
    def assigned(self) -> int:
        return int(np.count_nonzero(self.comp_grid >= 0))

    @property
    def unassigned(self) -> int:
        return self.components_read - self.assigned

    def levels_present(self) -> list:
        """Levels available, in the order street, supervisor, committee, grid."""
        return [lvl for lvl in LEVEL_ORDER if lvl == Level.GRID or lvl in self.levels]

    # ----- regions ------------------------------------------------------------------------------
    def regions(self, level: Level) -> list:
        if level == Level.GRID:
            return self.grids
        return self._level(level).regions

    def _level(self, level: Level) -> LevelData:
        if level not in self.levels:
            param = LEVEL_PARAMETERS[level][0]
            raise CityComponentsError(
                f"No {level.label} layer was given: set {param} to query the {level.value} level.")
        return self.levels[level]

    def grid_region(self, level: Level) -> np.ndarray:
        """Region index of each grid at `level` (-1: none)."""
        if level == Level.GRID:
            return np.arange(len(self.grids), dtype=np.int32)
        return self._level(level).grid_region

    def find_region(self, level: Level, text: str) -> Region:
        """A region by key (grid code / name) or code; unknown values get close suggestions."""
        wanted = str(text).strip()
        regions = self.regions(level)
        by_key = {r.key: r for r in regions}
        if wanted in by_key:
            return by_key[wanted]
        for r in regions:
            if wanted and (r.code == wanted or r.name == wanted):
                return r
        close = difflib.get_close_matches(wanted, list(by_key), n=5, cutoff=0.4)
        if not close:
            close = [k for k in by_key if wanted and (wanted in k or k in wanted)][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise CityComponentsError(f"No {level.label} named '{wanted}' in layer "
                                  f"'{self._layer_name(level)}'.{hint}")

    def _layer_name(self, level: Level) -> str:
        return self.grid_layer_name if level == Level.GRID else self._level(level).layer_name

    def component_region(self, level: Level) -> np.ndarray:
        """Region index of each component at `level` (-1: unassigned or no region)."""
        cached = self._region_cache.get(level)
        if cached is None:
            table = self.grid_region(level)
            cached = np.where(self.comp_grid >= 0, table[np.maximum(self.comp_grid, 0)], -1).astype(np.int32)
            self._region_cache[level] = cached
        return cached

    def region_grids(self, level: Level, region: Region) -> list:
        """Grids of a region, in grid code order."""
        table = self.grid_region(level)
        return [self.grids[i] for i in np.nonzero(table == region.index)[0]]

    # ----- types --------------------------------------------------------------------------------
    def type_mask(self, types: Optional[Iterable[str]]) -> Optional[np.ndarray]:
        """Components of the given type names (None: all); unknown names are an error with hints."""
        if types is None:
            return None
        names = [t.strip() for t in types if t and t.strip()]
        if not names:
            return None
        lookup = {n: i for i, n in enumerate(self.type_names)}
        unknown = [n for n in names if n not in lookup]
        if unknown:
            hints = []
            for n in unknown[:3]:
                close = difflib.get_close_matches(n, self.type_names, n=3, cutoff=0.3)
                hints.append(f"'{n}'" + (f" (did you mean {', '.join(close)}?)" if close else ""))
            raise CityComponentsError(f"Unknown component type(s): {'; '.join(hints)}. Known types: "
                                      f"{', '.join(self.type_names[:20])}{'...' if len(self.type_names) > 20 else ''}")
        allowed = np.zeros(len(self.type_names), dtype=bool)
        allowed[[lookup[n] for n in names]] = True
        return allowed[self.comp_type]

    def type_counts(self, indices: np.ndarray) -> np.ndarray:
        return np.bincount(self.comp_type[indices], minlength=len(self.type_names))

    # ----- queries ------------------------------------------------------------------------------
    def region_members(self, level: Level, region: Optional[Region], types=None) -> np.ndarray:
        """Component indices of a region (None: unassigned ones), in detail order (grid code, 标识码)."""
        comp_region = self.component_region(level)
        if region is None:
            mask = self.comp_grid < 0
        else:
            mask = comp_region == region.index
        tmask = self.type_mask(types)
        if tmask is not None:
            mask = mask & tmask
        ordered = self.detail_order
        return ordered[mask[ordered]]

    def statistics(self, indices: np.ndarray) -> list:
        """(部件名称, 部件总数) rows: count descending, then type name (SPEC 4.8)."""
        counts = self.type_counts(indices)
        rows = [(self.type_names[i], int(c)) for i, c in enumerate(counts) if c > 0]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows

    def members_by_region(self, level: Level, types=None) -> list:
        """For each region of the level, its component indices in detail order (one pass)."""
        comp_region = self.component_region(level)
        ordered = self.detail_order
        tmask = self.type_mask(types)
        if tmask is not None:
            ordered = ordered[tmask[ordered]]
        keys = comp_region[ordered]
        keep = keys >= 0
        ordered, keys = ordered[keep], keys[keep]
        sort = np.argsort(keys, kind="stable")
        ordered, keys = ordered[sort], keys[sort]
        bounds = np.searchsorted(keys, np.arange(len(self.regions(level)) + 1))
        return [ordered[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]

    def crosstab(self, level: Level, types=None) -> np.ndarray:
        """Counts per region x type (rows follow regions(level), columns type_names)."""
        comp_region = self.component_region(level)
        keep = comp_region >= 0
        tmask = self.type_mask(types)
        if tmask is not None:
            keep &= tmask
        n_types = len(self.type_names)
        flat = comp_region[keep].astype(np.int64) * n_types + self.comp_type[keep]
        counts = np.bincount(flat, minlength=len(self.regions(level)) * n_types)
        return counts.reshape(len(self.regions(level)), n_types)

    def grid_code_of(self, indices: np.ndarray) -> list:
        """Full grid code of each component ('' where unassigned)."""
        codes = np.array([g.key for g in self.grids] + [""], dtype=object)
        return codes[np.where(self.comp_grid[indices] >= 0, self.comp_grid[indices], len(self.grids))].tolist()

    def region_key_of(self, level: Level, indices: np.ndarray) -> list:
        keys = np.array([r.key for r in self.regions(level)] + [""], dtype=object)
        reg = self.component_region(level)[indices]
        return keys[np.where(reg >= 0, reg, len(keys) - 1)].tolist()

    def detail_rows(self, indices: np.ndarray) -> list:
        """(标识码, 名称, 单元网格) rows; for addresses/POIs (名称, 类别, 地址, 单元网格)."""
        grid_codes = self.grid_code_of(indices)
        types = [self.type_names[t] for t in self.comp_type[indices].tolist()]
        if self.kind == KIND_ADDRESSES:
            return list(zip(self.comp_name[indices].tolist(), types, self.comp_address[indices].tolist(), grid_codes))
        return list(zip(self.comp_id[indices].tolist(), types, grid_codes))

    def detail_headers(self) -> list:
        if self.kind == KIND_ADDRESSES:
            return ["名称", "类别", "地址", "单元网格"]
        return ["标识码", "名称", "单元网格"]


# ----- building ----------------------------------------------------------------------------------
def _check_point_layer(layer: Optional[QgsVectorLayer]) -> QgsVectorLayer:
    if layer is None or not layer.isValid():
        src = layer.source() if layer is not None else "(none)"
        raise CityComponentsError(f"Component layer '{layer_label(layer) if layer else ''}' could not be read from "
                                  f"'{src}'. Check that the file exists and is readable.")
    if layer.geometryType() != compat.POINT_GEOMETRY:
        kind = QgsWkbTypes.geometryDisplayString(layer.geometryType())
        raise CityComponentsError(f"Layer '{layer_label(layer)}' (COMPONENTS) has {kind} geometries; component, "
                                  "address and POI layers must be point layers.")
    if not layer.crs().isValid():
        raise CityComponentsError(f"Layer '{layer_label(layer)}' (COMPONENTS) has no defined CRS. Set its CRS "
                                  "(Layer Properties > Source) and run again.")
    return layer


def _component_fields(layer: QgsVectorLayer, inputs: DistrictInputs) -> ComponentLayerInfo:
    names = layer.fields().names()
    lname = layer_label(layer)
    if inputs.kind == KIND_ADDRESSES:
        id_f = fd.resolve_field(names, inputs.id_field, fd.COMPONENT_ID_CANDIDATES, layer_name=lname,
                                role="identifier", parameter="ID_FIELD", required=False)
        type_f = fd.resolve_field(names, inputs.type_field, fd.POI_TYPE_CANDIDATES, layer_name=lname,
                                  role="category", parameter="TYPE_FIELD", required=False)
        name_f = fd.resolve_field(names, None, fd.POI_NAME_CANDIDATES, layer_name=lname, role="name",
                                  parameter="", required=False)
        addr_f = fd.resolve_field(names, None, fd.ADDRESS_CANDIDATES, layer_name=lname, role="address",
                                  parameter="", required=False)
    else:
        id_f = fd.resolve_field(names, inputs.id_field, fd.COMPONENT_ID_CANDIDATES, layer_name=lname,
                                role="component identifier (标识码)", parameter="ID_FIELD", required=True)
        type_f = fd.resolve_field(names, inputs.type_field, fd.COMPONENT_TYPE_CANDIDATES, layer_name=lname,
                                  role="component type name", parameter="TYPE_FIELD", required=False)
        name_f = addr_f = None
    required_attr = inputs.assign_by == ASSIGN_BY_STORED_CODE
    grid_f = fd.resolve_field(names, inputs.grid_attr_field, fd.GRID_ATTR_CANDIDATES, layer_name=lname,
                              role="stored grid code (所在单元网格)", parameter="GRID_ATTR_FIELD",
                              required=required_attr)
    return ComponentLayerInfo(lname, layer.source(), 0, id_f, type_f, grid_f, name_f, addr_f)


def build_index(inputs: DistrictInputs, feedback=None) -> DistrictIndex:
    """Read every layer once and place every component; raises CityComponentsError on bad input."""
    grids_layer = check_polygon_layer(inputs.grids, "GRIDS", "unit grids")
    if not inputs.components:
        raise CityComponentsError("No component layers were given (COMPONENTS). Choose one or more point layers.")
    comp_layers = [_check_point_layer(lyr) for lyr in inputs.components]
    idx = DistrictIndex()
    idx.kind = inputs.kind
    idx.assign_by = inputs.assign_by
    crs = grids_layer.crs()
    idx.grid_crs_authid = crs.authid()
    idx.grid_crs = crs
    idx.grid_layer_name = layer_label(grids_layer)
    idx.grid_source = grids_layer.source()
    context = inputs.transform_context

    def step(pct: float, text: str) -> None:
        if feedback is not None:
            feedback.setProgress(pct)
            feedback.setProgressText(text)

    # Grids, sorted by code: list order is the edge rule's priority.
    step(0, "Reading unit grids")
    code_field = fd.resolve_field(grids_layer.fields().names(), inputs.grid_code_field, fd.GRID_CODE_CANDIDATES,
                                  layer_name=idx.grid_layer_name, role="grid code (网格编码)",
                                  parameter="GRID_CODE_FIELD")
    idx.grid_code_field = code_field
    grid_layer = read_regions(grids_layer, code_field, crs, context, parameter="GRID_CODE_FIELD",
                              role="grid code")
    order = sorted(range(len(grid_layer.regions)), key=lambda i: grid_layer.regions[i].key)
    idx.grids = [Region(n, grid_layer.regions[i].key, grid_layer.regions[i].name, grid_layer.regions[i].fid)
                 for n, i in enumerate(order)]
    idx.grid_geometries = [grid_layer.geometries[i] for i in order]
    grid_repaired = grid_layer.repaired
    grid_nulls = grid_layer.null_geometries

    # Upper levels: each grid in the region covering most of it.
    weak: dict = {}
    for n, (level, layer) in enumerate(inputs.upper_layers().items()):
        param, role, field_param = LEVEL_PARAMETERS[level]
        check_polygon_layer(layer, param, level.label)
        step(5 + 5 * n, f"Placing grids in {level.label}")
        name_field = fd.resolve_field(layer.fields().names(), inputs.name_override(level), LEVEL_CANDIDATES[level],
                                      layer_name=layer_label(layer), role=role, parameter=field_param)
        person_field = None
        if level == Level.SUPERVISOR:
            person_field = fd.detect_field([f for f in layer.fields().names() if f != name_field],
                                           fd.SUPERVISOR_PERSON_CANDIDATES)
        rl = read_regions(layer, name_field, crs, context, parameter=field_param, role=role,
                          person_field=person_field)
        placement = place_grids(idx.grid_geometries, rl.geometries,
                                _ranks([r.key for r in rl.regions]), feedback)
        # Regions listed by name so outputs are stable and readable.
        by_name = sorted(range(len(rl.regions)), key=lambda i: rl.regions[i].key)
        remap = np.full(len(rl.regions) + 1, -1, dtype=np.int32)
        regions = []
        for new, old in enumerate(by_name):
            r = rl.regions[old]
            regions.append(Region(new, r.key, r.name, r.fid, r.person, r.code))
            remap[old] = new
        grid_region = remap[placement.region]  # -1 stays -1 through remap[-1]
        idx.levels[level] = LevelData(level, rl.layer_name, rl.source, name_field, regions, grid_region,
                                      placement.share, rl.repaired, rl.null_geometries)
        weak[level] = [(idx.grids[g].key, regions[grid_region[g]].key if grid_region[g] >= 0 else "",
                        float(placement.share[g])) for g in np.nonzero(placement.share < MIN_SHARE)[0]
                       if idx.grid_geometries[g] is not None]

    # Components: one read per layer, only the needed attributes.
    ids, types, names, addrs, attrs, fids, xs, ys, valid, layer_no = [], [], [], [], [], [], [], [], [], []
    has_id, untransformable = [], []
    type_of_label: dict = {}  # type name -> global type number, in first-seen order (renumbered sorted below)
    multipart = 0
    offset = 0
    for n, layer in enumerate(comp_layers):
        step(20 + 40 * n / max(len(comp_layers), 1), f"Reading {layer_label(layer)}")
        info = _component_fields(layer, inputs)
        cols = read_points(layer, [info.id_field, info.type_field, info.grid_attr_field, info.name_field,
                                   info.address_field], crs, context, feedback)
        count = len(cols.fids)
        info.features = count
        info.multipart = cols.multipart
        multipart += cols.multipart
        idx.layers.append(info)
        empty = np.full(count, b"")
        # Type: the (trimmed) type field; empty or blank values fall back to the layer's name.
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
    id_values, id_rank = categorize(np.concatenate(ids))
    idx.comp_id = id_values[id_rank] if len(id_values) else np.zeros(0, dtype=str)
    idx.type_names = sorted(type_of_label)
    renumber = np.zeros(len(type_of_label), dtype=np.int32)
    for name, number in type_of_label.items():
        renumber[number] = idx.type_names.index(name)
    idx.comp_type = renumber[np.concatenate(types)] if idx.type_names else np.zeros(0, dtype=np.int32)
    idx.comp_name = decode(np.concatenate(names))
    idx.comp_address = decode(np.concatenate(addrs))
    attr_labels, attr_codes = categorize(np.concatenate(attrs))
    idx.comp_grid_attr = attr_labels[attr_codes] if len(attr_labels) else np.zeros(0, dtype=str)
    idx.comp_fid = np.concatenate(fids)
    idx.comp_x = np.concatenate(xs)
    idx.comp_y = np.concatenate(ys)
    idx.comp_valid = np.concatenate(valid)
    idx.comp_layer = np.concatenate(layer_no)
    if idx.components_read == 0:
        raise CityComponentsError("The component layers (" + ", ".join(layer_label(lyr) for lyr in comp_layers)
                                  + ") have no features. Choose layers that hold components.")

    # Location: each point in one grid (ties to the smallest grid code).
    step(60, "Assigning components to grids")
    eps = boundary_tolerance(crs.isGeographic())
    edges = polygon_edges(idx.grid_geometries, eps)
    located, on_edge, _hits = assign_points(idx.comp_x, idx.comp_y, idx.comp_valid, edges,
                                            np.arange(len(idx.grids)), eps, feedback)
    code_to_grid = {g.key: g.index for g in idx.grids}
    lookup = np.array([code_to_grid.get(v, -1) for v in attr_labels.tolist()], dtype=np.int32)
    stored = lookup[attr_codes] if len(attr_labels) else np.full(idx.components_read, -1, dtype=np.int32)
    idx.comp_grid = stored if inputs.assign_by == ASSIGN_BY_STORED_CODE else located

    # Detail order: grid code, then 标识码 (unassigned last); id_rank is the 标识码's sorted rank.
    grid_rank = np.where(idx.comp_grid >= 0, idx.comp_grid, len(idx.grids))
    # One stable sort on a combined key: ties keep the read order (layer, then feature order).
    idx.detail_order = np.argsort(grid_rank.astype(np.int64) * (len(id_values) + 1) + id_rank, kind="stable")

    # Report.
    step(90, "Checking the data")
    has_attr = np.array([info.grid_attr_field is not None for info in idx.layers])[idx.comp_layer]
    mismatch = np.nonzero(has_attr & idx.comp_valid & (located >= 0) & (stored != located))[0]
    with_id = np.concatenate(has_id)
    id_counts = np.bincount(id_rank[with_id], minlength=len(id_values))
    repeated = (id_counts > 1) & (id_values != "")
    dup = {str(v): int(c) for v, c in zip(id_values[repeated].tolist(), id_counts[repeated].tolist())}
    if inputs.kind == KIND_COMPONENTS:
        well_formed = _ascii_digit_codes(id_values)
        malformed = np.nonzero(~well_formed[id_rank] & with_id)[0]
    else:
        malformed = np.zeros(0, dtype=np.int64)
    idx.report = IndexReport(
        null_geometry=np.setdiff1d(np.nonzero(~idx.comp_valid)[0], np.concatenate(untransformable)),
        untransformable=np.concatenate(untransformable).astype(np.int64),
        unassigned=np.nonzero(idx.comp_grid < 0)[0],
        on_grid_edge=np.nonzero(on_edge)[0],
        duplicate_ids=dup,
        malformed_ids=malformed,
        grid_code_mismatch=mismatch,
        multipart=multipart,
        weak_grids=weak,
    )
    idx.grid_repaired = grid_repaired
    idx.grid_null_geometries = grid_nulls
    step(100, "District index ready")
    return idx


def _ascii_digit_codes(values: np.ndarray) -> np.ndarray:
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
