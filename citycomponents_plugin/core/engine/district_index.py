"""The district index: every component placed in one grid, every grid in one region per level.

Built once (one pass over the components, only the needed attributes, coordinates in the grid
CRS); afterwards every query is an array lookup. SPEC section 4 fixes the semantics.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Optional

import numpy as np

from citycomponents_plugin.core.codes import DEFAULT_GRID_PROFILE
from citycomponents_plugin.core.engine import fields as fd
from citycomponents_plugin.core.engine.inputs import (
    KIND_ADDRESSES,
    KIND_COMPONENTS,
)
from citycomponents_plugin.core.engine.region_reader import Region
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level

MIN_SHARE = 0.5
# Where a level's grids that no region covers are listed (SPEC 4.4): one pseudo-region per level.
PSEUDO_REGION = "(不属于任何{label})"
# A street's / committee's code is the leading part of its grids' codes up to the street / community
# segment of the grid-code layout (9 and 12 digits in the default 6+3+3+2), used where the layer has no
# code field of its own.
CODE_PREFIX = {Level.STREET: DEFAULT_GRID_PROFILE.street.stop, Level.COMMITTEE: DEFAULT_GRID_PROFILE.community.stop}
LEVEL_PARAMETERS = {Level.STREET: ("STREETS", "street office name", "STREET_NAME_FIELD"),
                    Level.SUPERVISOR: ("SUPERVISORS", "supervisor area name", "SUPERVISOR_NAME_FIELD"),
                    Level.COMMITTEE: ("COMMITTEES", "community committee name", "COMMITTEE_NAME_FIELD")}
LEVEL_CANDIDATES = {Level.STREET: fd.STREET_NAME_CANDIDATES, Level.SUPERVISOR: fd.SUPERVISOR_NAME_CANDIDATES,
                    Level.COMMITTEE: fd.COMMITTEE_NAME_CANDIDATES}
LEVEL_CODE_CANDIDATES = {Level.STREET: fd.STREET_CODE_CANDIDATES, Level.SUPERVISOR: fd.SUPERVISOR_CODE_CANDIDATES,
                         Level.COMMITTEE: fd.COMMITTEE_CODE_CANDIDATES}


def pseudo_region_name(level: Level) -> str:
    """(不属于任何社区居委会) and the like: the level's region of grids no region covers."""
    return PSEUDO_REGION.format(label=level.label)


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
    code_field: Optional[str] = None  # the layer's region code field, where it has one
    pseudo: int = -1  # index of the (不属于任何<level>) region, -1 when every grid is covered
    warnings: list = field(default_factory=list)  # Message per problem found reading the layer
    geometries: list = field(default_factory=list)  # QgsGeometry (or None) per region, in the grid CRS

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
    several_grids: list = field(default_factory=list)  # overlaps.ComponentOverlap per point inside several grids
    overlapping_grids: list = field(default_factory=list)  # overlaps.GridOverlap per overlapping grid pair


@dataclass
class ReportCounts:
    """What a run's log tells of the components, whichever engine counted them: the index's arrays
    counted (of_index), or the database's aggregates (core/database/district.py)."""

    components_read: int
    assigned: int
    null_geometry: int
    untransformable: int
    duplicate_ids: dict  # 标识码 -> number of components using it, in 标识码 order
    grid_code_mismatch: int
    multipart: int
    weak_grids: dict  # level -> list of (grid code, region key or '', share), as IndexReport.weak_grids

    @property
    def unassigned(self) -> int:
        return self.components_read - self.assigned

    @classmethod
    def of_index(cls, index: DistrictIndex) -> ReportCounts:
        rep = index.report
        return cls(index.components_read, index.assigned, len(rep.null_geometry), len(rep.untransformable),
                   rep.duplicate_ids, len(rep.grid_code_mismatch), rep.multipart, rep.weak_grids)


class DistrictIndex:
    """Components, grids and regions of one district, with the queries of SPEC section 4."""

    def __init__(self) -> None:
        self.kind = KIND_COMPONENTS
        self.engine = "local"  # or "postgis": which engine placed and assigned (SPEC 11)
        # True for the panel's region index on PostGIS (core/database/region_index.py): grids and
        # levels only, each count asked of the database.
        self.components_in_database = False
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
        # core.messages.Message per problem found while building (CRS, overlaps, numeric codes,
        # encodings, uncovered grids): every shell shows them and the manifest lists them.
        self.warnings: list = []
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
            raise CityComponentsError("level_missing", param, level=level.label)
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
        if level == Level.GRID and len(wanted) == 5 and wanted.isascii() and wanted.isdigit():
            matches = self.grids_with_short_code(wanted)
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise CityComponentsError("grid_short_ambiguous", "REGION", value=wanted, count=len(matches),
                                          layer=self._layer_name(level), grids=", ".join(g.key for g in matches))
        close = difflib.get_close_matches(wanted, list(by_key), n=5, cutoff=0.4)
        if not close:
            close = [k for k in by_key if wanted and (wanted in k or k in wanted)][:5]
        if close:
            raise CityComponentsError("region_unknown_close", "REGION", level=level.label, value=wanted,
                                      layer=self._layer_name(level), close=", ".join(close))
        raise CityComponentsError("region_unknown", "REGION", level=level.label, value=wanted,
                                  layer=self._layer_name(level))

    def grids_with_short_code(self, short: str, grids: Optional[Iterable[int]] = None) -> list:
        """Grids (of `grids`, all by default) whose short code (community + serial, the booklets') is `short`.

        Unique within a street, not always within the district: the caller narrows by street or lists them.
        """
        candidates = self.grids if grids is None else [self.grids[g] for g in grids]
        return [g for g in candidates if DEFAULT_GRID_PROFILE.short_code(g.key) == short]

    def region_codes(self, level: Level) -> list:
        """代码 per region: the grid code; the region layer's own code; else the prefix all its grids share."""
        regions = self.regions(level)
        if level == Level.GRID:
            return [r.key for r in regions]
        width = CODE_PREFIX.get(level)
        prefixes: list = [set() for _ in regions]
        if width:
            for grid, reg in zip(self.grids, self.grid_region(level).tolist()):
                if reg >= 0:
                    code = grid.key
                    prefixes[reg].add(code[:width] if code.isdigit() and len(code) > width else None)
        out = []
        for r, pre in zip(regions, prefixes):
            if r.pseudo:
                out.append("")
            elif r.code:
                out.append(r.code)
            elif len(pre) == 1 and None not in pre:
                out.append(next(iter(pre)))
            else:
                out.append("")
        return out

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
        names = self.known_types(types)
        if names is None:
            return None
        lookup = {n: i for i, n in enumerate(self.type_names)}
        allowed = np.zeros(len(self.type_names), dtype=bool)
        allowed[[lookup[n] for n in names]] = True
        return allowed[self.comp_type]

    def known_types(self, types: Optional[Iterable[str]]) -> Optional[list]:
        """The given type names, trimmed (None: all types); a name of no type is an error with hints."""
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
                hints.append(f"'{n}'" + (f" ({', '.join(close)}?)" if close else ""))
            known = ", ".join(self.type_names[:20]) + ("..." if len(self.type_names) > 20 else "")
            raise CityComponentsError("types_unknown", "TYPES", unknown="; ".join(hints), known=known)
        return names

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
