"""The citycomponents Processing provider: lists the plugin's algorithms."""

from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon


def _algorithm_classes() -> list:
    """Import lazily so a broken optional module names itself instead of hiding the provider."""
    from citycomponents_plugin.processing_provider.audit_algorithm import AuditAlgorithm
    from citycomponents_plugin.processing_provider.batch_export_algorithm import BatchExportAlgorithm
    from citycomponents_plugin.processing_provider.booklet_algorithm import BookletAlgorithm
    from citycomponents_plugin.processing_provider.compare_editions_algorithm import CompareEditionsAlgorithm
    from citycomponents_plugin.processing_provider.generate_sample_algorithm import GenerateSampleAlgorithm
    from citycomponents_plugin.processing_provider.region_statistics_algorithm import RegionStatisticsAlgorithm

    return [GenerateSampleAlgorithm, RegionStatisticsAlgorithm, BatchExportAlgorithm, BookletAlgorithm,
            AuditAlgorithm, CompareEditionsAlgorithm]


class CityComponentsProvider(QgsProcessingProvider):
    """Provider id "citycomponents", as used by qgis_process and processing.run."""

    def id(self) -> str:
        return "citycomponents"

    def name(self) -> str:
        return "City Components"

    def longName(self) -> str:  # noqa: N802 - QGIS API name
        return "City Components (城市部件档案统计)"

    def icon(self) -> QIcon:
        return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons",
                                  "citycomponents.svg"))

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API name
        for cls in _algorithm_classes():
            self.addAlgorithm(cls())
