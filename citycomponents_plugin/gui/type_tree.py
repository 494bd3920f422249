"""The component-type tree: the six major classes with their types beneath, tri-state, with counts.

A type's class comes from the shipped classification (resources/component_types.csv, both the national
and the Beijing names), else from the major-class digits of its components' 标识码 (chars 7-8), else 其他.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from typing import Optional

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.gui.i18n import tr

CSV_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "component_types.csv")
OTHER = ("99", "其他")
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


def load_classes(path: str = CSV_PATH) -> tuple:
    """({type name: 4-digit subclass code}, {major code: major name}) from the classification table."""
    by_name: dict = {}
    majors: dict = {}
    if not os.path.exists(path):
        return by_name, majors
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("major_code") or "").strip()
            subclass = (row.get("code") or "").strip()
            if not code:
                continue
            majors.setdefault(code, (row.get("major_name") or "").strip())
            for col in ("name", "name_beijing"):
                name = (row.get(col) or "").strip()
                if name:
                    by_name.setdefault(name, subclass if subclass.startswith(code) else code)
    return by_name, majors


def classify(index: DistrictIndex, path: str = CSV_PATH) -> dict:
    """{type name: (major code, major name, sort key)} for every type; the key orders types by subclass code."""
    by_name, majors = load_classes(path)
    digits: dict = {}
    if len(index.comp_id):
        per_type: dict = {}
        for t, ident in zip(index.comp_type.tolist(), index.comp_id.tolist()):
            code = str(ident)[6:8]
            if code.isdigit():
                per_type.setdefault(t, Counter())[code] += 1
        digits = {t: c.most_common(1)[0][0] for t, c in per_type.items()}
    result = {}
    for t, name in enumerate(index.type_names):
        subclass = by_name.get(name, "")
        code = subclass[:2] or digits.get(t)
        if code and code in majors:
            result[name] = (code, majors[code], (subclass or "9999", name))
        else:
            result[name] = (*OTHER, ("9999", name))
    return result


class TypeTreeModel(QStandardItemModel):
    """Checkable major classes and types; column 1 holds the count of each type in the current region."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: dict = {}  # type name -> (name item, count item)
        self._classes: list = []  # (class name item, class count item)
        self._unchecked: set = set()  # types the operator unchecked, remembered across index rebuilds
        self.setHorizontalHeaderLabels([tr("Component type"), tr("Count")])

    def set_types(self, index: Optional[DistrictIndex]) -> None:
        """Rebuild the tree for an index; types unchecked by the operator stay unchecked."""
        if self._items:
            self._unchecked = {name for name, (item, _c) in self._items.items()
                               if item.checkState() != Qt.CheckState.Checked}
        unchecked = self._unchecked
        self.removeRows(0, self.rowCount())
        self._items, self._classes = {}, []
        if index is None:
            return
        groups: dict = {}
        sort_keys: dict = {}
        for name, (code, major_name, key) in classify(index).items():
            groups.setdefault((code, major_name), []).append(name)
            sort_keys[name] = key
        for (code, major_name) in sorted(groups):
            parent = QStandardItem(f"{major_name} ({code})" if code != OTHER[0] else major_name)
            parent.setCheckable(True)
            parent.setAutoTristate(True)
            parent.setEditable(False)
            parent_count = QStandardItem("")
            parent_count.setEditable(False)
            parent_count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for name in sorted(groups[(code, major_name)], key=sort_keys.__getitem__):
                item = QStandardItem(name)
                item.setCheckable(True)
                item.setEditable(False)
                item.setData(name, TYPE_ROLE)
                item.setCheckState(Qt.CheckState.Unchecked if name in unchecked else Qt.CheckState.Checked)
                count = QStandardItem("")
                count.setEditable(False)
                count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                parent.appendRow([item, count])
                self._items[name] = (item, count)
            self.appendRow([parent, parent_count])
            self._classes.append((parent, parent_count))
            self._sync_parent(parent)

    @staticmethod
    def _sync_parent(parent: QStandardItem) -> None:
        states = {parent.child(r).checkState() for r in range(parent.rowCount())}
        parent.setCheckState(states.pop() if len(states) == 1 else Qt.CheckState.PartiallyChecked)

    def set_counts(self, counts: dict) -> None:
        """Counts per type name (missing: 0); class rows show their sums."""
        for name, (item, count_item) in self._items.items():
            n = counts.get(name, 0)
            count_item.setText(str(n))
            brush = QBrush(QColor(150, 150, 150)) if n == 0 else QBrush()
            item.setForeground(brush)  # types absent from the region are greyed, still checkable
            count_item.setForeground(brush)
        for parent, parent_count in self._classes:
            total = sum(counts.get(parent.child(r).data(TYPE_ROLE), 0) for r in range(parent.rowCount()))
            parent_count.setText(str(total))

    def set_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for parent, _c in self._classes:
            parent.setCheckState(state)
            for r in range(parent.rowCount()):
                parent.child(r).setCheckState(state)

    def set_checked(self, names) -> None:
        """Check exactly the given type names."""
        wanted = set(names)
        for name, (item, _c) in self._items.items():
            item.setCheckState(Qt.CheckState.Checked if name in wanted else Qt.CheckState.Unchecked)
        for parent, _c in self._classes:
            self._sync_parent(parent)

    def checked_types(self) -> list:
        return [name for name, (item, _c) in self._items.items() if item.checkState() == Qt.CheckState.Checked]

    def all_checked(self) -> bool:
        return all(item.checkState() == Qt.CheckState.Checked for item, _c in self._items.values())

    def type_names(self) -> list:
        return list(self._items)

    def class_names(self) -> list:
        return [parent.text() for parent, _c in self._classes]
