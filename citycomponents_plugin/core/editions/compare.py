"""Comparing two editions by 标识码: added, removed, moved, changed, unchanged (SPEC section 12).

The rules, in one place:
- A component is in an edition's archive when it is there and its 部件状态 is not a removed status
  (core/codes.py load_statuses().removed: 废弃, 移除). In the earlier archive only: 删除 (removed; the
  reason says whether it is missing or carries a removed status). In the later only: 新增 (added).
- In both: 移位 (moved) when its grid differs, or both have points further apart than the tolerance,
  or only one of them has a point; else 变更 (changed) when an attribute both editions have differs
  (or its type); else unchanged. A moved or retired component also lists the attributes that changed.
- 标识码 used by one component in each edition are matched directly. Repeated 标识码 (and empty
  ones) are matched pair by pair, nearest points first; what is left over is added or removed.
  Repeated and malformed 标识码 are reported (id_problems), never dropped.
- A change is counted in the region of the later edition (removed: of the earlier one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from citycomponents_plugin.core.codes import StatusVocabulary, load_statuses
from citycomponents_plugin.core.editions.edition import TYPES, Edition
from citycomponents_plugin.core.engine.build import ascii_digit_codes
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level

ADDED, REMOVED, MOVED, CHANGED, UNCHANGED = range(5)
CLASS_NAMES = ("added", "removed", "moved", "changed", "unchanged")
CLASS_LABELS = ("新增", "删除", "移位", "变更", "未变")
DEFAULT_TOLERANCE = 1.0
MISSING = "缺失"  # reason of a removal: no longer in the later edition
DIFF_BLOCK = 1 << 16  # rows compared at a time (_differs)
TYPE_ATTRIBUTE = "名称"  # how a change of type is reported when no attribute shows it


@dataclass
class Comparison:
    """One row per matched pair or unmatched component (`before`/`after` index the editions, -1 none)."""

    earlier: Edition
    later: Edition
    tolerance: float
    before: np.ndarray
    after: np.ndarray
    klass: np.ndarray  # ADDED ... UNCHANGED
    distance: np.ndarray  # metres in the grid CRS (NaN where not both have a point)
    reason: np.ndarray  # removed: MISSING or the removed status; added: '' or the earlier status
    changed_fields: dict  # row -> [field, ...] in field order (rows with attribute differences)
    compared_fields: list
    fields_only_earlier: list
    fields_only_later: list
    id_problems: list = field(default_factory=list)  # {"id", "problem", "earlier", "later"}
    _types: Optional[np.ndarray] = None
    _type_codes: Optional[tuple] = None

    @property
    def count(self) -> int:
        return len(self.klass)

    def counts(self) -> dict:
        n = np.bincount(self.klass, minlength=5)
        return {name: int(c) for name, c in zip(CLASS_NAMES, n)}

    def region_keys(self, level: Level) -> np.ndarray:
        """The region each row counts in: the later edition's, the earlier's for removed components."""
        return _pick(self.later.regions.get(level), self.earlier.regions.get(level), self.after, self.before,
                     (self.after >= 0) & (self.klass != REMOVED))

    def types(self) -> np.ndarray:
        """The type of each row: the later edition's, the earlier's where there is no later one."""
        if self._types is None:
            self._types = _pick(self.later.types, self.earlier.types, self.after, self.before, self.after >= 0)
        return self._types

    def type_codes(self) -> tuple:
        """(sorted type names, number of each row's type), computed once."""
        if self._type_codes is None:
            names, code = self.row_codes(TYPES, self.after >= 0)
            used = sorted({names[c] for c in np.nonzero(np.bincount(code, minlength=len(names)))[0].tolist()})
            pos = {t: i for i, t in enumerate(used)}
            self._type_codes = (np.array(used, dtype=str), _renumber(names, pos)[code])
        return self._type_codes

    def row_codes(self, column, use_later: np.ndarray) -> tuple:
        """(names, number per row into names) of a region level or TYPES, taken from the later edition
        where use_later, else from the earlier one ('' where neither has it), without any string sort.

        names lists the later edition's names, then the earlier's, then ''; a name may occur twice.
        """
        later = self.later.codes(column) if _has(self.later, column) else ([], None)
        earlier = self.earlier.codes(column) if _has(self.earlier, column) else ([], None)
        names = list(later[0]) + list(earlier[0]) + [""]
        empty = len(names) - 1
        n = len(self.klass)
        code = np.full(n, empty, dtype=np.int64)
        take_later = use_later & (self.after >= 0)
        if earlier[1] is not None:
            at = ~take_later & (self.before >= 0)
            code[at] = len(later[0]) + earlier[1][self.before[at]]
        if later[1] is not None:
            code[take_later] = later[1][self.after[take_later]]
        return names, code

    def attribute_changes(self, row: int) -> dict:
        """{field: [old, new]} of one row."""
        b, a = int(self.before[row]), int(self.after[row])
        out = {}
        for name in self.changed_fields.get(row, ()):
            old = self.earlier.attributes[name][b] if name in self.earlier.attributes else self.earlier.types[b]
            new = self.later.attributes[name][a] if name in self.later.attributes else self.later.types[a]
            out[name] = [str(old), str(new)]
        return out


def compare_editions(earlier: Edition, later: Edition, tolerance: float = DEFAULT_TOLERANCE,
                     statuses: Optional[StatusVocabulary] = None) -> Comparison:
    """Match the two editions by 标识码 and class every component (the rules in the module docstring)."""
    statuses = statuses or load_statuses()
    before, after, ids = _match(earlier, later)
    n = len(before)
    gone_e = _removed_status(earlier, statuses)
    gone_l = _removed_status(later, statuses)
    has_b, has_a = before >= 0, after >= 0
    bi, ai = np.maximum(before, 0), np.maximum(after, 0)
    in_e = has_b & (~gone_e[bi] if len(gone_e) else False)
    in_l = has_a & (~gone_l[ai] if len(gone_l) else False)

    klass = np.full(n, UNCHANGED, dtype=np.int8)
    reason = np.full(n, "", dtype=object)
    removed = in_e & ~in_l
    klass[removed] = REMOVED
    status_e = earlier.attributes.get(earlier.status_field) if earlier.status_field else None
    status_l = later.attributes.get(later.status_field) if later.status_field else None
    reason[removed] = MISSING
    by_status = removed & has_a
    if status_l is not None and by_status.any():
        reason[by_status] = status_l[ai[by_status]]
    added = in_l & ~in_e
    klass[added] = ADDED
    back = added & has_b
    if status_e is not None and back.any():
        reason[back] = status_e[bi[back]]

    both = in_e & in_l
    dist = np.full(n, np.nan)
    ve, vl = earlier.valid, later.valid
    pe = has_b & (ve[bi] if len(ve) else False)
    pl = has_a & (vl[ai] if len(vl) else False)
    two = pe & pl
    dist[two] = np.hypot(earlier.x[bi[two]] - later.x[ai[two]], earlier.y[bi[two]] - later.y[ai[two]])
    grid_e = earlier.regions.get(Level.GRID)
    grid_l = later.regions.get(Level.GRID)
    other_grid = np.zeros(n, dtype=bool)
    if grid_e is not None and grid_l is not None and n and len(grid_e) and len(grid_l):
        names_e, num_e = earlier.codes(Level.GRID)
        names_l, num_l = later.codes(Level.GRID)
        same: dict = {}  # one number per grid key across both editions
        to_e = np.array([same.setdefault(k, len(same)) for k in names_e], dtype=np.int64)
        to_l = np.array([same.setdefault(k, len(same)) for k in names_l], dtype=np.int64)
        other_grid = both & (to_e[num_e[bi]] != to_l[num_l[ai]])
    moved = both & (other_grid | (two & (dist > tolerance)) | (pe != pl))

    # Attributes are compared wherever both editions hold the component (a retirement lists its status).
    paired = has_b & has_a
    shared = [f for f in earlier.attributes if f in later.attributes]
    diff_any = np.zeros(n, dtype=bool)
    per_field = []
    for name in shared:
        d = paired & _differs(earlier.attributes[name], later.attributes[name], bi, ai)
        per_field.append((name, d))
        diff_any |= d
    type_diff = paired & _differs(earlier.types, later.types, bi, ai)
    type_shown = TYPE_ATTRIBUTE in shared
    klass[both & (diff_any | type_diff)] = CHANGED
    klass[moved] = MOVED
    changed_fields: dict = {}
    for name, d in per_field:
        for row in np.nonzero(d)[0].tolist():
            changed_fields.setdefault(row, []).append(name)
    if not type_shown:
        for row in np.nonzero(type_diff)[0].tolist():
            changed_fields.setdefault(row, []).append(TYPE_ATTRIBUTE)
    return Comparison(earlier, later, float(tolerance), before, after, klass, dist, reason.astype(str),
                      changed_fields, shared, [f for f in earlier.attributes if f not in later.attributes],
                      [f for f in later.attributes if f not in earlier.attributes], _id_problems(*ids))


def _differs(first: np.ndarray, second: np.ndarray, i_first: np.ndarray, i_second: np.ndarray) -> np.ndarray:
    """first[i_first] != second[i_second], a block of rows at a time.

    Why blocks: gathering a whole district's text column makes a temporary of 100 MB or more per side,
    fresh memory from the system each time (slower per row the larger the district); blocks reuse a
    few small buffers, so the cost per row stays that of the 1x district.
    """
    n = len(i_first)
    out = np.zeros(n, dtype=bool)
    for start in range(0, n, DIFF_BLOCK):
        block = slice(start, start + DIFF_BLOCK)
        out[block] = first[i_first[block]] != second[i_second[block]]
    return out


def _has(edition: Edition, column) -> bool:
    """Whether an edition holds a column with values (as _pick treats a missing or empty one)."""
    values = edition.types if column == TYPES else edition.regions.get(column)
    return values is not None and len(values) > 0


def _renumber(names: list, pos: dict) -> np.ndarray:
    """Position in pos of each name (names pos does not hold, i.e. unused ones: 0)."""
    return np.array([pos.get(k, 0) for k in names], dtype=np.int64)


def _pick(first: Optional[np.ndarray], second: Optional[np.ndarray], i_first: np.ndarray, i_second: np.ndarray,
          use_first: np.ndarray) -> np.ndarray:
    """Per row, first[i_first] where use_first, else second[i_second] where i_second >= 0, else ''."""
    n = len(i_first)
    empty = np.zeros(0, dtype=str)
    first = first if first is not None and len(first) else None
    second = second if second is not None and len(second) else None
    a = first[np.maximum(i_first, 0)] if first is not None else np.full(n, "")
    b = second[np.maximum(i_second, 0)] if second is not None else np.full(n, "")
    b = np.where(i_second >= 0, b, "")
    return np.where(use_first & (i_first >= 0), a, b) if n else empty


def _removed_status(edition: Edition, statuses: StatusVocabulary) -> np.ndarray:
    if not edition.status_field or edition.status_field not in edition.attributes:
        return np.zeros(edition.count, dtype=bool)
    values = edition.attributes[edition.status_field]
    return np.isin(np.char.strip(values.astype(str)), sorted(statuses.removed))


def _match(earlier: Edition, later: Edition) -> tuple:
    """(before, after) index pairs: unique 标识码 directly, repeated and empty ones nearest first; and the
    distinct 标识码 with how often each edition uses them."""
    ne, nl = earlier.count, later.count
    uniq, inv = _distinct(np.concatenate([earlier.ids, later.ids]).astype(str, copy=False))
    inv_e, inv_l = inv[:ne], inv[ne:]
    ce = np.bincount(inv_e, minlength=len(uniq))
    cl = np.bincount(inv_l, minlength=len(uniq))
    simple = (ce <= 1) & (cl <= 1) & (uniq != "")
    pos_e = np.full(len(uniq), -1, dtype=np.int64)
    pos_l = np.full(len(uniq), -1, dtype=np.int64)
    se = simple[inv_e]
    sl = simple[inv_l]
    pos_e[inv_e[se]] = np.nonzero(se)[0]
    pos_l[inv_l[sl]] = np.nonzero(sl)[0]
    s = np.nonzero(simple & ((ce + cl) > 0))[0]
    before, after = [pos_e[s]], [pos_l[s]]
    hard = np.nonzero(~simple & ((ce + cl) > 0))[0]
    if len(hard):
        hard_set = np.zeros(len(uniq), dtype=bool)
        hard_set[hard] = True
        groups_e: dict = {}
        groups_l: dict = {}
        for i in np.nonzero(hard_set[inv_e])[0].tolist():
            groups_e.setdefault(int(inv_e[i]), []).append(i)
        for j in np.nonzero(hard_set[inv_l])[0].tolist():
            groups_l.setdefault(int(inv_l[j]), []).append(j)
        pb, pa = [], []
        for u in hard.tolist():
            for b, a in _pair_nearest(groups_e.get(u, []), groups_l.get(u, []), earlier, later):
                pb.append(b)
                pa.append(a)
        before.append(np.array(pb, dtype=np.int64))
        after.append(np.array(pa, dtype=np.int64))
    b, a = np.concatenate(before), np.concatenate(after)
    # Rows in a stable order: by 标识码, then earlier position, then later position.
    key_id = np.where(b >= 0, inv_e[np.maximum(b, 0)] if ne else 0, inv_l[np.maximum(a, 0)] if nl else 0)
    order = np.lexsort((a, b, key_id))
    return b[order], a[order], (uniq, ce, cl)


def _distinct(ids: np.ndarray) -> tuple:
    """(distinct 标识码, number of each) like np.unique, but well-formed codes are sorted as integers.

    Why: sorting millions of 16-character strings is most of a whole-district comparison; a 16- or
    17-digit code is an int64 (times two, plus one for 17 digits, so 0…01 and 00…01 stay apart).
    Distinct values come in numeric order (string order within a length), malformed ones after them.
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64)
    width = ids.dtype.itemsize // 4
    chars = np.ascontiguousarray(ids).view(np.uint32).reshape(n, width)
    length = np.empty(n, dtype=np.int64)
    well = np.empty(n, dtype=bool)
    for start in range(0, n, DIFF_BLOCK):  # in blocks: small temporaries (see _differs)
        block = slice(start, start + DIFF_BLOCK)
        length[block] = np.count_nonzero(chars[block], axis=1)
        well[block] = ascii_digit_codes(ids[block])
    inv = np.empty(n, dtype=np.int64)
    at = np.nonzero(well)[0]
    numbers = np.empty(len(at), dtype=np.int64)
    for start in range(0, len(at), DIFF_BLOCK):
        block = at[start:start + DIFF_BLOCK]
        numbers[start:start + len(block)] = ids[block].astype(np.int64) * 2 + (length[block] == 17)
    num_uniq, num_inv = np.unique(numbers, return_inverse=True)
    first = np.empty(len(num_uniq), dtype=np.int64)
    first[num_inv[::-1]] = at[::-1]  # a representative (the first) of each distinct code
    rest = np.nonzero(~well)[0]
    other_uniq, other_inv = np.unique(ids[rest], return_inverse=True)
    inv[at] = num_inv
    inv[rest] = len(num_uniq) + other_inv
    return np.concatenate([ids[first], other_uniq.astype(ids.dtype)]), inv


def _pair_nearest(left: Sequence[int], right: Sequence[int], earlier: Edition, later: Edition) -> list:
    """Pairs of components sharing one 标识码: the closest pair first (points missing: furthest), then the
    rest; ties keep the read order. Components left over are paired with -1."""
    cand = []
    for i in left:
        for j in right:
            d = float(np.hypot(earlier.x[i] - later.x[j], earlier.y[i] - later.y[j]))
            cand.append((d if np.isfinite(d) else np.inf, i, j))
    cand.sort()
    used_l, used_r, pairs = set(), set(), []
    for _d, i, j in cand:
        if i not in used_l and j not in used_r:
            used_l.add(i)
            used_r.add(j)
            pairs.append((i, j))
    pairs += [(i, -1) for i in left if i not in used_l]
    pairs += [(-1, j) for j in right if j not in used_r]
    return pairs


def _id_problems(uniq: np.ndarray, ce: np.ndarray, cl: np.ndarray) -> list:
    """Repeated, empty and malformed 标识码 of either edition, with how often each edition uses them."""
    malformed = ~ascii_digit_codes(uniq) & (uniq != "")
    odd = np.nonzero((ce > 1) | (cl > 1) | (uniq == "") | malformed)[0]
    out = []
    for u in odd.tolist():
        value, e, lt = str(uniq[u]), int(ce[u]), int(cl[u])
        if value == "":
            out.append({"id": "", "problem": "empty", "earlier": e, "later": lt})
        elif e > 1 or lt > 1:
            out.append({"id": value, "problem": "duplicate", "earlier": e, "later": lt})
        if malformed[u]:
            out.append({"id": value, "problem": "malformed", "earlier": e, "later": lt})
    return out


def level_rows(comparison: Comparison, level: Level, regions: Sequence) -> list:
    """Per region of a level, the counts per class and per type: [(key, name, code, counts[5], {type: [5]})].

    `regions` are (key, name, code) of the district's regions in their order; a key only the editions
    know (a region since renamed) gets a row after them, and components in no region one last row.
    """
    names, code = comparison.row_codes(level, (comparison.after >= 0) & (comparison.klass != REMOVED))
    known = [r[0] for r in regions]
    used = {names[c] for c in np.nonzero(np.bincount(code, minlength=len(names)))[0].tolist()}
    extra = sorted(used - set(known) - {""})
    all_keys = known + extra + [""]
    pos = {k: i for i, k in enumerate(all_keys)}
    key_no = _renumber(names, pos)[code]
    tnames, tno = comparison.type_codes()
    nt = len(tnames)
    flat = (key_no * nt + tno) * 5 + comparison.klass
    cube = np.bincount(flat, minlength=len(all_keys) * nt * 5).reshape(len(all_keys), nt, 5)
    rows = []
    names = {r[0]: (r[1], r[2]) for r in regions}
    for k, key in enumerate(all_keys):
        by_type = {str(tnames[t]): cube[k, t].tolist() for t in np.nonzero(cube[k].sum(axis=1))[0].tolist()}
        counts = cube[k].sum(axis=0).tolist()
        if key == "" and not sum(counts):
            continue
        name, code = names.get(key, (key, ""))
        if key == "":
            name = f"(不属于任何{level.label})"
        rows.append((key, name, code, counts, by_type))
    return rows


def levels_present(comparison: Comparison) -> list:
    """Levels both editions place their components at, in the order street, supervisor, committee, grid."""
    return [lvl for lvl in LEVEL_ORDER if lvl in comparison.earlier.regions or lvl in comparison.later.regions]
