"""What one booklet says, computed from the district index before any layout item exists.

Why separate: the numbers (which grids, which components in which order, their serials and classes)
are the contract of the booklet; keeping them free of layout code makes them easy to test and the
layout a pure presentation of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

from citycomponents_plugin.core.codes import (
    DEFAULT_GRID_PROFILE,
    ClassificationTable,
    class_totals,
    major_codes,
)
from citycomponents_plugin.core.levels import Level


@dataclass
class GridSection:
    """One grid of the area: its components in detail order (grid code, 标识码), numbered 1..n."""

    grid: object  # Region
    members: np.ndarray
    rows: list  # (序号, 标识码, 名称, short grid code)
    classes: np.ndarray


@dataclass
class AreaContent:
    """Everything printed in one supervisor area's booklet."""

    region: object  # Region of the supervisor level
    person: str
    date_text: str
    total: int
    class_totals: list  # (MajorClass, count)
    statistics: list  # (部件名称, 部件总数), most numerous first
    sections: list = field(default_factory=list)
    members: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    serials: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    classes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U2"))
    change_line: str = ""  # with a previous edition: the area's changes, printed on the cover


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def area_content(index, region, table: ClassificationTable, members: np.ndarray | None = None,
                 marks: np.ndarray | None = None, change_line: str = "") -> AreaContent:
    """The booklet content of one supervisor area (components in no grid belong to no area).

    `marks` (per component, core/editions/marks.py) follow the names of new, changed and moved
    components on the grid pages; `change_line` goes on the cover.
    """
    level = Level.SUPERVISOR
    if members is None:
        members = index.region_members(level, region)
    members = np.asarray(members, dtype=np.int64)
    type_names = np.array(index.type_names, dtype=object)
    names = type_names[index.comp_type[members]] if len(members) else np.zeros(0, dtype=object)
    classes = major_codes(index.comp_id[members], names.astype(str), table)
    grids = index.region_grids(level, region)
    comp_grid = index.comp_grid[members]
    serials = np.zeros(len(members), dtype=np.int64)
    sections = []
    for g in grids:
        pos = np.nonzero(comp_grid == g.index)[0]  # members are in detail order already
        serials[pos] = np.arange(1, len(pos) + 1)
        ids = index.comp_id[members[pos]].tolist()
        kinds = names[pos].tolist()
        if marks is not None:
            kinds = [f"{k}{m}" for k, m in zip(kinds, marks[members[pos]].tolist())]
        short = DEFAULT_GRID_PROFILE.short_code(g.key)
        rows = [(str(n + 1), str(i), str(k), short) for n, (i, k) in enumerate(zip(ids, kinds))]
        sections.append(GridSection(g, members[pos], rows, classes[pos]))
    return AreaContent(region=region, person=getattr(region, "person", "") or "",
                       date_text=date_label(datetime.date.today()), total=int(len(members)),
                       class_totals=class_totals(classes), statistics=index.statistics(members),
                       sections=sections, members=members, serials=serials, classes=classes,
                       change_line=change_line)
