"""Processing algorithm citycomponents:generatesample: write the sample district GeoPackage.

A thin wrapper around citycomponents_plugin.sample.district, so `make sample`, the toolbox, the
model designer and qgis_process all produce the same file for the same seed and scale.
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QCoreApplication

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError
from citycomponents_plugin.processing_provider.error_channel import report_errors_once
from citycomponents_plugin.sample.district import (
    ADDRESS_LAYER,
    BASE_COMPONENTS,
    COMMITTEE_LAYER,
    DEFAULT_SEED,
    GRID_LAYER,
    ISSUE_TABLE,
    MAX_SCALE,
    POI_LAYER,
    REFERENCE_LAYER,
    STREET_LAYER,
    SUPERVISOR_LAYER,
    generate_sample_district,
)
from citycomponents_plugin.sample.next_edition import DEFAULT_CHANGE_RATE, generate_next_edition

# Results keys (besides OUTPUT) -> layer whose feature count they report.
_COUNT_OUTPUTS = (
    ("STREETS", STREET_LAYER, "Street offices"),
    ("COMMITTEES", COMMITTEE_LAYER, "Community committees"),
    ("SUPERVISORS", SUPERVISOR_LAYER, "Supervisor areas"),
    ("GRIDS", GRID_LAYER, "Unit grids"),
    ("ADDRESSES", ADDRESS_LAYER, "Addresses"),
    ("REFERENCE_OBJECTS", REFERENCE_LAYER, "Reference objects"),
    ("POIS", POI_LAYER, "Points of interest"),
    ("ISSUES", ISSUE_TABLE, "Planted issues (answer-key rows)"),
)


class GenerateSampleAlgorithm(QgsProcessingAlgorithm):
    """Generate the Dongcheng-scale sample district (regions, components, addresses, planted dirt)."""

    SCALE = "SCALE"
    PER_TYPE_LAYERS = "PER_TYPE_LAYERS"
    SEED = "SEED"
    OVERWRITE = "OVERWRITE"
    PREVIOUS_SAMPLE = "PREVIOUS_SAMPLE"
    CHANGE_RATE = "CHANGE_RATE"
    OUTPUT = "OUTPUT"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("GenerateSampleAlgorithm", text)

    def createInstance(self) -> GenerateSampleAlgorithm:  # noqa: N802 - QGIS API name
        return GenerateSampleAlgorithm()

    def name(self) -> str:
        return "generatesample"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return self.tr("Generate sample district")

    def group(self) -> str:
        return self.tr("Sample data")

    def groupId(self) -> str:  # noqa: N802 - QGIS API name
        return "sampledata"

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return self.tr(
            "Writes a realistic, deterministic sample of a digital urban-management district (old Beijing "
            "Dongcheng, as in the 2013 paper) to a GeoPackage: 10 street offices (街道办事处), 126 community "
            "committees (社区居委会), 92 supervisor areas (监督员责任区) and 1,593 irregular unit grids "
            "(单元网格) in EPSG:4548; 168,339 city components (城市部件) of 60 types and addresses, reference "
            "objects and POIs (门址, 参照物, 兴趣点) as points in EPSG:4490.\n\n"
            "SCALE multiplies the number of points (0.1 = a tenth); above 1 the district is repeated side by "
            "side (district codes 110101, 110102, ...; names suffixed -2, -3, ...) for benchmarks. "
            "PER_TYPE_LAYERS writes one point layer per component type, named after the type, instead of one "
            "城市部件 layer. The same SEED always gives the same data.\n\n"
            "Dirty data is planted on purpose and listed in the table 样例数据问题 (the answer key for audits): "
            "upper-level boundaries digitized with 0.05-1 m offsets from the grid edges, components on grid "
            "edges and vertices, outside the district, with a stored grid code (所在单元网格) that disagrees "
            "with the location, null geometries, duplicate and malformed 标识码.\n\n"
            "With PREVIOUS_SAMPLE (a sample GeoPackage made here), writes its next census instead: the same "
            "district a year on, where CHANGE_RATE of the components were removed, retired (部件状态 废弃/移除), "
            "moved, changed or added (SEED chooses which), with every change listed in the table 样例变更 "
            "(the answer key for citycomponents:compareeditions).\n\n"
            "An existing file is not replaced unless OVERWRITE is checked."
        )

    def initAlgorithm(self, config: Optional[dict] = None) -> None:  # noqa: N802 - QGIS API name
        scale = QgsProcessingParameterNumber(self.SCALE, self.tr("Scale (1 = Dongcheng, 168,339 components)"),
                                             compat.NUMBER_DOUBLE, defaultValue=1.0,
                                             minValue=0.01, maxValue=MAX_SCALE)
        self.addParameter(scale)
        self.addParameter(QgsProcessingParameterBoolean(
            self.PER_TYPE_LAYERS, self.tr("One point layer per component type"), defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(self.SEED, self.tr("Random seed"),
                                                       compat.NUMBER_INTEGER,
                                                       defaultValue=DEFAULT_SEED, minValue=0))
        previous = QgsProcessingParameterFile(self.PREVIOUS_SAMPLE, self.tr("Next census of this sample (optional)"),
                                              extension="gpkg", optional=True)
        self.addParameter(previous)
        self.addParameter(QgsProcessingParameterNumber(self.CHANGE_RATE, self.tr("Change rate (next census)"),
                                                       compat.NUMBER_DOUBLE, defaultValue=DEFAULT_CHANGE_RATE,
                                                       minValue=0.001, maxValue=0.5))
        overwrite = QgsProcessingParameterBoolean(self.OVERWRITE, self.tr("Replace the file if it exists"),
                                                  defaultValue=False, optional=True)
        overwrite.setFlags(overwrite.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(overwrite)
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Sample GeoPackage"),
                                                                self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputNumber("COMPONENTS", self.tr("City components")))
        for key, _, label in _COUNT_OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Summary (JSON)")))

    @report_errors_once
    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API name
                         feedback: QgsProcessingFeedback) -> dict[str, Any]:
        scale = self.parameterAsDouble(parameters, self.SCALE, context)
        per_type = self.parameterAsBool(parameters, self.PER_TYPE_LAYERS, context)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        overwrite = self.parameterAsBool(parameters, self.OVERWRITE, context)
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)  # as other Processing outputs do; the core refuses missing folders
        except OSError as exc:
            raise QgsProcessingException(self.tr("Cannot create the folder {0}: {1}").format(folder, exc)) from exc
        previous = self.parameterAsFile(parameters, self.PREVIOUS_SAMPLE, context)
        if previous:
            return self._next_edition(previous, path, seed, self.parameterAsDouble(parameters, self.CHANGE_RATE,
                                                                                   context), overwrite, feedback)
        feedback.pushInfo(self.tr("Generating {0} components (scale {1}, seed {2}) into {3}").format(
            round(BASE_COMPONENTS * scale), scale, seed, path))
        try:
            summary = generate_sample_district(path, scale=scale, per_type_layers=per_type, seed=seed,
                                               feedback=feedback, overwrite=overwrite)
        except CancelledError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except (CityComponentsError, OSError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        dirt = ", ".join(f"{kind} {count}" for kind, count in summary["dirt"].items())
        feedback.pushInfo(self.tr("Wrote {0} in {1} s; planted issues: {2}").format(path, summary["seconds"], dirt))
        results: dict[str, Any] = {self.OUTPUT: path, "COMPONENTS": summary["components"],
                                   "SUMMARY": json.dumps(summary, ensure_ascii=False)}
        for key, layer, _ in _COUNT_OUTPUTS:
            results[key] = summary["layers"][layer]
        return results

    def _next_edition(self, previous: str, path: str, seed: int, rate: float, overwrite: bool,
                      feedback: QgsProcessingFeedback) -> dict[str, Any]:
        """The next census of an existing sample; its changes are recorded in the table 样例变更."""
        try:
            summary = generate_next_edition(previous, path, seed=seed, change_rate=rate, feedback=feedback,
                                            overwrite=overwrite)
        except (CityComponentsError, OSError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        changes = ", ".join(f"{kind} {count}" for kind, count in summary["changes"].items())
        feedback.pushInfo(self.tr("Wrote the next census of {0} to {1}; changes: {2}").format(previous, path, changes))
        return {self.OUTPUT: path, "COMPONENTS": summary["components"],
                "SUMMARY": json.dumps(summary, ensure_ascii=False)}
