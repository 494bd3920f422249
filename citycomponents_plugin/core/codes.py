"""Code layouts (标识码, grid codes) as profiles, the classification table, and the one class rule.

Why one place: the booklet's cover totals and map styles, the dialog's type tree and the sample
generator all need the major class (大类) of a component. With one rule they cannot disagree:

    the 标识码's subclass, when the 标识码 is well formed for the profile and its subclass is in
    the classification table; else the type name looked up in the table (national and Beijing
    names); else 其他 (OTHER).

The table is editable reference data (resources/component_types.csv): a missing or unreadable copy
only means fewer components are classified, never a failed booklet or dialog.
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Optional, Sequence

import numpy as np

RESOURCE_TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "component_types.csv")
OTHER = "99"  # not a real class or subclass code: components whose class could not be found
NAME_COLUMNS = ("name", "name_beijing")  # national names first: they win when both columns name a type


# ----- code layouts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class IdProfile:
    """A 标识码 layout: district, major class, subclass number and serial, all ASCII digits.

    `subclass` spans major class and subclass number (the table's 4-digit code for the default layout).
    """

    name: str
    minor_digits: int
    serial_digits: int
    district_digits: int = 6
    major_digits: int = 2

    @property
    def length(self) -> int:
        return self.district_digits + self.major_digits + self.minor_digits + self.serial_digits

    @property
    def district(self) -> slice:
        return slice(0, self.district_digits)

    @property
    def major(self) -> slice:
        return slice(self.district_digits, self.district_digits + self.major_digits)

    @property
    def subclass(self) -> slice:
        return slice(self.district_digits, self.district_digits + self.major_digits + self.minor_digits)

    @property
    def serial(self) -> slice:
        return slice(self.length - self.serial_digits, self.length)

    def well_formed(self, code: str) -> bool:
        return len(code) == self.length and code.isascii() and code.isdigit()

    def table_code(self, code: str) -> str:
        """The subclass as the table writes it (major + 2-digit number), '' when the code is malformed.

        Layouts with a 3-digit subclass number name the same subclass: 04 + 001 is the table's 0401.
        """
        if not self.well_formed(code):
            return ""
        digits = code[self.subclass]
        major, minor = digits[:self.major_digits], digits[self.major_digits:]
        return f"{major}{int(minor):02d}"


@dataclass(frozen=True)
class GridProfile:
    """A grid-code layout: district, street, community and serial, all ASCII digits.

    `short` is community + serial, the short code a booklet prints (the original tool's Right$(code, 5)).
    """

    name: str
    serial_digits: int
    district_digits: int = 6
    street_digits: int = 3
    community_digits: int = 3

    @property
    def length(self) -> int:
        return self.district_digits + self.street_digits + self.community_digits + self.serial_digits

    @property
    def district(self) -> slice:
        return slice(0, self.district_digits)

    @property
    def street(self) -> slice:
        return slice(self.district_digits, self.district_digits + self.street_digits)

    @property
    def community(self) -> slice:
        start = self.district_digits + self.street_digits
        return slice(start, start + self.community_digits)

    @property
    def serial(self) -> slice:
        return slice(self.length - self.serial_digits, self.length)

    @property
    def short(self) -> slice:
        return slice(self.community.start, self.length)

    def well_formed(self, code: str) -> bool:
        return len(code) == self.length and code.isascii() and code.isdigit()

    def short_code(self, code: str) -> str:
        """Community + serial of a well-formed code; else the last five characters, as the original did."""
        return code[self.short] if self.well_formed(code) else code[-5:]


PROFILE_TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "code_profiles.csv")
STATUS_TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "component_statuses.csv")
# Used when the shipped table is missing or unreadable: the layouts of domain/README.md.
_BUILT_IN_IDS = (IdProfile("16 位 6+2+2+6", minor_digits=2, serial_digits=6),)
_BUILT_IN_GRIDS = (GridProfile("14 位 6+3+3+2", serial_digits=2),)


@dataclass(frozen=True)
class ProfileTable:
    """The code layouts a user can choose from (resources/code_profiles.csv), the default ones first."""

    ids: tuple
    grids: tuple

    def id_profile(self, name: str = "") -> Optional[IdProfile]:
        """The 标识码 layout of that name (the default for ''), None when the table has no such layout."""
        return self.ids[0] if not name else next((p for p in self.ids if p.name == name.strip()), None)

    def grid_profile(self, name: str = "") -> Optional[GridProfile]:
        return self.grids[0] if not name else next((p for p in self.grids if p.name == name.strip()), None)


def load_profiles(path: Optional[str] = None) -> ProfileTable:
    """The code layouts, read once per file version; an unusable row is left out, never guessed.

    Why data: cities use other layouts (domain/README.md); adding one is a row, not a release.
    """
    path = path or PROFILE_TABLE
    return _read_profiles(path, _version(path))


def _version(path: str) -> Optional[tuple]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _read_profiles(path: str, version: Optional[tuple]) -> ProfileTable:
    ids: list = []
    grids: list = []
    for raw in _csv_rows(path) if version is not None else ():
        try:
            kind = (raw.get("kind") or "").strip()
            name = (raw.get("name") or "").strip()
            digits = [int((raw.get(k) or "").strip()) for k in
                      ("district_digits", "class_digits", "number_digits", "serial_digits")]
        except ValueError:
            continue
        if not name or min(digits) < 1:
            continue
        default = (raw.get("default") or "").strip().lower() in ("yes", "true", "1")
        district, first, second, serial = digits
        if kind == "id":
            profile = IdProfile(name, minor_digits=second, serial_digits=serial, district_digits=district,
                                major_digits=first)
            ids.insert(0, profile) if default else ids.append(profile)
        elif kind == "grid":
            profile = GridProfile(name, serial_digits=serial, district_digits=district, street_digits=first,
                                  community_digits=second)
            grids.insert(0, profile) if default else grids.append(profile)
    return ProfileTable(tuple(ids) or _BUILT_IN_IDS, tuple(grids) or _BUILT_IN_GRIDS)


def _csv_rows(path: str) -> list:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


ID_PROFILES = load_profiles().ids
GRID_PROFILES = load_profiles().grids
DEFAULT_ID_PROFILE = ID_PROFILES[0]
DEFAULT_GRID_PROFILE = GRID_PROFILES[0]


# ----- 部件状态: the status vocabulary ----------------------------------------------------------------
@dataclass(frozen=True)
class StatusVocabulary:
    """The 部件状态 values of the archive (resources/component_statuses.csv).

    `removed` are the statuses that take a component out of the archive (废弃, 移除): an edition
    comparison counts them as removed; the audit reports any value outside `statuses`.
    """

    statuses: tuple
    removed: frozenset

    def known(self, value: str) -> bool:
        return str(value).strip() in self.statuses


_BUILT_IN_STATUSES = StatusVocabulary(("完好", "破损", "丢失", "占用", "废弃", "移除"), frozenset({"废弃", "移除"}))


def load_statuses(path: Optional[str] = None) -> StatusVocabulary:
    """The status vocabulary, read once per file version; the built-in six when the table is unusable."""
    path = path or STATUS_TABLE
    return _read_statuses(path, _version(path))


@functools.lru_cache(maxsize=8)
def _read_statuses(path: str, version: Optional[tuple]) -> StatusVocabulary:
    statuses: list = []
    removed = set()
    for raw in _csv_rows(path) if version is not None else ():
        status = (raw.get("status") or "").strip()
        if not status or status in statuses:
            continue
        statuses.append(status)
        if (raw.get("in_archive") or "").strip().lower() in ("no", "false", "0"):
            removed.add(status)
    return StatusVocabulary(tuple(statuses), frozenset(removed)) if statuses else _BUILT_IN_STATUSES


# ----- major classes and their print styles ------------------------------------------------------
@dataclass(frozen=True)
class MajorClass:
    """A major class with its print style (colour plus a marker shape, so grey-scale prints still work)."""

    code: str
    name: str
    color: str
    shape: str  # QgsSimpleMarkerSymbolLayerBase shape name


MAJOR_CLASSES = [
    MajorClass("01", "公用设施", "#1f5fbf", "circle"),
    MajorClass("02", "道路交通", "#e07b00", "square"),
    MajorClass("03", "市容环境", "#8e3ab8", "diamond"),
    MajorClass("04", "园林绿化", "#2e9a3a", "triangle"),
    MajorClass("05", "房屋土地", "#a0522d", "pentagon"),
    MajorClass("06", "其他设施", "#d0267a", "star"),
]
OTHER_CLASS = MajorClass(OTHER, "其他", "#555555", "cross2")
ALL_CLASSES = MAJOR_CLASSES + [OTHER_CLASS]
CLASS_BY_CODE = {c.code: c for c in ALL_CLASSES}


# ----- the classification table ------------------------------------------------------------------
@dataclass(frozen=True)
class TypeRow:
    """One subclass of the table: its 4-digit code (major + number), major class and both names."""

    code: str
    major_code: str
    major_name: str
    name: str
    name_beijing: str


@dataclass(frozen=True)
class ClassificationTable:
    """The rows that can be used (a known major class, a code of that class) and the name lookup."""

    path: str
    rows: tuple
    by_name: Mapping[str, str]  # type name (national or Beijing) -> subclass code
    subclasses: frozenset


def load_classification(path: Optional[str] = None) -> ClassificationTable:
    """The classification table, read once per file version (an edited copy is read again).

    Rows whose major class is not one of the six, or whose code is not of that class, are left out: no
    style could draw them and no code could be checked against them.
    """
    path = path or RESOURCE_TABLE
    return _read_table(path, _version(path))


@functools.lru_cache(maxsize=8)
def _read_table(path: str, version: Optional[tuple]) -> ClassificationTable:
    rows = []
    if version is not None:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                for raw in csv.DictReader(fh):
                    row = _type_row(raw)
                    if row is not None:
                        rows.append(row)
        except (OSError, csv.Error, UnicodeDecodeError):
            rows = []
    by_name: dict = {}
    for column in NAME_COLUMNS:
        for row in rows:
            name = getattr(row, column)
            if name:
                by_name.setdefault(name, row.code)
    return ClassificationTable(path, tuple(rows), MappingProxyType(by_name), frozenset(r.code for r in rows))


def _type_row(raw: dict) -> Optional[TypeRow]:
    def text(key: str) -> str:
        return (raw.get(key) or "").strip()

    major = text("major_code").zfill(2)
    code = text("code").zfill(4)  # a table saved by Excel loses the leading zero: 101 is 0101
    if major not in CLASS_BY_CODE or major == OTHER or not code.isdigit() or not code.startswith(major):
        return None
    return TypeRow(code, major, text("major_name"), text("name"), text("name_beijing"))


# ----- the rule ----------------------------------------------------------------------------------
def subclass_codes(ids: Sequence, type_names: Sequence, table: Optional[ClassificationTable] = None,
                   profile: IdProfile = DEFAULT_ID_PROFILE) -> np.ndarray:
    """The table subclass of each component by the one rule (id, else name), OTHER where neither is known."""
    table = table or load_classification()
    ids = np.asarray(ids, dtype=str)
    out = np.full(len(ids), OTHER, dtype="<U4")
    if not len(ids):
        return out
    # One lookup per distinct value: 168k components have a few thousand distinct subclass texts.
    uniq, inv = np.unique(ids, return_inverse=True)
    known = table.subclasses
    from_id = np.array([c if c in known else "" for c in map(profile.table_code, uniq.tolist())],
                       dtype="<U4")[inv]
    good = from_id != ""
    out[good] = from_id[good]
    rest = np.nonzero(~good)[0]
    if len(rest):
        names, name_inv = np.unique(np.asarray(type_names, dtype=str)[rest], return_inverse=True)
        by_name = table.by_name
        out[rest] = np.array([by_name.get(n.strip(), OTHER) for n in names.tolist()], dtype="<U4")[name_inv]
    return out


def major_codes(ids: Sequence, type_names: Sequence, table: Optional[ClassificationTable] = None,
                profile: IdProfile = DEFAULT_ID_PROFILE) -> np.ndarray:
    """The major class code of each component (the first two digits of its subclass), OTHER if unknown."""
    return subclass_codes(ids, type_names, table, profile).astype("<U2")


def type_classes(comp_id: np.ndarray, comp_type: np.ndarray, type_names: Sequence[str],
                 table: Optional[ClassificationTable] = None) -> list:
    """(major code, subclass code) per type: the class most of its components get, ties to the smaller code.

    Why by majority: a list of types (the dialog's tree) must show each type once, and on consistent
    data every component of a type gets the same class, so the tree agrees with the booklets. The
    subclass (for ordering) is the most common one among those components; a type without components
    is classified by its name.
    """
    table = table or load_classification()
    n_types = len(type_names)
    result = [_by_name(name, table) for name in type_names]
    if not len(comp_type):
        return result
    names = np.asarray(type_names, dtype=object)[comp_type].astype(str)
    subs = subclass_codes(comp_id, names, table)
    uniq_sub, sub_inv = np.unique(subs, return_inverse=True)  # sorted: argmax picks the smaller code
    majors = np.array([s[:2] for s in uniq_sub.tolist()])
    uniq_major, major_of_sub = np.unique(majors, return_inverse=True)
    comp_type = np.asarray(comp_type, dtype=np.int64)
    by_sub = np.bincount(comp_type * len(uniq_sub) + sub_inv,
                         minlength=n_types * len(uniq_sub)).reshape(n_types, len(uniq_sub))
    by_major = np.zeros((n_types, len(uniq_major)), dtype=np.int64)
    np.add.at(by_major.T, major_of_sub, by_sub.T)
    for t in np.nonzero(by_major.sum(axis=1))[0].tolist():
        m = int(np.argmax(by_major[t]))
        in_class = np.where(major_of_sub == m, by_sub[t], -1)
        result[t] = (str(uniq_major[m]), str(uniq_sub[int(np.argmax(in_class))]))
    return result


def _by_name(name: str, table: ClassificationTable) -> tuple:
    code = table.by_name.get(str(name).strip(), OTHER)
    return code[:2], code


def class_totals(codes: np.ndarray) -> list:
    """(MajorClass, count) for the six classes (always listed, zeros included) and 其他 when present."""
    counts = {c.code: 0 for c in ALL_CLASSES}
    values, n = np.unique(np.asarray(codes, dtype=str), return_counts=True)
    for v, c in zip(values.tolist(), n.tolist()):
        counts[v] = counts.get(v, 0) + int(c)
    rows = [(c, counts[c.code]) for c in MAJOR_CLASSES]
    if counts[OTHER]:
        rows.append((OTHER_CLASS, counts[OTHER]))
    return rows
