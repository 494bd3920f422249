"""citycomponents:booklet: one pocket PDF per supervisor area (SPEC 7), straight from a QGIS layout."""

from __future__ import annotations

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtGui import QIcon

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import Message, translated
from citycomponents_plugin.processing_provider.cancel_channel import EventsOnCancelCheck
from citycomponents_plugin.processing_provider.district_parameters import (
    DistrictAlgorithm,
    add_district_parameters,
    district_run,
    tr,
)
from citycomponents_plugin.processing_provider.error_channel import report_errors_once
from citycomponents_plugin.processing_provider.list_parameters import list_items


def parse_area_names(text: str) -> list:
    """Names separated by commas, semicolons or new lines; not by 、, which area names use (东四六条、东四七条)."""
    return list_items({"SUPERVISOR_AREAS": text}, "SUPERVISOR_AREAS")


PAGE_OPTIONS = ["A6 (105 x 148 mm, pocket)", "A5 (148 x 210 mm)"]


class BookletAlgorithm(DistrictAlgorithm):
    """The paper's Word-macro booklet, without the manual steps: every supervisor's inventory to carry."""

    def name(self) -> str:
        return "booklet"

    def displayName(self) -> str:
        return tr("Supervisor booklets (监督员手册)")

    def group(self) -> str:
        return tr("Booklets")

    def groupId(self) -> str:
        return "booklets"

    def icon(self) -> QIcon:
        return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "booklet.svg"))

    def shortHelpString(self) -> str:
        return tr(
            "Writes one pocket booklet (PDF) per supervisor area (监督员责任区) into OUTPUT_FOLDER, named "
            "<area name>.pdf.\n\n"
            "Each booklet has a cover (area, supervisor, date, totals per major class), the statistics "
            "(部件名称, 部件总数, most numerous first), a grid index with page numbers, then a page per unit grid "
            "in grid code order: a map of the grid (neighbouring grids faded, components drawn by major class and "
            "numbered) and the table of its components (序号, 标识码, 名称, short grid code), continued on as "
            "many pages as needed. Every component of the area appears exactly once; text stays searchable.\n\n"
            "SUPERVISORS is required. SUPERVISOR_AREAS optionally limits the booklets to some areas (names "
            "separated by commas or semicolons; 、 belongs to names such as 东四六条、东四七条); empty means every "
            "area. Existing PDFs are only replaced when OVERWRITE is set.\n\n"
            "PREVIOUS_EDITION (the folder of an earlier batch export) marks the components that are new (新), "
            "changed (变) or moved (移) since then on the grid pages, and the cover gives the area's counts.")

    def createInstance(self):
        return BookletAlgorithm()

    def flags(self):
        # Layout rendering uses fonts and painters that belong on the main thread.
        return super().flags() | compat.ALGORITHM_NO_THREADING

    def initAlgorithm(self, config=None) -> None:
        add_district_parameters(self)
        self.addParameter(QgsProcessingParameterString(
            "SUPERVISOR_AREAS", tr("Supervisor areas (names separated by commas; empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum("PAGE_SIZE", tr("Page size"), [tr(o) for o in PAGE_OPTIONS],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(
            "PREVIOUS_EDITION", tr("Previous edition: a batch-export folder (marks what is new or changed)"),
            behavior=compat.FILE_PARAMETER_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")))
        self.addParameter(QgsProcessingParameterBoolean("OVERWRITE", tr("Replace existing booklets"),
                                                        defaultValue=False))
        workers = QgsProcessingParameterNumber("WORKERS", tr("Worker processes (0: one per processor core)"),
                                               compat.NUMBER_INTEGER, defaultValue=0, minValue=0)
        workers.setFlags(workers.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(workers)
        self.addOutput(QgsProcessingOutputNumber("FILES", tr("Booklets written")))
        self.addOutput(QgsProcessingOutputString("PDF_LIST", tr("Booklet files (one path per line)")))

    def checkParameterValues(self, parameters, context):
        ok, message = super().checkParameterValues(parameters, context)
        if ok and not parameters.get("SUPERVISORS"):
            return False, tr("Booklets are made per supervisor area: choose the supervisor area layer "
                             "(SUPERVISORS, 监督员责任区).")
        return ok, message

    @report_errors_once
    def processAlgorithm(self, parameters, context, feedback):
        # Imported here: loading the provider (every qgis_process call, every other algorithm) need not.
        from citycomponents_plugin.core.booklet.booklet_export import export_booklets
        from citycomponents_plugin.core.editions.compare import compare_editions
        from citycomponents_plugin.core.editions.edition import edition_from_index
        from citycomponents_plugin.core.editions.folder import read_folder_edition

        if self.inputs is None or self.inputs.supervisors is None:
            raise QgsProcessingException(tr("Booklets are made per supervisor area: choose the supervisor area "
                                            "layer (SUPERVISORS, 监督员责任区)."))
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        # `SUPERVISOR_AREAS=a,b` or repeated `SUPERVISOR_AREAS=a SUPERVISOR_AREAS=b` (a list from qgis_process)
        areas = list_items(parameters, "SUPERVISOR_AREAS", algorithm=self, context=context)
        page_size = self.parameterAsEnum(parameters, "PAGE_SIZE", context)
        overwrite = self.parameterAsBoolean(parameters, "OVERWRITE", context)
        workers = self.parameterAsInt(parameters, "WORKERS", context)
        previous = self.parameterAsFile(parameters, "PREVIOUS_EDITION", context)
        later = None
        with district_run(self, parameters, context, feedback) as (index, inputs):
            if previous:  # the components' attributes, read from the same copies, to compare with the edition
                try:
                    later = edition_from_index(index, inputs.components, feedback=feedback)
                except CityComponentsError as exc:
                    raise QgsProcessingException(translated(exc.message)) from exc
        feedback.setProgressText(tr("Writing booklets"))
        try:
            changes = compare_editions(read_folder_edition(previous, "PREVIOUS_EDITION"), later) if previous \
                else None
            files = export_booklets(index, areas, page_size, folder, overwrite, EventsOnCancelCheck(feedback),
                                    workers=workers, changes=changes)
        except CityComponentsError as exc:
            raise QgsProcessingException(translated(exc.message)) from exc
        if feedback.isCanceled():  # a cancelled run fails: qgis_process exits non-zero
            raise QgsProcessingException(translated(Message("booklets_cancelled", {"count": len(files),
                                                                                  "folder": folder})))
        feedback.pushInfo(tr("{0} booklet(s) written to {1}").format(len(files), folder))
        # PDF_FILES (a list of paths) is returned for scripts; PDF_LIST is its declared, text form.
        return {"OUTPUT_FOLDER": folder, "FILES": len(files), "PDF_FILES": files, "PDF_LIST": "\n".join(files)}
