"""The dialog's previous edition: choose a batch-export folder, see the change per type beside the counts.

Kept in its own module (the dialog only places it and asks it for the change texts): the comparison is
the algorithms' (core/editions), made once per index and folder, so what the dialog shows is what
compareeditions writes for the same region.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QWidget

from citycomponents_plugin.core.editions.compare import ADDED, CHANGED, MOVED, REMOVED, compare_editions
from citycomponents_plugin.core.editions.edition import edition_from_index
from citycomponents_plugin.core.editions.folder import read_folder_edition
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.gui import messages


def tr(text: str) -> str:
    return QCoreApplication.translate("EditionPanel", text)


class EditionPanel(QObject):
    """A row above the statistics: the previous edition's folder and what it holds."""

    def __init__(self, cache, iface, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.iface = iface
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Previous edition")))
        self.folder_widget = QgsFileWidget()
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setToolTip(tr("The folder of an earlier batch export: the statistics then show what "
                                         "changed per type since then"))
        row.addWidget(self.folder_widget, 1)
        self.status = QLabel("")
        row.addWidget(self.status)
        self.folder_widget.fileChanged.connect(self.set_folder)
        self.earlier = None
        self._comparison = None
        self._compared_index = None

    def attach(self, above: QWidget) -> None:
        """Place the row just above `above` in its parent's layout."""
        layout = above.parentWidget().layout()
        for i in range(layout.count()):
            if layout.itemAt(i).widget() is above:
                layout.insertWidget(i, self.widget)
                return
        layout.addWidget(self.widget)

    def clear(self) -> None:
        """Let go of the edition and the comparison (they hold the index): the dialog's clean-up."""
        self.earlier, self._comparison, self._compared_index = None, None, None

    def set_folder(self, folder: str) -> bool:
        """Read the edition the folder records; an unusable folder is said in the message bar."""
        self.clear()
        if not folder:
            self.status.setText("")
            return False
        try:
            self.earlier = read_folder_edition(folder, "EARLIER_FOLDER")
        except CityComponentsError as exc:
            self.status.setText(tr("not an edition"))
            messages.error(self.iface, messages.describe(exc))
            return False
        self.status.setText(tr("{0}, {1} components").format(self.earlier.date, self.earlier.count))
        if self.folder_widget.filePath() != folder:
            self.folder_widget.setFilePath(folder)
        return True

    def changes_by_type(self, index, level, region) -> Optional[dict]:
        """Type name -> "+2 −1 ..." for one region (None without a previous edition)."""
        if self.earlier is None or index is None:
            return None
        if self._compared_index is not index:
            later = edition_from_index(index, self.cache.component_layers)
            self._comparison = compare_editions(self.earlier, later)
            self._compared_index = index
        cmp = self._comparison
        rows = cmp.region_keys(level) == region.key
        types = cmp.types()
        out = {}
        for name in np.unique(types[rows]).tolist():
            sel = rows & (types == name)
            counts = np.bincount(cmp.klass[sel].astype(np.int64), minlength=5)
            out[name] = change_text(counts)
        return out


def change_text(counts) -> str:
    """The change of one type: "+3 new, −1 removed, 2 moved, 1 changed", only what is not zero."""
    parts = []
    for klass, template in ((ADDED, tr("+{0} new")), (REMOVED, tr("−{0} removed")), (MOVED, tr("{0} moved")),
                            (CHANGED, tr("{0} changed"))):
        if counts[klass]:
            parts.append(template.format(int(counts[klass])))
    return ", ".join(parts)
