"""citycomponents:regionstatistics: which components, and how many of each type, are in one region."""

from __future__ import annotations

import json

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine.district_index import ReportCounts
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import translated
from citycomponents_plugin.processing_provider.district_parameters import (
    LEVEL_OPTIONS,
    DistrictAlgorithm,
    add_district_parameters,
    indexed,
    level_from_enum,
    report_index,
    taken_inputs,
    tr,
    types_parameter,
)
from citycomponents_plugin.processing_provider.error_channel import report_errors_once


class RegionStatisticsAlgorithm(DistrictAlgorithm):
    """The original tool's query: a region and component types in, a statistics table and details out."""

    def name(self) -> str:
        return "regionstatistics"

    def displayName(self) -> str:
        return tr("Region statistics (区域部件统计)")

    def group(self) -> str:
        return tr("Statistics")

    def groupId(self) -> str:
        return "statistics"

    def shortHelpString(self) -> str:
        return tr(
            "Counts the city components of one region (a street office, supervisor area, community committee "
            "or unit grid) by type, and lists them.\n\n"
            "Every component is assigned to exactly one unit grid (a point on a shared edge or vertex goes to "
            "the grid with the smallest code); every grid belongs to the street, committee and supervisor area "
            "that covers most of its area, so hand-drawn boundaries that do not match the grids exactly still "
            "give exact counts.\n\n"
            "REGION is the region's name (or grid code). TYPES optionally restricts the component types "
            "(names separated by commas). STATISTICS is a table of 部件名称 and 部件总数, most numerous first; "
            "DETAILS is a point layer of the components (标识码, 名称, 单元网格), ordered by grid code and "
            "标识码. Both are optional: skip the one you do not need (from the command line or Python, only "
            "the outputs given are written); TOTAL and BY_TYPE are always returned.")

    def createInstance(self):
        return RegionStatisticsAlgorithm()

    def initAlgorithm(self, config=None) -> None:
        add_district_parameters(self)
        self.addParameter(QgsProcessingParameterEnum("LEVEL", tr("Level"), [tr(o) for o in LEVEL_OPTIONS],
                                                     defaultValue=3))
        self.addParameter(QgsProcessingParameterString("REGION", tr("Region name or grid code")))
        self.addParameter(QgsProcessingParameterString("TYPES", tr("Component types (empty: all)"), optional=True))
        # Both tables are optional outputs, as in QGIS's own algorithms: created by default in the
        # toolbox, written from the command line and Python only when given (TOTAL and BY_TYPE always are).
        self.addParameter(QgsProcessingParameterFeatureSink("STATISTICS", tr("Statistics (统计结果)"),
                                                            compat.SOURCE_VECTOR_TABLE, optional=True,
                                                            createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink("DETAILS", tr("Details (明细)"),
                                                            compat.SOURCE_VECTOR_POINT, optional=True,
                                                            createByDefault=True))
        self.addOutput(QgsProcessingOutputNumber("TOTAL", tr("Components in the region")))
        self.addOutput(QgsProcessingOutputString("REGION_KEY", tr("Region key")))
        self.addOutput(QgsProcessingOutputString("BY_TYPE", tr("Count per type (JSON)")))
        self.addOutput(QgsProcessingOutputNumber("COMPONENTS_READ", tr("Components read")))
        self.addOutput(QgsProcessingOutputNumber("UNASSIGNED", tr("Components in no grid")))

    @report_errors_once
    def processAlgorithm(self, parameters, context, feedback):
        level = level_from_enum(self.parameterAsEnum(parameters, "LEVEL", context))
        region_text = self.parameterAsString(parameters, "REGION", context)
        types = types_parameter(self, parameters, context)
        from citycomponents_plugin.core.database.district import answer_in_database

        with taken_inputs(self, parameters, context) as inputs:
            try:
                # On PostGIS the database answers for the region and counts the district (nothing else is read);
                # elsewhere, and where it cannot, the whole index.
                answer = answer_in_database(inputs, level, region_text, types, feedback)
            except CityComponentsError as exc:
                raise QgsProcessingException(translated(exc.message)) from exc
            if answer is not None:
                report_index(answer.index, feedback, answer.counts)
                index, region, found = answer.index, answer.region, self._from_database(answer)
                counts = answer.counts
            else:
                index = indexed(inputs, feedback)
                try:
                    region = index.find_region(level, region_text)
                    members = index.region_members(level, region, types)
                except CityComponentsError as exc:
                    raise QgsProcessingException(translated(exc.message)) from exc
                found = self._from_index(index, members)
                counts = ReportCounts.of_index(index)
        stats, rows, layer_names, points = found

        stat_fields = QgsFields()
        stat_fields.append(compat.string_field("部件名称"))
        stat_fields.append(compat.int_field("部件总数"))
        stat_sink, stat_id = self.parameterAsSink(parameters, "STATISTICS", context, stat_fields,
                                                  compat.WKB_NO_GEOMETRY)
        if stat_sink is not None:  # None: the output was not asked for
            for name, count in stats:
                feat = QgsFeature(stat_fields)
                feat.setAttributes([name, count])
                stat_sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)

        headers = index.detail_headers() + ["图层"]
        detail_fields = QgsFields()
        for h in headers:
            detail_fields.append(compat.string_field(h))
        detail_sink, detail_id = self.parameterAsSink(parameters, "DETAILS", context, detail_fields,
                                                      compat.WKB_POINT, index.grid_crs)
        if detail_sink is not None:
            self._write_details(rows, layer_names, points, detail_sink, detail_fields, feedback)

        total = int(sum(c for _, c in stats))
        feedback.pushInfo(tr("{0} '{1}': {2} component(s) of {3} type(s).").format(
            level.label, region.key, total, len(stats)))
        results = {
            "TOTAL": total,
            "REGION_KEY": region.key,
            "LEVEL": level.value,
            "BY_TYPE": json.dumps(dict(stats), ensure_ascii=False),
            "COMPONENTS_READ": counts.components_read,
            "UNASSIGNED": counts.unassigned,
        }
        # An output that was not asked for is left out of the results, as QGIS's own algorithms do.
        for key, dest_id in (("STATISTICS", stat_id), ("DETAILS", detail_id)):
            if dest_id:
                results[key] = dest_id
        return results

    @staticmethod
    def _from_index(index, members) -> tuple:
        """(statistics, detail rows, each row's layer name, each row's point or None) from the whole index."""
        points = [(float(index.comp_x[i]), float(index.comp_y[i])) if index.comp_valid[i] else None
                  for i in members.tolist()]
        return (index.statistics(members), index.detail_rows(members),
                [index.layers[i].name for i in index.comp_layer[members].tolist()], points)

    @staticmethod
    def _from_database(answer) -> tuple:
        """The same from the database's answer."""
        res = answer.result
        points = [(float(x), float(y)) if ok else None
                  for x, y, ok in zip(answer.x.tolist(), answer.y.tolist(), answer.has_point.tolist())]
        return res.statistics, res.details, [answer.index.layers[n].name for n, _fid in res.members], points

    @staticmethod
    def _write_details(rows, layer_names, points, sink, fields, feedback) -> None:
        for n, (row, lname, point) in enumerate(zip(rows, layer_names, points)):
            if n % 2000 == 0 and feedback.isCanceled():
                break
            feat = QgsFeature(fields)
            feat.setAttributes(list(row) + [lname])
            if point is not None:
                feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*point)))
            sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert)
