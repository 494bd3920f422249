"""What a booklet shows of the changes since a previous edition: a mark per component, counts per area.

Data only: the booklet's renderer prints the mark after the component's name on its grid page and the
counts on the cover, so the layout code needs no notion of editions.
"""

from __future__ import annotations

import numpy as np

from citycomponents_plugin.core.editions.compare import ADDED, CHANGED, CLASS_LABELS, MOVED, REMOVED, Comparison
from citycomponents_plugin.core.levels import Level

MARKS = {ADDED: "（新）", CHANGED: "（变）", MOVED: "（移）"}


def change_marks(comparison: Comparison) -> np.ndarray:
    """Per component of the later edition (the index the booklets are made from): its mark or ''."""
    marks = np.full(comparison.later.count, "", dtype=object)
    for klass, mark in MARKS.items():
        rows = (comparison.klass == klass) & (comparison.after >= 0)
        marks[comparison.after[rows]] = mark
    return marks


def area_change_counts(comparison: Comparison, level: Level = Level.SUPERVISOR) -> dict:
    """Region key -> {新增, 删除, 移位, 变更: count} at a level (removals counted where they were)."""
    keys = comparison.region_keys(level)
    out: dict = {}
    for klass in (ADDED, REMOVED, MOVED, CHANGED):
        values, counts = np.unique(keys[comparison.klass == klass], return_counts=True)
        for key, n in zip(values.tolist(), counts.tolist()):
            out.setdefault(key, {label: 0 for label in CLASS_LABELS[:4]})[CLASS_LABELS[klass]] = int(n)
    return out


def cover_line(counts: dict) -> str:
    """The cover's line: 较上版：新增 n，删除 n，移位 n，变更 n."""
    return "较上版：" + "，".join(f"{label} {counts.get(label, 0)}" for label in CLASS_LABELS[:4])
