"""citycomponents:compareeditions (部件变更对比): what changed between two editions, region by region."""

from __future__ import annotations

import dataclasses
import json

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.editions.compare import CLASS_NAMES, DEFAULT_TOLERANCE, MOVED
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.layer_copies import layer_copy, original_sources, release_layers, restore_sources
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import translated
from citycomponents_plugin.processing_provider.district_parameters import (
    DistrictAlgorithm,
    add_district_parameters,
    district_run,
    report_index,
    tr,
)
from citycomponents_plugin.processing_provider.error_channel import report_errors_once

MOVE_FIELDS = ("标识码", "名称", "原网格", "新网格", "移动距离")


class CompareEditionsAlgorithm(DistrictAlgorithm):
    earlier = None  # copies of the EARLIER layers, taken in prepareAlgorithm
    """Two editions of the components in, the changes per region at every level out."""

    def name(self) -> str:
        return "compareeditions"

    def displayName(self) -> str:  # noqa: N802
        return tr("Compare editions (部件变更对比)")

    def group(self) -> str:
        return tr("Statistics")

    def groupId(self) -> str:  # noqa: N802
        return "statistics"

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Compares an earlier edition of the city components with the current one (COMPONENTS) by 标识码 "
            "and tells, per street, supervisor area, committee and grid, what was added (新增), removed "
            "(删除; a 部件状态 of 废弃 or 移除 counts as removed), moved (移位: to another grid, or further "
            "than MOVE_TOLERANCE metres) and changed (变更: which attributes, old and new values).\n\n"
            "The earlier edition is either its component layers (EARLIER) or the folder of a batch export "
            "that recorded its edition (EARLIER_FOLDER). Repeated and malformed 标识码 are reported and "
            "matched as well as they can be (repeated ones nearest first), never dropped.\n\n"
            "OUTPUT_FOLDER receives 变更.xlsx (a summary sheet per level, per type, every change, the 标识码 "
            "problems) and changes.json; CHANGES is a point layer of the changes and MOVES a line layer "
            "from each moved component's old position to its new one.")

    def createInstance(self):  # noqa: N802
        return CompareEditionsAlgorithm()

    def initAlgorithm(self, config=None) -> None:  # noqa: N802
        add_district_parameters(self)
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "EARLIER", tr("Earlier edition: component layers"), compat.SOURCE_VECTOR_POINT, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "EARLIER_FOLDER", tr("Earlier edition: batch-export folder"),
            behavior=compat.FILE_PARAMETER_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterString("EARLIER_DATE", tr("Date of the earlier edition"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString("LATER_DATE", tr("Date of the later edition"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterNumber("MOVE_TOLERANCE", tr("Move tolerance (m)"),
                                                       compat.NUMBER_DOUBLE, defaultValue=DEFAULT_TOLERANCE,
                                                       minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean("OVERWRITE", tr("Overwrite existing results"),
                                                        defaultValue=False))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addParameter(QgsProcessingParameterFeatureSink("CHANGES", tr("Changes (变更)"),
                                                            compat.SOURCE_VECTOR_POINT, optional=True,
                                                            createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink("MOVES", tr("Moves, old to new (移位)"),
                                                            compat.SOURCE_VECTOR_LINE, optional=True,
                                                            createByDefault=True))
        self.addOutput(QgsProcessingOutputFile("WORKBOOK", tr("变更.xlsx")))
        self.addOutput(QgsProcessingOutputFile("JSON", tr("changes.json")))
        self.addOutput(QgsProcessingOutputString("COUNTS", tr("Count per class (JSON)")))
        for name in CLASS_NAMES:
            self.addOutput(QgsProcessingOutputNumber(name.upper(), name))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API name
        """The district's copies (DistrictAlgorithm) and the earlier edition's, on the main thread."""
        super().prepareAlgorithm(parameters, context, feedback)
        project = context.project() if context is not None else None
        self.earlier = [layer_copy(layer, project, False, "EARLIER")
                        for layer in self.parameterAsLayerList(parameters, "EARLIER", context)]
        return True

    @report_errors_once
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Imported here: loading the provider (every qgis_process call, every other algorithm) need not.
        from citycomponents_plugin.core.editions.edition import edition_from_index
        from citycomponents_plugin.core.editions.folder import read_folder_edition
        from citycomponents_plugin.core.editions.outputs import district_regions
        from citycomponents_plugin.core.editions.run import run_comparison

        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        earlier_layers = self.earlier if self.earlier is not None else \
            self.parameterAsLayerList(parameters, "EARLIER", context)
        self.earlier = None
        earlier_folder = self.parameterAsFile(parameters, "EARLIER_FOLDER", context)
        tolerance = self.parameterAsDouble(parameters, "MOVE_TOLERANCE", context)
        overwrite = self.parameterAsBoolean(parameters, "OVERWRITE", context)
        try:
            if not earlier_layers and not earlier_folder:
                raise CityComponentsError("edition_missing", "EARLIER")
            if earlier_layers and earlier_folder:
                raise CityComponentsError("edition_twice", "EARLIER_FOLDER")
            with district_run(self, parameters, context, feedback) as (index, inputs):
                later = edition_from_index(index, inputs.components,
                                           date=self.parameterAsString(parameters, "LATER_DATE", context),
                                           feedback=feedback)
                if earlier_folder:
                    earlier = read_folder_edition(earlier_folder)
                else:  # the earlier components placed by the same district layers (the copies read above)
                    earlier_inputs = dataclasses.replace(inputs, components=earlier_layers)
                    earlier_index = build_index(earlier_inputs, feedback)
                    restore_sources(earlier_index, original_sources(earlier_inputs))
                    report_index(earlier_index, feedback)
                    earlier = edition_from_index(earlier_index, earlier_layers,
                                                 date=self.parameterAsString(parameters, "EARLIER_DATE", context),
                                                 feedback=feedback)
            result = run_comparison(earlier, later, district_regions(index), folder, tolerance, overwrite, feedback)
        except CityComponentsError as exc:
            raise QgsProcessingException(translated(exc.message)) from exc
        finally:
            release_layers(earlier_layers)
        comparison = result.comparison
        counts = comparison.counts()
        feedback.pushInfo(tr("Added {0}, removed {1}, moved {2}, changed {3}, unchanged {4}.").format(
            *[counts[c] for c in CLASS_NAMES]))
        if comparison.id_problems:
            feedback.pushWarning(tr("{0} repeated, empty or malformed 标识码 (see 变更.xlsx, sheet 标识码问题).")
                                 .format(len(comparison.id_problems)))
        results = {"OUTPUT_FOLDER": folder, "JSON": result.files[0], "COUNTS": json.dumps(counts)}
        if len(result.files) > 1:
            results["WORKBOOK"] = result.files[1]
        results.update({c.upper(): counts[c] for c in CLASS_NAMES})
        change_id = self._write_changes(parameters, context, index.grid_crs, result)
        move_id = self._write_moves(parameters, context, index.grid_crs, result)
        for key, dest in (("CHANGES", change_id), ("MOVES", move_id)):
            if dest:
                results[key] = dest
        return results

    def _write_changes(self, parameters, context, crs, result):
        from citycomponents_plugin.core.editions.outputs import DETAIL_HEADERS, detail_row

        fields = QgsFields()
        for name in DETAIL_HEADERS:
            fields.append(compat.string_field(name))
        sink, dest = self.parameterAsSink(parameters, "CHANGES", context, fields, compat.WKB_POINT, crs)
        if sink is None:
            return None
        cmp = result.comparison
        for row, rec in zip(result.rows, result.records):
            feat = QgsFeature(fields)
            feat.setAttributes(list(detail_row(rec)))
            point = _point(cmp.later, cmp.after[row]) or _point(cmp.earlier, cmp.before[row])
            if point is not None:
                feat.setGeometry(QgsGeometry.fromPointXY(point))
            sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)
        return dest

    def _write_moves(self, parameters, context, crs, result):
        fields = QgsFields()
        for name in MOVE_FIELDS:
            fields.append(compat.string_field(name))
        sink, dest = self.parameterAsSink(parameters, "MOVES", context, fields, compat.WKB_LINESTRING, crs)
        if sink is None:
            return None
        cmp = result.comparison
        for row, rec in zip(result.rows, result.records):
            if cmp.klass[row] != MOVED:
                continue
            old, new = _point(cmp.earlier, cmp.before[row]), _point(cmp.later, cmp.after[row])
            if old is None or new is None:
                continue
            feat = QgsFeature(fields)
            dist = "" if rec["distance"] is None else f"{rec['distance']:.2f}"
            feat.setAttributes([rec["id"], rec["type"], rec["grid_before"] or "", rec["grid_after"] or "", dist])
            feat.setGeometry(QgsGeometry.fromPolylineXY([old, new]))
            sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)
        return dest


def _point(edition, i):
    i = int(i)
    if i < 0 or not edition.valid[i]:
        return None
    return QgsPointXY(float(edition.x[i]), float(edition.y[i]))
