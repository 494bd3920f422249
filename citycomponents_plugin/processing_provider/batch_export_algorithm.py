"""citycomponents:batchexport: every region of every level to xlsx/txt/csv in one run (SPEC section 6)."""

from __future__ import annotations

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import Message, translated
from citycomponents_plugin.processing_provider.cancel_channel import EventsOnCancelCheck
from citycomponents_plugin.processing_provider.district_parameters import (
    LEVEL_ALIASES,
    LEVEL_OPTIONS,
    DistrictAlgorithm,
    add_district_parameters,
    district_run,
    level_from_enum,
    tr,
    types_parameter,
)
from citycomponents_plugin.processing_provider.error_channel import report_errors_once
from citycomponents_plugin.processing_provider.list_parameters import check_enum_lists, enum_items

FORMAT_OPTIONS = ["xlsx", "txt", "csv"]
ENCODING_OPTIONS = ["UTF-8", "GBK"]
ENCODING_VALUES = ["utf-8", "gbk"]


class BatchExportAlgorithm(DistrictAlgorithm):
    """The original tool's per-region files for every region at once, with a manifest and a summary."""

    def name(self) -> str:
        return "batchexport"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Batch export (批量导出)")

    def group(self) -> str:
        return tr("Statistics")

    def groupId(self) -> str:  # noqa: N802
        return "statistics"

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Writes the statistics (部件名称, 部件总数) and the detail list (标识码, 名称, 单元网格) of every region "
            "of the chosen levels into OUTPUT_FOLDER: one sub-folder per level (街道, 监督员责任区, 社区居委会, "
            "单元网格) with <name>.xlsx, <name>.txt and <name>统计结果.txt per region, plus 汇总.xlsx (a cross-tab "
            "per level and the components in no grid), 部件总表.csv (every component with its grid and regions) "
            "and manifest.json (what was written, with the counts).\n\n"
            "LEVELS: empty means every level whose layer was given. FORMATS: xlsx and txt by default; csv is "
            "optional. ENCODING applies to the txt/csv files (UTF-8 with BOM, or GBK for older software; "
            "characters GBK cannot hold are written as '?' and reported). TYPES optionally restricts the "
            "component types.\n\n"
            "Files are written under a temporary name and renamed when complete; existing results are kept "
            "unless OVERWRITE is set. Codes are text cells in Excel, and values such as '=1+2' stay text.")

    def createInstance(self):  # noqa: N802
        return BatchExportAlgorithm()

    def initAlgorithm(self, config=None) -> None:  # noqa: N802
        add_district_parameters(self)
        self.addParameter(QgsProcessingParameterEnum(
            "LEVELS", tr("Levels to export (empty: all levels given)"), [tr(o) for o in LEVEL_OPTIONS],
            allowMultiple=True, optional=True))
        self.addParameter(QgsProcessingParameterEnum("FORMATS", tr("File formats"), FORMAT_OPTIONS,
                                                     allowMultiple=True, defaultValue=[0, 1]))
        self.addParameter(QgsProcessingParameterEnum("ENCODING", tr("Text file encoding (txt/csv)"),
                                                     ENCODING_OPTIONS, defaultValue=0))
        self.addParameter(QgsProcessingParameterString("TYPES", tr("Component types (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean("OVERWRITE", tr("Overwrite existing results"),
                                                        defaultValue=False))
        self.addParameter(QgsProcessingParameterString("EDITION_DATE", tr("Date of this edition (empty: today)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "PREVIOUS_EDITION", tr("Previous edition: an earlier batch-export folder (adds the changes)"),
            behavior=compat.FILE_PARAMETER_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile("MANIFEST", tr("Manifest (manifest.json)")))
        self.addOutput(QgsProcessingOutputNumber("FILES", tr("Files written")))
        self.addOutput(QgsProcessingOutputNumber("COMPONENTS_READ", tr("Components read")))
        self.addOutput(QgsProcessingOutputNumber("ASSIGNED", tr("Components assigned to a grid")))
        self.addOutput(QgsProcessingOutputNumber("UNASSIGNED", tr("Components in no grid")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """LEVELS and FORMATS by index or name, comma-separated or repeated; QGIS checks the rest."""
        ok, message, fixed = check_enum_lists(self, parameters, {"LEVELS": (LEVEL_OPTIONS, LEVEL_ALIASES),
                                                                 "FORMATS": (FORMAT_OPTIONS, ())})
        if not ok:
            return False, message
        return super().checkParameterValues(fixed, context)

    @report_errors_once
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Imported here: loading the provider (every qgis_process call, every other algorithm) need not.
        from citycomponents_plugin.core.batch_export.exporter import count_files, export_district
        from citycomponents_plugin.core.batch_export.manifest import MANIFEST_NAME, STATUS_CANCELLED
        from citycomponents_plugin.core.editions.batch import BatchChanges
        from citycomponents_plugin.core.editions.compare import compare_editions
        from citycomponents_plugin.core.editions.edition import edition_from_index
        from citycomponents_plugin.core.editions.folder import read_folder_edition, record_edition

        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        if not folder:
            raise QgsProcessingException(tr("Choose an output folder (OUTPUT_FOLDER)."))
        # Read raw, not with parameterAsEnums: an unset optional enum reads as [0] (street) in QGIS 3.22, and
        # repeated LEVELS=1 LEVELS=3 arguments arrive as a string list (list_parameters.py).
        levels = [level_from_enum(v) for v in enum_items(parameters, "LEVELS", LEVEL_OPTIONS, LEVEL_ALIASES)]
        if parameters.get("FORMATS") in (None, "", []):
            formats = [FORMAT_OPTIONS[v] for v in self.parameterAsEnums(parameters, "FORMATS", context)]
        else:
            formats = [FORMAT_OPTIONS[v] for v in enum_items(parameters, "FORMATS", FORMAT_OPTIONS)]
        if not formats:
            raise QgsProcessingException(tr("Choose at least one file format (FORMATS)."))
        encoding = ENCODING_VALUES[self.parameterAsEnum(parameters, "ENCODING", context)]
        types = types_parameter(self, parameters, context)
        overwrite = self.parameterAsBoolean(parameters, "OVERWRITE", context)
        edition_date = self.parameterAsString(parameters, "EDITION_DATE", context)
        previous = self.parameterAsFile(parameters, "PREVIOUS_EDITION", context)
        with district_run(self, parameters, context, feedback) as (index, inputs):
            try:  # the edition this export records (SPEC 12): every attribute, read from the same copies
                edition = edition_from_index(index, inputs.components, date=edition_date, feedback=feedback)
            except CityComponentsError as exc:
                raise QgsProcessingException(translated(exc.message)) from exc
        try:
            changes = BatchChanges(compare_editions(read_folder_edition(previous, "PREVIOUS_EDITION"), edition)) \
                if previous else None

            def record(out_folder, manifest):
                record_edition(out_folder, manifest, edition)

            manifest = export_district(index, folder, levels or None, formats, encoding, types, overwrite,
                                       EventsOnCancelCheck(feedback), before_manifest=record, changes=changes)
        except CityComponentsError as exc:
            raise QgsProcessingException(translated(exc.message)) from exc
        if manifest["status"] == STATUS_CANCELLED:  # a cancelled run fails: qgis_process exits non-zero
            raise QgsProcessingException(translated(Message("run_cancelled", {"manifest": MANIFEST_NAME,
                                                                             "count": count_files(manifest)})))
        return {
            "OUTPUT_FOLDER": folder,
            "MANIFEST": os.path.join(folder, MANIFEST_NAME),
            "FILES": count_files(manifest),
            "COMPONENTS_READ": index.components_read,
            "ASSIGNED": index.assigned,
            "UNASSIGNED": index.unassigned,
        }
