"""The original dialog's cascade, from the engine's grid mapping: street -> supervisor area -> committee -> grid.

A committee "of a street" is a committee of the street's grids (SPEC 4.2: each grid sits in one region per
level), so split committees and hand-drawn boundaries need no special case. No widgets here: easy to test.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui.i18n import tr

CASCADE = [Level.STREET, Level.SUPERVISOR, Level.COMMITTEE, Level.GRID]


def level_name(level: Level) -> str:
    """The level's name in the UI language."""
    return {Level.STREET: tr("Street office"), Level.SUPERVISOR: tr("Supervisor area"),
            Level.COMMITTEE: tr("Community committee"), Level.GRID: tr("Unit grid")}[level]


def has_level(index: DistrictIndex, level: Level) -> bool:
    return level == Level.GRID or level in index.levels


def grid_mask(index: DistrictIndex, chosen: dict, before: Optional[Level] = None) -> np.ndarray:
    """Grids inside every chosen region of the levels above `before` (all levels when None)."""
    mask = np.ones(len(index.grids), dtype=bool)
    for level in CASCADE:
        if level == before:
            break
        region = chosen.get(level)
        if region is not None and has_level(index, level):
            mask &= index.grid_region(level) == region.index
    return mask


def options(index: DistrictIndex, chosen: dict, level: Level) -> list:
    """Regions the operator can pick at `level` given the choices above it."""
    if not has_level(index, level):
        return []
    upper_chosen = any(chosen.get(u) is not None for u in CASCADE[:CASCADE.index(level)])
    if not upper_chosen:
        return list(index.regions(level))
    mask = grid_mask(index, chosen, before=level)
    if level == Level.GRID:
        return [index.grids[i] for i in np.nonzero(mask)[0]]
    table = index.grid_region(level)[mask]
    regions = index.regions(level)
    return [regions[i] for i in np.unique(table[table >= 0]).tolist()]


def query(chosen: dict) -> tuple:
    """(level, region) of the most specific choice, or (None, None)."""
    for level in reversed(CASCADE):
        if chosen.get(level) is not None:
            return level, chosen[level]
    return None, None


def choose(index: DistrictIndex, chosen: dict, level: Level, region, keep_lower: bool = False) -> dict:
    """New choices after picking `region` at `level`: the levels above filled in, the levels below cleared.

    An upper choice that shares a grid with the region is kept; otherwise the upper region holding all the
    region's grids is chosen, or none when its grids are spread over several. With `keep_lower` (a choice
    in a list), a lower choice still inside the new choices stays.
    """
    grids = np.nonzero(index.grid_region(level) == region.index)[0] if region is not None else np.zeros(0, int)
    result: dict = {}
    for upper in CASCADE[:CASCADE.index(level)]:
        if not has_level(index, upper) or region is None:
            result[upper] = chosen.get(upper) if region is None else None
            continue
        table = index.grid_region(upper)[grids]
        current = chosen.get(upper)
        if current is not None and bool(np.any(table == current.index)):
            result[upper] = current
            continue
        distinct = np.unique(table[table >= 0])
        result[upper] = index.regions(upper)[int(distinct[0])] if len(distinct) == 1 else None
    result[level] = region
    for lower in CASCADE[CASCADE.index(level) + 1:]:
        result[lower] = None
        old = chosen.get(lower)
        if keep_lower and region is not None and old is not None and old in options(index, result, lower):
            result[lower] = old
    return result


def region_of_feature(index: DistrictIndex, level: Level, fid: int):
    """The region drawn by feature `fid` of the level's layer (map picking), or None."""
    for region in index.regions(level):
        if region.fid == fid:
            return region
    return None
