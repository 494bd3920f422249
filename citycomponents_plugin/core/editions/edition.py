"""An edition: the archive at one date, as columns (标识码, type, point, region per level, attributes).

Why columns: two whole-district editions (168k components each) are compared with array operations,
not per-component Python; the same shape comes from component layers (placed by the engine) and from
a batch-export folder (its edition file), so the comparison does not care where an edition came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.fields import detect_field
from citycomponents_plugin.core.engine.point_reader import read_points
from citycomponents_plugin.core.engine.text_columns import decode
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level

STATUS_CANDIDATES = ["部件状态", "状态", "STATUS", "STATE", "BJZT"]
TYPES = "types"  # Edition.codes() of the type column


@dataclass
class Edition:
    """One edition's components; every array has one entry per component, text as numpy unicode."""

    label: str  # what the operator recognises: a layer list or a folder
    date: str  # ISO date of the edition ('' when unknown)
    ids: np.ndarray
    types: np.ndarray  # type name (名称) per component
    x: np.ndarray  # in the district's grid CRS; NaN without a point
    y: np.ndarray
    regions: dict  # Level -> region key per component ('' where none)
    attributes: dict = field(default_factory=dict)  # field name -> values ('' for NULL)
    status_field: Optional[str] = None
    sources: list = field(default_factory=list)  # layer sources (for the record)
    hashes: Optional[np.ndarray] = None  # content hash per component, when recorded (folder editions)
    coded: dict = field(default_factory=dict)  # Level or TYPES -> (names, number per component into names)

    @property
    def count(self) -> int:
        return len(self.ids)

    def codes(self, column) -> tuple:
        """(names, number of each component's value in names) of a region level (Level) or of TYPES.

        Why: counting per region and per type with integers keeps a whole-district comparison linear
        (sorting a million key strings per level is not); an edition from an index has the engine's
        numbers already, any other edition gets them once here.
        """
        if column not in self.coded:
            values = self.types if column == TYPES else self.regions[column]
            names, numbers = np.unique(values, return_inverse=True)
            self.coded[column] = (names.tolist(), numbers.astype(np.int64))
        return self.coded[column]

    @property
    def valid(self) -> np.ndarray:
        return np.isfinite(self.x) & np.isfinite(self.y)


def edition_from_index(index: DistrictIndex, components: list, label: str = "", date: str = "",
                       feedback=None) -> Edition:
    """The components of a built index, with every attribute of their layers (one more read per layer).

    The index gives the engine's placement (grid, and the grid's region at each level); the extra read
    gives the attributes the comparison reports (status, owner, maintainer ...), in the same order.
    """
    attributes: dict = {}
    per_layer = []
    for layer, info in zip(components, index.layers):
        # The feature id column (GeoPackage fid) numbers rows, it is no property of the component.
        keys = {layer.fields().at(i).name() for i in layer.primaryKeyAttributes()}
        names = [f for f in layer.fields().names() if f != info.id_field and f not in keys]
        cols = read_points(layer, names, index.grid_crs, None, feedback)
        per_layer.append((names, cols, len(cols.fids)))
    all_names = list(dict.fromkeys(n for names, _, _ in per_layer for n in names))
    for name in all_names:
        parts = [decode(cols.attributes[name]) if name in names else np.full(count, "")
                 for names, cols, count in per_layer]
        attributes[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=str)
    regions = {}
    coded = {}
    for level in LEVEL_ORDER:
        if level == Level.GRID or level in index.levels:
            regions[level] = np.array(index.region_key_of(level, np.arange(index.components_read)) or [],
                                      dtype=str)
            names = [r.key for r in index.regions(level)] + [""]
            reg = index.component_region(level)[:index.components_read].astype(np.int64)
            coded[level] = (names, np.where(reg >= 0, reg, len(names) - 1))
    types = np.array(index.type_names, dtype=str)[index.comp_type] if index.components_read else np.zeros(0, str)
    coded[TYPES] = (list(index.type_names), np.asarray(index.comp_type[:index.components_read], dtype=np.int64))
    x = np.where(index.comp_valid, index.comp_x, np.nan)
    y = np.where(index.comp_valid, index.comp_y, np.nan)
    status = detect_field(all_names, STATUS_CANDIDATES)
    return Edition(label or ", ".join(info.name for info in index.layers), date, np.asarray(index.comp_id, dtype=str),
                   types, x, y, regions, attributes, status, [info.source for info in index.layers], coded=coded)


def content_hashes(edition: Edition) -> np.ndarray:
    """A short hash of each component's content (type, point to the centimetre, attributes in name order).

    Recorded in an edition file so a later comparison can tell changed from unchanged without the
    earlier layers; the attribute values are recorded beside it to say what changed.
    """
    names = sorted(edition.attributes)
    xs = np.where(edition.valid, np.round(edition.x, 2), np.nan).tolist()
    ys = np.where(edition.valid, np.round(edition.y, 2), np.nan).tolist()
    columns = [edition.types.tolist()] + [edition.attributes[n].tolist() for n in names]
    out = []
    for i, values in enumerate(zip(*columns)):
        text = "\x1f".join(values) + f"\x1e{xs[i]!r}\x1e{ys[i]!r}"
        out.append(hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest())
    return np.array(out, dtype=str)
