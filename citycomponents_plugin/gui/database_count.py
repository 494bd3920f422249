"""One region counted by the database for the panel, in a QGIS task (a slow link never freezes QGIS).

Used while the panel holds the region index of layers in one PostGIS database (gui/index_cache.py):
the count is core.database.region_index.RegionCounter's, the same SQL whatever the shell.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsTask

from citycomponents_plugin.core.database.region_index import RegionCounter
from citycomponents_plugin.core.database.region_query import RegionResult
from citycomponents_plugin.core.levels import Level
from citycomponents_plugin.gui.i18n import tr


class RegionCountTask(QgsTask):
    """counter.count(level, region, types) on a worker thread; `done(task)` on the main thread after."""

    def __init__(self, counter: RegionCounter, level: Level, region, types, done) -> None:
        super().__init__(tr("City Components: counting in the database"), QgsTask.Flag(0))
        self.counter = counter
        self.index = counter.index
        self.level = level
        self.region = region
        self.types = types
        self.result: Optional[RegionResult] = None
        self.error: Optional[BaseException] = None
        self.ended = False
        self._done = done

    def run(self) -> bool:  # worker thread: only the counter's connection and plain values
        try:
            self.result = self.counter.count(self.level, self.region, self.types)
            return True
        except Exception as exc:  # noqa: BLE001 - handed to the panel, which puts it in words
            self.error = exc
        return False

    def finished(self, result: bool) -> None:  # main thread
        self.ended = True
        done, self._done = self._done, None
        if done is not None:
            done(self)
