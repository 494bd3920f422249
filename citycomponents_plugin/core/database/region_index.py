"""The panel's region index on PostGIS: grids and regions placed by the database, no component read.

Reading a city's millions of components takes the whole index build (tens of seconds at 1.7 million
points); the panel's region lists need only the grids and the upper levels. On layers the
database engine can query, the panel builds this first: the same grids, levels, placement and
warnings as the whole index (the same functions), and the component types from the database. A
count on it asks the database for that region's components (region_query.region_components), with
the grid ranks and the placement of this index, so what is counted is what the lists show.
"""

from __future__ import annotations

from typing import Optional

from citycomponents_plugin.core.database.connection import sql
from citycomponents_plugin.core.database.pushdown import PostgisEngine, aliased_filter, choose_engine, local_reason
from citycomponents_plugin.core.database.region_query import RegionResult, key_text, region_components
from citycomponents_plugin.core.engine.build import (
    check_point_layer,
    component_fields,
    grid_index,
    place_level,
    read_grids,
    read_level_regions,
)
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import KIND_COMPONENTS, DistrictInputs
from citycomponents_plugin.core.engine.region_reader import check_polygon_layer
from citycomponents_plugin.core.levels import Level


def build_region_index(inputs: DistrictInputs, feedback=None) -> Optional[DistrictIndex]:
    """Grids, levels and types with `components_in_database` set; None where the local engine must run.

    Only components (KIND 0) located by position qualify: addresses and the stored-code mode need
    every feature's attributes, which the whole index reads.
    """
    engine = open_region_engine(inputs)
    if engine is None:
        return None
    try:
        return region_index_on(engine, inputs, feedback)[0]
    finally:
        engine.close()


def open_region_engine(inputs: DistrictInputs) -> Optional[PostgisEngine]:
    """The database engine for a region index of these layers (checked first), or None (the local engine)."""
    if not region_index_possible(inputs):
        return None
    check_polygon_layer(inputs.grids, "GRIDS", "unit grids")
    for layer in inputs.components:
        check_point_layer(layer)
    # No local reason logged here: where this declines, the whole index runs next and logs it once.
    return choose_engine(inputs, None)


def region_index_on(engine: PostgisEngine, inputs: DistrictInputs, feedback=None) -> tuple:
    """(the region index, the grids it was built from) on an open engine."""
    grids = read_grids(inputs)
    idx = grid_index(inputs, grids, engine)
    idx.components_in_database = True
    for level, layer in inputs.upper_layers().items():
        idx.levels[level] = place_level(read_level_regions(level, layer, inputs, grids), inputs, grids,
                                        feedback, engine)
    idx.layers = [component_fields(layer, inputs) for layer in inputs.components]
    idx.type_names = _type_names(engine, inputs.components, idx.layers)
    idx.warnings = grids.warnings + [w for data in idx.levels.values() for w in data.warnings]
    return idx, grids


def region_index_possible(inputs: DistrictInputs) -> bool:
    """Components located by position, every layer in one database (no connection made to tell)."""
    return (inputs.kind == KIND_COMPONENTS and inputs.assign_by == 0 and bool(inputs.components)
            and local_reason(inputs) is None)


def _type_names(engine: PostgisEngine, layers: list, infos: list) -> list:
    """Every type name of the component layers (the type field trimmed, else the layer's name), sorted."""
    names = set()
    for layer, info in zip(layers, infos):
        if not info.type_field:
            names.add(info.name)
            continue
        ref = engine.tables[layer.id()]
        query = sql.SQL("SELECT DISTINCT c.{}::text FROM {} c WHERE {}").format(
            sql.Identifier(info.type_field), ref.from_clause(), aliased_filter(ref, "c"))
        for chunk in engine.rows(query, (), ref):
            for (value,) in chunk:
                names.add(key_text(value) or info.name)
    return sorted(names)


class RegionCounter:
    """Counts regions of one region index in the database, on one connection kept between counts.

    The connection is opened at the first count and closed by close(); after a failed count (the
    server gone, the link dropped) it is let go, so the next count connects again. One count at a
    time: the panel runs them one after another in a task.
    """

    def __init__(self, index: DistrictIndex, inputs: DistrictInputs) -> None:
        self.index = index
        self.inputs = inputs
        self._engine: Optional[PostgisEngine] = None
        self._grid_keys = [(g.fid, g.key) for g in index.grids]

    def count(self, level: Level, region, types=None) -> RegionResult:
        """One region's counts and details, with the index's grid ranks and placement."""
        index, inputs = self.index, self.inputs
        try:
            if self._engine is None:
                self._engine = PostgisEngine.open([inputs.grids, *inputs.components])
            return count_on(self._engine, index, inputs, level, region, types, self._grid_keys)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()


def count_on(engine: PostgisEngine, index: DistrictIndex, inputs: DistrictInputs, level: Level, region,
             types=None, grid_keys: Optional[list] = None) -> RegionResult:
    """One region's counts and details on an open engine, with the index's grid ranks and placement."""
    mine = [grid.fid for grid in index.region_grids(level, region)]
    keys = [(g.fid, g.key) for g in index.grids] if grid_keys is None else grid_keys
    return region_components(engine, inputs.grids, keys, mine, inputs.components,
                             [info.id_field for info in index.layers], [info.type_field for info in index.layers],
                             [info.name for info in index.layers], index.grid_crs.isGeographic(), types)


def count_region(index: DistrictIndex, inputs: DistrictInputs, level: Level, region,
                 types=None) -> RegionResult:
    """One region's counts and details from the database, on a connection of its own."""
    counter = RegionCounter(index, inputs)
    try:
        return counter.count(level, region, types)
    finally:
        counter.close()
