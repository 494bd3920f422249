"""citycomponents:audit: the data-quality audit (SPEC section 10) as a Processing algorithm."""

from __future__ import annotations

from qgis.core import (
    QgsFeatureSink,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.audit.checks import COMPONENT, DEFAULT_EDGE_TOLERANCE, REGION
from citycomponents_plugin.core.codes import load_profiles
from citycomponents_plugin.core.engine.layer_copies import release_copies
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import translated
from citycomponents_plugin.processing_provider.district_parameters import (
    DistrictAlgorithm,
    add_district_parameters,
    district_inputs,
    tr,
)
from citycomponents_plugin.processing_provider.error_channel import report_errors_once

SINKS = {"PROBLEM_COMPONENTS": COMPONENT, "PROBLEM_REGIONS": REGION}


class _Styler(QgsProcessingLayerPostProcessorInterface):
    """Styles a problem layer by check when Processing loads it into the project.

    Processing calls it after the run, when the algorithm object may be gone: one instance per scope
    lives on the class (the QGIS cookbook's pattern for post-processors).
    """

    instances: dict = {}

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    @classmethod
    def create(cls, scope: str) -> _Styler:
        cls.instances[scope] = cls(scope)
        return cls.instances[scope]

    def postProcessLayer(self, layer, context, feedback) -> None:  # noqa: N802 - QGIS API name
        if layer is not None and layer.isValid():
            from citycomponents_plugin.core.audit.output import style_problem_layer

            style_problem_layer(layer, self.scope)


class AuditAlgorithm(DistrictAlgorithm):
    """Every check of the data behind the numbers in one run: audit.xlsx, audit.json and two map layers."""

    def name(self) -> str:
        return "audit"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Data check (数据检查)")

    def group(self) -> str:
        return tr("Statistics")

    def groupId(self) -> str:  # noqa: N802
        return "statistics"

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Checks the data behind the numbers: components outside every grid, without geometry, inside several "
            "grids, within EDGE_TOLERANCE (metres, default 1 cm) of a grid edge, or with a stored grid code "
            "(所在单元网格) that differs from their location; duplicate and malformed 标识码 (for CODE_PROFILE) and "
            "部件状态 outside the vocabulary; duplicate and malformed grid codes (GRID_CODE_PROFILE), overlapping "
            "grids and gaps between them, grid codes that disagree with their regions, grids without a region or "
            "covered less than 50%; overlapping regions, regions without grids and supervisor areas that cut a "
            "committee.\n\n"
            "Writes audit.xlsx (a summary sheet, then one sheet per check) and audit.json into OUTPUT_FOLDER, and "
            "returns a point layer of the problem components and a polygon layer of the problem regions, each "
            "row with its check id and explanation. Booklets and batch exports of the same inputs later carry "
            "the audit's counts.")

    def createInstance(self):  # noqa: N802
        return AuditAlgorithm()

    def initAlgorithm(self, config=None) -> None:  # noqa: N802
        add_district_parameters(self)
        profiles = load_profiles()
        self.addParameter(QgsProcessingParameterEnum("CODE_PROFILE", tr("标识码 layout (code profile)"),
                                                     [p.name for p in profiles.ids], defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum("GRID_CODE_PROFILE", tr("Grid code layout"),
                                                     [p.name for p in profiles.grids], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "EDGE_TOLERANCE", tr("Edge tolerance (metres)"), compat.NUMBER_DOUBLE,
            defaultValue=DEFAULT_EDGE_TOLERANCE, minValue=0.0))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "PROBLEM_COMPONENTS", tr("Problem components"), compat.SOURCE_VECTOR_POINT))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "PROBLEM_REGIONS", tr("Problem regions"), compat.SOURCE_VECTOR_POLYGON))
        self.addOutput(QgsProcessingOutputFile("XLSX", tr("Audit workbook (audit.xlsx)")))
        self.addOutput(QgsProcessingOutputFile("JSON", tr("Audit record (audit.json)")))
        self.addOutput(QgsProcessingOutputNumber("PROBLEMS", tr("Problems found (all checks)")))

    @report_errors_once
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Imported here: loading the provider (every qgis_process call, every other algorithm) need not.
        from citycomponents_plugin.core.audit.output import problem_features, problem_fields, write_audit
        from citycomponents_plugin.core.audit.run import run_audit

        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        if not folder:
            raise QgsProcessingException(tr("Choose an output folder (OUTPUT_FOLDER)."))
        profiles = load_profiles()
        id_profile = profiles.ids[self.parameterAsEnum(parameters, "CODE_PROFILE", context)]
        grid_profile = profiles.grids[self.parameterAsEnum(parameters, "GRID_CODE_PROFILE", context)]
        tolerance = self.parameterAsDouble(parameters, "EDGE_TOLERANCE", context)
        # the copies prepareAlgorithm took on the main thread (a project layer is never read here)
        inputs = self.inputs if self.inputs is not None else district_inputs(self, parameters, context)
        self.inputs = None
        crs = inputs.grids.crs()
        try:
            result = run_audit(inputs, id_profile, grid_profile, tolerance, feedback)
            paths = write_audit(result, folder)
        except CityComponentsError as exc:
            raise QgsProcessingException(translated(exc.message)) from exc
        finally:
            release_copies(inputs)
        outputs = {"OUTPUT_FOLDER": folder, "XLSX": paths["xlsx"], "JSON": paths["json"],
                   "PROBLEMS": sum(result.counts().values())}
        for name, scope in SINKS.items():
            wkb = compat.WKB_POINT if scope == COMPONENT else compat.WKB_MULTIPOLYGON
            sink, dest = self.parameterAsSink(parameters, name, context, problem_fields(scope), wkb, crs)
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, name))
            features = problem_features(result, scope)
            for f in features:
                if f.hasGeometry():
                    g = f.geometry()
                    if scope == REGION:
                        g.convertToMultiType()
                    f.setGeometry(g)
            sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert)
            outputs[name] = dest
            if context.willLoadLayerOnCompletion(dest):
                context.layerToLoadOnCompletionDetails(dest).setPostProcessor(_Styler.create(scope))
        for check in result.checks:
            if check.count:
                feedback.pushInfo(tr("{0}: {1}").format(check.check.id, check.count))
        return outputs
