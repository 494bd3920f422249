"""Table models for the query result: statistics (部件名称, 部件总数 / 地址查询: 类别, 数量; total row) and details
(20k rows and more).

QAbstractTableModels over plain lists (no item per cell). The statistics sort through a QSortFilterProxyModel
that keeps the total row last; the details sort and filter themselves (fast at 20k rows).
"""

from __future__ import annotations

from typing import Any, Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS
from citycomponents_plugin.gui.i18n import tr

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
TOTAL_ROLE = Qt.ItemDataRole.UserRole + 3


def detail_header_labels(headers: list) -> list:
    """The engine's column names (标识码, 名称, 单元网格 / 类别, 地址) in the UI language."""
    names = {"标识码": tr("Identifier code"), "名称": tr("Name"), "单元网格": tr("Unit grid"),
             "类别": tr("Category"), "地址": tr("Address")}
    return [names.get(h, h) for h in headers]


class StatisticsModel(QAbstractTableModel):
    """(type name, count) rows, most numerous first as the engine sorts them, then a total row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.kind = KIND_COMPONENTS
        self.changes: Optional[dict] = None  # type -> change since the previous edition (gui/edition_panel)

    def set_kind(self, kind: int) -> None:
        """地址查询 counts categories of addresses and POIs, not components."""
        self.kind = kind
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)

    def set_rows(self, rows: list, changes: Optional[dict] = None) -> None:
        self.beginResetModel()
        self.rows = [(str(name), int(count)) for name, count in rows]
        self.changes = changes
        self.endResetModel()

    def total(self) -> int:
        return sum(c for _n, c in self.rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else 2 if self.changes is None else 3

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        is_total = row == len(self.rows)
        if role == TOTAL_ROLE:
            return is_total
        if col == 2:  # the change since the previous edition (types removed entirely are not listed)
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE) and not is_total:
                return self.changes.get(self.rows[row][0], "")
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if is_total:
                return tr("Total") if col == 0 else self.total()
            return self.rows[row][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            from qgis.PyQt.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if self.kind == KIND_ADDRESSES:
                return [tr("Category"), tr("Count"), tr("Since the previous edition")][section]
            return [tr("Component name"), tr("Total count"), tr("Since the previous edition")][section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1 if section < len(self.rows) else ""
        return None


class DetailModel(QAbstractTableModel):
    """Detail rows (标识码, 名称, 单元网格) and, per row, the component index (to find it on the map).

    Sorting and filtering happen here, in Python over plain lists (a few ms for 20k rows), not in a
    QSortFilterProxyModel, whose per-comparison calls into Python take seconds at that size.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.components: list = []
        self.headers: list = []
        self.view: list = []  # row numbers shown, in display order
        self._filter = ""
        self._sort: tuple = (-1, Qt.SortOrder.AscendingOrder)
        self._search: Optional[list] = None  # each row's text for the filter, made at the first filter

    def set_rows(self, headers: list, rows: list, components: list) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.rows = rows
        self.components = list(components)
        self._search = None
        self.view = self._visible()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show the rows containing `text` in any column (case-insensitive)."""
        self._filter = text.strip().casefold()
        self.beginResetModel()
        self.view = self._visible()
        self.endResetModel()

    def _visible(self) -> list:
        wanted = self._filter
        if wanted and self._search is None:
            self._search = ["\t".join(str(v) for v in row).casefold() for row in self.rows]
        rows = range(len(self.rows)) if not wanted else [i for i, t in enumerate(self._search) if wanted in t]
        column, order = self._sort
        if 0 <= column < len(self.headers):
            rows = sorted(rows, key=lambda i: str(self.rows[i][column]), reverse=order == Qt.SortOrder.DescendingOrder)
        return list(rows)

    def sort(self, column: int, order: int = Qt.SortOrder.AscendingOrder) -> None:  # noqa: N802 - Qt name
        """Column -1 keeps the engine's order (grid code, then 标识码)."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self.view = self._visible()
        self.layoutChanged.emit()

    def component_at(self, row: int) -> Optional[int]:
        """Component index of a displayed row."""
        return self.components[self.view[row]] if 0 <= row < len(self.view) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.view)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
            return self.rows[self.view[index.row()]][index.column()]
        return None

    def headerData(self, section: int, orientation: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return detail_header_labels(self.headers)[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class ResultSortProxy(QSortFilterProxyModel):
    """Sorts on the raw values (counts as numbers, codes as text) and keeps the total row at the bottom."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        model = self.sourceModel()
        left_total = bool(model.data(left, TOTAL_ROLE))
        right_total = bool(model.data(right, TOTAL_ROLE))
        if left_total or right_total:
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return right_total if ascending else left_total
        a, b = model.data(left, SORT_ROLE), model.data(right, SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return str(a) < str(b)
