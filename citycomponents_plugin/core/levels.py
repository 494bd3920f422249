"""The four administrative levels and their Chinese labels (used in output folders and sheets)."""

from __future__ import annotations

from enum import Enum


class Level(str, Enum):
    """A level of the district hierarchy; the value is the manifest key."""

    STREET = "street"
    SUPERVISOR = "supervisor"
    COMMITTEE = "committee"
    GRID = "grid"

    @property
    def label(self) -> str:
        """Chinese label: folder and sheet name in outputs."""
        return LEVEL_LABELS[self]

    @property
    def parameter_index(self) -> int:
        """Index in the LEVELS enum parameter (0 street, 1 supervisor, 2 committee, 3 grid)."""
        return LEVEL_ORDER.index(self)


LEVEL_ORDER = [Level.STREET, Level.SUPERVISOR, Level.COMMITTEE, Level.GRID]
LEVEL_LABELS = {
    Level.STREET: "街道",
    Level.SUPERVISOR: "监督员责任区",
    Level.COMMITTEE: "社区居委会",
    Level.GRID: "单元网格",
}
UPPER_LEVELS = [Level.STREET, Level.SUPERVISOR, Level.COMMITTEE]


def level_from_text(text: str) -> Level:
    """Accept a manifest key, an enum index or a Chinese label."""
    t = str(text).strip()
    for lvl in LEVEL_ORDER:
        if t in (lvl.value, lvl.label, str(lvl.parameter_index)):
            return lvl
    raise ValueError(f"Unknown level '{text}': use one of street, supervisor, committee, grid")
