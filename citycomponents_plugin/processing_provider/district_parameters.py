"""The parameters every district algorithm shares (SPEC section 5), and their conversion to DistrictInputs."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Optional

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.district_index import DistrictIndex, ReportCounts
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.engine.layer_copies import (
    layer_copy,
    original_sources,
    release_copies,
    restore_sources,
)
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level
from citycomponents_plugin.core.messages import translated, warn
from citycomponents_plugin.processing_provider.list_parameters import (
    TYPE_SEPARATORS,
    component_layers_value,
    names_or_none,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("CityComponentsAlgorithm", text)


KIND_OPTIONS = ["Components (部件查询)", "Addresses / reference objects / POIs (地址查询)"]
ASSIGN_OPTIONS = ["By location (point in grid)", "By stored grid code (所在单元网格)"]
LEVEL_OPTIONS = ["Street office (街道)", "Supervisor area (监督员责任区)", "Community committee (社区居委会)",
                 "Unit grid (单元网格)"]


def add_district_parameters(alg) -> None:
    """GRIDS, COMMITTEES, STREETS, SUPERVISORS, COMPONENTS, KIND, the field overrides and ASSIGN_BY."""
    polygon = [compat.SOURCE_VECTOR_POLYGON]
    alg.addParameter(QgsProcessingParameterVectorLayer("GRIDS", tr("Unit grids (万米单元网格)"), polygon))
    alg.addParameter(QgsProcessingParameterVectorLayer("COMMITTEES", tr("Community committees (社区居委会)"),
                                                       polygon, optional=True))
    alg.addParameter(QgsProcessingParameterVectorLayer("STREETS", tr("Street offices (街道办事处)"), polygon,
                                                       optional=True))
    alg.addParameter(QgsProcessingParameterVectorLayer("SUPERVISORS", tr("Supervisor areas (监督员责任区)"),
                                                       polygon, optional=True))
    alg.addParameter(QgsProcessingParameterMultipleLayers("COMPONENTS", tr("Component layers (城市部件)"),
                                                          compat.SOURCE_VECTOR_POINT))
    alg.addParameter(QgsProcessingParameterEnum("KIND", tr("Query object"), [tr(o) for o in KIND_OPTIONS],
                                                defaultValue=0))
    for name, label, parent in (
            ("GRID_CODE_FIELD", "Grid code field (网格编码)", "GRIDS"),
            ("COMMITTEE_NAME_FIELD", "Committee name field", "COMMITTEES"),
            ("STREET_NAME_FIELD", "Street name field", "STREETS"),
            ("SUPERVISOR_NAME_FIELD", "Supervisor area name field", "SUPERVISORS"),
            ("COMMITTEE_CODE_FIELD", "Committee code field (社区编码)", "COMMITTEES"),
            ("STREET_CODE_FIELD", "Street code field (街道编码)", "STREETS"),
            ("SUPERVISOR_CODE_FIELD", "Supervisor area code field (责任区编码)", "SUPERVISORS")):
        alg.addParameter(QgsProcessingParameterField(name, tr(label) + tr(" [auto-detected if empty]"),
                                                     parentLayerParameterName=parent, optional=True))
    for name, label in (("ID_FIELD", "Component id field (标识码)"), ("TYPE_FIELD", "Type name field (名称)"),
                        ("GRID_ATTR_FIELD", "Stored grid code field (所在单元网格)")):
        alg.addParameter(QgsProcessingParameterString(name, tr(label) + tr(" [auto-detected if empty]"),
                                                      optional=True))
    alg.addParameter(QgsProcessingParameterEnum("ASSIGN_BY", tr("Assign components to grids"),
                                                [tr(o) for o in ASSIGN_OPTIONS], defaultValue=0))


def _field(alg, parameters, name: str, context) -> Optional[str]:
    if name in ("ID_FIELD", "TYPE_FIELD", "GRID_ATTR_FIELD"):
        value = alg.parameterAsString(parameters, name, context)
    else:
        values = compat.parameter_as_fields(alg, parameters, name, context)
        value = values[0] if values else ""
    return value.strip() or None if value else None


def district_inputs(alg, parameters, context) -> DistrictInputs:
    """DistrictInputs from the shared parameters, with copies of project layers (see layer_copy).

    Called from prepareAlgorithm, which QGIS runs on the main thread before the worker starts.
    """
    parameters = dict(parameters, COMPONENTS=component_layers_value(parameters, "COMPONENTS", context))
    components = alg.parameterAsLayerList(parameters, "COMPONENTS", context)
    project = context.project() if context is not None else None
    return DistrictInputs(
        grids=layer_copy(alg.parameterAsVectorLayer(parameters, "GRIDS", context), project, True, "GRIDS"),
        components=[layer_copy(layer, project, False, "COMPONENTS") for layer in components],
        committees=layer_copy(alg.parameterAsVectorLayer(parameters, "COMMITTEES", context), project, True,
                              "COMMITTEES"),
        streets=layer_copy(alg.parameterAsVectorLayer(parameters, "STREETS", context), project, True, "STREETS"),
        supervisors=layer_copy(alg.parameterAsVectorLayer(parameters, "SUPERVISORS", context), project, True,
                               "SUPERVISORS"),
        kind=alg.parameterAsEnum(parameters, "KIND", context),
        grid_code_field=_field(alg, parameters, "GRID_CODE_FIELD", context),
        committee_name_field=_field(alg, parameters, "COMMITTEE_NAME_FIELD", context),
        street_name_field=_field(alg, parameters, "STREET_NAME_FIELD", context),
        supervisor_name_field=_field(alg, parameters, "SUPERVISOR_NAME_FIELD", context),
        committee_code_field=_field(alg, parameters, "COMMITTEE_CODE_FIELD", context),
        street_code_field=_field(alg, parameters, "STREET_CODE_FIELD", context),
        supervisor_code_field=_field(alg, parameters, "SUPERVISOR_CODE_FIELD", context),
        id_field=_field(alg, parameters, "ID_FIELD", context),
        type_field=_field(alg, parameters, "TYPE_FIELD", context),
        grid_attr_field=_field(alg, parameters, "GRID_ATTR_FIELD", context),
        assign_by=alg.parameterAsEnum(parameters, "ASSIGN_BY", context),
        transform_context=context.transformContext(),
    )


class DistrictAlgorithm(QgsProcessingAlgorithm):
    """An algorithm on a district: the layers are copied in prepareAlgorithm (main thread), never read later."""

    inputs: Optional[DistrictInputs] = None

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        self.inputs = district_inputs(self, parameters, context)
        return True

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """COMPONENTS as a list, comma-separated or repeated (list_parameters.py); QGIS checks the rest."""
        try:
            fixed = dict(parameters, COMPONENTS=component_layers_value(parameters, "COMPONENTS", context))
        except QgsProcessingException as exc:
            return False, str(exc)
        return super().checkParameterValues(fixed, context)


@contextmanager
def district_run(alg, parameters, context, feedback):
    """(index, the layer copies it was built from): for an algorithm that reads the layers again (an
    edition's attributes), the copies live until the run ends, then go (taken_inputs)."""
    with taken_inputs(alg, parameters, context) as inputs:
        yield indexed(inputs, feedback), inputs


@contextmanager
def taken_inputs(alg, parameters, context):
    """The layer copies prepareAlgorithm took (or taken now), released when the run ends."""
    inputs = alg.inputs if getattr(alg, "inputs", None) is not None else district_inputs(alg, parameters, context)
    alg.inputs = None  # read once; the next run takes its own copies
    # In a worker, the copies (objects of the main thread) stay with the task's algorithm, which QGIS deletes
    # on the main thread: a layer is never destroyed in a thread it does not belong to.
    try:
        yield inputs
    finally:
        release_copies(inputs)


def indexed(inputs: DistrictInputs, feedback) -> DistrictIndex:
    """The district index of the copies, its sources the user's layers', its findings in the log."""
    try:
        index = build_index(inputs, feedback)
    except CityComponentsError as exc:  # CancelledError included
        raise QgsProcessingException(translated(exc.message)) from exc
    restore_sources(index, original_sources(inputs))
    report_index(index, feedback)
    return index


def report_index(index: DistrictIndex, feedback, counts: Optional[ReportCounts] = None) -> None:
    """What the index found, in the log: the counts an operator checks first.

    counts: the components' counts where the index holds no component (the database counted them)."""
    if feedback is None:
        return
    rep = ReportCounts.of_index(index) if counts is None else counts
    feedback.pushInfo(tr("Components read: {0}; assigned to a grid: {1}; in no grid: {2}").format(
        rep.components_read, rep.assigned, rep.unassigned))
    if rep.null_geometry:
        feedback.pushWarning(tr("{0} component(s) have no geometry (counted as not in any grid).").format(
            rep.null_geometry))
    if rep.untransformable:
        feedback.pushWarning(tr("{0} component(s) could not be transformed to the grid layer's CRS (coordinates "
                                "outside that CRS's area); they are counted as not in any grid.").format(
            rep.untransformable))
    if rep.duplicate_ids:
        sample = ", ".join(list(rep.duplicate_ids)[:5])
        feedback.pushWarning(tr("{0} duplicate component id(s), e.g. {1}.").format(len(rep.duplicate_ids), sample))
    if rep.grid_code_mismatch:
        feedback.pushInfo(tr("{0} component(s) have a stored grid code that differs from their location.").format(
            rep.grid_code_mismatch))
    if rep.multipart:
        feedback.pushWarning(tr("{0} multipoint feature(s) have several points; each is counted once, at its "
                                "first point.").format(rep.multipart))
    repaired = [(index.grid_layer_name, index.grid_repaired)] + [
        (data.layer_name, data.repaired) for data in index.levels.values()]
    for layer_name, fixed in repaired:
        if fixed:
            feedback.pushWarning(tr("Layer '{0}': {1} invalid polygon(s) were repaired for this run (feature ids "
                                    "{2}); fix them in the data with Vector > Geometry Tools > Fix Geometries.")
                                 .format(layer_name, len(fixed), ", ".join(str(fid) for fid, _ in fixed[:10])))
    nulls = [(index.grid_layer_name, index.grid_null_geometries)] + [
        (data.layer_name, data.null_geometries) for data in index.levels.values()]
    for layer_name, empty in nulls:
        if empty:
            feedback.pushWarning(tr("Layer '{0}': {1} feature(s) have no geometry: {2}.").format(
                layer_name, len(empty), ", ".join(key for _, key in empty[:10])))
    for message in index.warnings:  # CRSs, overlaps, numeric codes, encodings, uncovered grids
        warn(feedback, message)
    for level, weak in rep.weak_grids.items():
        if weak:
            feedback.pushWarning(tr("{0} grid(s) are covered less than 50% by any {1} region, e.g. {2}.").format(
                len(weak), level.label, weak[0][0]))


def parse_types(text: Optional[str]) -> Optional[list]:
    """TYPES: names separated by commas, 、, semicolons or new lines; empty means all types."""
    return names_or_none({"TYPES": text}, "TYPES", TYPE_SEPARATORS)


LEVEL_ALIASES = [(level.value, level.label) for level in LEVEL_ORDER]


def types_parameter(alg, parameters, context) -> Optional[list]:
    """TYPES as names, from `TYPES=a,b` or repeated `TYPES=a TYPES=b`; None for all types."""
    return names_or_none(parameters, "TYPES", TYPE_SEPARATORS, alg, context)


def level_from_enum(value: int) -> Level:
    return LEVEL_ORDER[value]
