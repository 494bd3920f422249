"""A batch export with PREVIOUS_EDITION: a 变更 sheet in each region's workbook, change columns in 汇总.xlsx.

Why a small object: the batch exporter stays unaware of editions; it asks this for one extra sheet
per region and extra columns per summary row, both made from one comparison done before the run.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from citycomponents_plugin.core.editions.compare import CLASS_LABELS, UNCHANGED, Comparison
from citycomponents_plugin.core.editions.outputs import DETAIL_HEADERS, change_record, detail_row
from citycomponents_plugin.core.files.workbook import SheetData, display_width, prepare_row
from citycomponents_plugin.core.levels import Level

CHANGE_SHEET = "变更"
SUMMARY_HEADERS = CLASS_LABELS[:4]  # 新增, 删除, 移位, 变更


class BatchChanges:
    """The changes of one comparison, grouped by region at each level, as sheets and summary columns."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.rows = np.nonzero(comparison.klass != UNCHANGED)[0]
        self._records = {int(r): change_record(comparison, int(r)) for r in self.rows.tolist()}
        self._by_level: dict = {}

    def _groups(self, level: Level) -> dict:
        groups = self._by_level.get(level)
        if groups is None:
            keys = self.comparison.region_keys(level)[self.rows] if len(self.rows) else np.zeros(0, dtype=str)
            groups = {}
            for row, key in zip(self.rows.tolist(), keys.tolist()):
                groups.setdefault(key, []).append(row)
            self._by_level[level] = groups
        return groups

    def region_sheet(self, level: Level, key: str) -> Optional[SheetData]:
        """The 变更 sheet of one region (its changes, the detail columns of 变更.xlsx); None without changes."""
        rows = self._groups(level).get(key)
        if not rows:
            return None
        out = [prepare_row(detail_row(self._records[r])) for r in rows]
        widths = [max([display_width(h)] + [display_width(row[c]) for row in out])
                  for c, h in enumerate(DETAIL_HEADERS)]
        return SheetData(CHANGE_SHEET, DETAIL_HEADERS, out, len(out), widths)

    def summary_columns(self, level: Level, key: str) -> tuple:
        """新增, 删除, 移位, 变更 of one region (the columns added to its row in 汇总.xlsx)."""
        rows = self._groups(level).get(key, [])
        counts = np.bincount(self.comparison.klass[rows].astype(np.int64), minlength=5) if rows else np.zeros(5, int)
        return tuple(int(c) for c in counts[:4])
