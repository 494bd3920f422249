"""The type tree: the six major classes with their types beneath (地址查询: the layers 门址/参照物/兴趣点
with their categories), tri-state, with counts.

Each type sits under the class most of its components get by the one class rule (core/codes.py:
标识码 subclass, else type name, else 其他), so on consistent data the tree and the booklets put every
component in the same class. Addresses have no 标识码 classes: each category sits under the layer most
of its points come from.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from citycomponents_plugin.core.codes import CLASS_BY_CODE, OTHER, type_classes
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS
from citycomponents_plugin.gui.i18n import tr

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
CLASS_ROLE = Qt.ItemDataRole.UserRole + 2


def classify(index: DistrictIndex) -> dict:
    """{type name: (major code, sort key)} for every type; the key orders types by subclass code."""
    classes = type_classes(index.comp_id, index.comp_type, index.type_names)
    return {name: (major, (subclass, name)) for name, (major, subclass) in zip(index.type_names, classes)}


def layer_groups(index: DistrictIndex) -> dict:
    """{category: layer number} for addresses: the layer most of the category's points come from."""
    pairs = np.stack([index.comp_type.astype(np.int64), index.comp_layer.astype(np.int64)])
    groups: dict = {}
    if pairs.size:
        combos, counts = np.unique(pairs, axis=1, return_counts=True)
        best: dict = {}
        for (t, layer), n in zip(combos.T.tolist(), counts.tolist()):
            if n > best.get(t, (0, -1))[0]:
                best[t] = (n, layer)
        groups = {index.type_names[t]: layer for t, (_n, layer) in best.items()}
    return {name: groups.get(name, 0) for name in index.type_names}


class TypeTreeModel(QStandardItemModel):
    """Checkable major classes and types; column 1 holds the count of each type in the current region."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: dict = {}  # type name -> (name item, count item)
        self._classes: list = []  # (class name item, class count item)
        self._unchecked: set = set()  # types the operator unchecked, remembered across index rebuilds
        self.kind = KIND_COMPONENTS
        self.set_kind(KIND_COMPONENTS)

    def set_kind(self, kind: int) -> None:
        """部件查询 or 地址查询: the header names types or categories."""
        self.kind = kind
        first = tr("Category") if kind == KIND_ADDRESSES else tr("Component type")
        self.setHorizontalHeaderLabels([first, tr("Count")])

    def set_types(self, index: Optional[DistrictIndex], classes: Optional[dict] = None) -> None:
        """Rebuild the tree for an index; types unchecked by the operator stay unchecked.

        `classes`: classify(index) when already known (the panel's build task computes it off the main thread).
        """
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
        if index.kind == KIND_ADDRESSES:
            for name, layer in layer_groups(index).items():
                groups.setdefault(layer, []).append(name)
                sort_keys[name] = name
        else:
            for name, (code, key) in (classes if classes is not None else classify(index)).items():
                groups.setdefault(code, []).append(name)
                sort_keys[name] = key
        for code in sorted(groups):
            if index.kind == KIND_ADDRESSES:
                parent = QStandardItem(index.layers[code].name if code < len(index.layers) else OTHER)
            else:
                major_name = CLASS_BY_CODE[code].name
                parent = QStandardItem(f"{major_name} ({code})" if code != OTHER else major_name)
            parent.setData(code, CLASS_ROLE)
            parent.setCheckable(True)
            parent.setAutoTristate(True)
            parent.setEditable(False)
            parent_count = QStandardItem("")
            parent_count.setEditable(False)
            parent_count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for name in sorted(groups[code], key=sort_keys.__getitem__):
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

    def clear_counts(self) -> None:
        """No counts known (the database counts a region when asked): blank, nothing greyed."""
        for item, count_item in self._items.values():
            count_item.setText("")
            item.setForeground(QBrush())
            count_item.setForeground(QBrush())
        for _parent, parent_count in self._classes:
            parent_count.setText("")

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

    def type_class_codes(self) -> dict:
        """{type name: major class code} as the tree shows it (the class row each type sits under)."""
        return {parent.child(r).data(TYPE_ROLE): parent.data(CLASS_ROLE)
                for parent, _c in self._classes for r in range(parent.rowCount())}

    def class_names(self) -> list:
        return [parent.text() for parent, _c in self._classes]
