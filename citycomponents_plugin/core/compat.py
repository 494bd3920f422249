"""What differs between the QGIS and Qt versions the plugin runs on, resolved once, here and nowhere else.

The plugin supports QGIS 3.22 (Debian 12) to the current LTR (3.40, Debian 13) and later, on Qt5, and is
written to load on Qt6 (QGIS 4). Between 3.22 and 3.40 many enums moved into the `Qgis` class (the old
names stay as aliases, some of them wrong: on 3.40 `QgsPalLayerSettings.OverPoint` is a *point
position*, which the `placement` setter refuses), some constructors and setters were deprecated, and
PyQt6 only knows enum members through their enum (`Qt.AlignmentFlag.AlignLeft`, never `Qt.AlignLeft`).

Each name below is the newer API where this QGIS has it, else the 3.22 one, always in scoped form.
Call sites use these names and never test the version themselves. This module is part of core/: it
imports qgis.core, QtCore and QtGui only (no qgis.gui, no widgets).
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsField,
    QgsLayoutRenderContext,
    QgsMapLayerProxyModel,
    QgsPalLayerSettings,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsTextBackgroundSettings,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_VERSION, QLibraryInfo, QMetaType, QVariant
from qgis.PyQt.QtGui import QFontDatabase

QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT

# ----- geometry and WKB types: Qgis.GeometryType and Qgis.WkbType since 3.30 --------------------------
if hasattr(Qgis, "GeometryType"):
    POINT_GEOMETRY = Qgis.GeometryType.Point
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
else:
    POINT_GEOMETRY = QgsWkbTypes.GeometryType.PointGeometry
    POLYGON_GEOMETRY = QgsWkbTypes.GeometryType.PolygonGeometry

if hasattr(Qgis, "WkbType"):
    WKB_POINT = Qgis.WkbType.Point
    WKB_NO_GEOMETRY = Qgis.WkbType.NoGeometry
    WKB_MULTIPOLYGON = Qgis.WkbType.MultiPolygon
    WKB_POLYGON = Qgis.WkbType.Polygon
else:
    WKB_POINT = QgsWkbTypes.Type.Point
    WKB_NO_GEOMETRY = QgsWkbTypes.Type.NoGeometry
    WKB_MULTIPOLYGON = QgsWkbTypes.Type.MultiPolygon
    WKB_POLYGON = QgsWkbTypes.Type.Polygon

# the edition comparison's moves, old position -> new
WKB_LINESTRING = Qgis.WkbType.LineString if hasattr(Qgis, "WkbType") else QgsWkbTypes.Type.LineString
SOURCE_VECTOR_LINE = (Qgis.ProcessingSourceType.VectorLine if hasattr(Qgis, "ProcessingSourceType")
                      else QgsProcessing.SourceType.TypeVectorLine)

# ----- units: Qgis.RenderUnit and Qgis.LayoutUnit since 3.30 ------------------------------------------
if hasattr(Qgis, "RenderUnit"):
    RENDER_POINTS = Qgis.RenderUnit.Points
    RENDER_MILLIMETERS = Qgis.RenderUnit.Millimeters
else:
    RENDER_POINTS = QgsUnitTypes.RenderUnit.RenderPoints
    RENDER_MILLIMETERS = QgsUnitTypes.RenderUnit.RenderMillimeters

# ----- text backgrounds: Qgis.TextBackgroundShape / ...SizeType since 3.28 ----------------------------------
if hasattr(Qgis, "TextBackgroundShape"):
    TEXT_BACKGROUND_RECTANGLE = Qgis.TextBackgroundShape.Rectangle
    TEXT_BACKGROUND_SIZE_BUFFER = Qgis.TextBackgroundSizeType.Buffer
else:
    TEXT_BACKGROUND_RECTANGLE = QgsTextBackgroundSettings.ShapeType.ShapeRectangle
    TEXT_BACKGROUND_SIZE_BUFFER = QgsTextBackgroundSettings.SizeType.SizeBuffer

if hasattr(Qgis, "LayoutUnit"):
    LAYOUT_MILLIMETERS = Qgis.LayoutUnit.Millimeters
else:
    LAYOUT_MILLIMETERS = QgsUnitTypes.LayoutUnit.LayoutMillimeters

# ----- labels: Qgis.LabelPlacement since 3.26 (the booklet's maps) --------------------------------------
if hasattr(Qgis, "LabelPlacement"):
    LABEL_OVER_POINT = Qgis.LabelPlacement.OverPoint
    LABEL_AROUND_POINT_ORDERED = Qgis.LabelPlacement.OrderedPositionsAroundPoint
    LABEL_INSIDE_POLYGON = Qgis.LabelPlacement.Horizontal
else:
    LABEL_OVER_POINT = QgsPalLayerSettings.Placement.OverPoint
    LABEL_AROUND_POINT_ORDERED = QgsPalLayerSettings.Placement.OrderedPositionsAroundPoint
    LABEL_INSIDE_POLYGON = QgsPalLayerSettings.Placement.Horizontal

def label_always_shown(settings) -> None:
    """Place the label away from the others where it can, over them where it cannot, never drop it.

    3.26 replaced `displayAll` (deprecated since) by the placement settings' overlap handling.
    """
    if hasattr(Qgis, "LabelOverlapHandling") and hasattr(settings, "placementSettings"):
        settings.placementSettings().setOverlapHandling(Qgis.LabelOverlapHandling.AllowOverlapIfRequired)
        settings.placementSettings().setAllowDegradedPlacement(True)
    else:
        settings.displayAll = True


# ----- layout rendering ------------------------------------------------------------------------------
if hasattr(Qgis, "LayoutRenderFlag"):  # after 3.40
    LAYOUT_FORCE_VECTOR = Qgis.LayoutRenderFlag.ForceVectorOutput
else:
    LAYOUT_FORCE_VECTOR = QgsLayoutRenderContext.Flag.FlagForceVectorOutput
# Text measured the way it is drawn (3.22+); None where a QGIS no longer needs (or has) the workaround.
TEXT_SCALING_WORKAROUND = getattr(Qgis.RenderContextFlag, "ApplyScalingWorkaroundForTextRendering", None)

# ----- Processing: Qgis.ProcessingSourceType, ...AlgorithmFlag, ...ParameterFlag, ... since 3.36 -------------
if hasattr(Qgis, "ProcessingSourceType"):
    SOURCE_VECTOR_TABLE = Qgis.ProcessingSourceType.Vector
    SOURCE_VECTOR_POINT = Qgis.ProcessingSourceType.VectorPoint
    SOURCE_VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
else:
    SOURCE_VECTOR_TABLE = QgsProcessing.SourceType.TypeVector
    SOURCE_VECTOR_POINT = QgsProcessing.SourceType.TypeVectorPoint
    SOURCE_VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon

if hasattr(Qgis, "ProcessingAlgorithmFlag"):
    ALGORITHM_NO_THREADING = Qgis.ProcessingAlgorithmFlag.NoThreading
else:
    ALGORITHM_NO_THREADING = QgsProcessingAlgorithm.Flag.FlagNoThreading

if hasattr(Qgis, "ProcessingParameterFlag"):
    PARAMETER_ADVANCED = Qgis.ProcessingParameterFlag.Advanced
else:
    PARAMETER_ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced

if hasattr(Qgis, "ProcessingFileParameterBehavior"):
    FILE_PARAMETER_FOLDER = Qgis.ProcessingFileParameterBehavior.Folder
else:
    FILE_PARAMETER_FOLDER = QgsProcessingParameterFile.Behavior.Folder

if hasattr(Qgis, "ProcessingNumberParameterType"):
    NUMBER_INTEGER = Qgis.ProcessingNumberParameterType.Integer
    NUMBER_DOUBLE = Qgis.ProcessingNumberParameterType.Double
else:
    NUMBER_INTEGER = QgsProcessingParameterNumber.Type.Integer
    NUMBER_DOUBLE = QgsProcessingParameterNumber.Type.Double


def parameter_as_fields(algorithm, parameters: dict, name: str, context) -> list:
    """Field names of a field parameter: parameterAsStrings since 3.32 (parameterAsFields is deprecated)."""
    if hasattr(algorithm, "parameterAsStrings"):
        return algorithm.parameterAsStrings(parameters, name, context)
    return algorithm.parameterAsFields(parameters, name, context)


# ----- CRS and layer filters --------------------------------------------------------------------------
if hasattr(Qgis, "CrsWktVariant"):  # 3.36
    WKT_PREFERRED = Qgis.CrsWktVariant.Preferred
else:
    WKT_PREFERRED = QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED

if hasattr(Qgis, "LayerFilter"):  # 3.34
    POLYGON_LAYER_FILTER = Qgis.LayerFilter.PolygonLayer
else:
    POLYGON_LAYER_FILTER = QgsMapLayerProxyModel.Filter.PolygonLayer

# ----- fields: QgsField(name, QMetaType.Type) since 3.38 (QVariant.Type is deprecated, and gone in Qt6) ---
if QGIS_VERSION_INT >= 33800:
    _STRING, _INT = QMetaType.Type.QString, QMetaType.Type.Int
else:
    _STRING, _INT = QVariant.Type.String, QVariant.Type.Int


def string_field(name: str) -> QgsField:
    return QgsField(name, _STRING)


def int_field(name: str) -> QgsField:
    return QgsField(name, _INT)


# ----- layout labels: setTextFormat since 3.24 (setFont and setFontColor are deprecated) -------------------
def set_label_text_format(item, text_format, font, color) -> None:
    """The text style of a QgsLayoutItemLabel: `text_format` (a QgsTextFormat built from `font`, with its
    size in points and `color`) where the label takes one, else the same as font and colour."""
    if hasattr(item, "setTextFormat"):
        item.setTextFormat(text_format)
    else:
        item.setFont(font)
        item.setFontColor(color)


# ----- Qt: QFontDatabase is all static in Qt6 (no instances) ----------------------------------------------
def qt_translations_folder() -> str:
    """Where Qt keeps its own translations (qt_zh_CN.qm): QLibraryInfo.path in Qt 6, location in Qt 5."""
    if QT_VERSION >= 0x060000:
        library_path = QLibraryInfo.LibraryPath
        return QLibraryInfo.path(library_path.TranslationsPath)
    return QLibraryInfo.location(QLibraryInfo.LibraryLocation.TranslationsPath)


def font_families(writing_system=None) -> list:
    """Installed font families, optionally only those for a QFontDatabase.WritingSystem."""
    database = QFontDatabase if QT_VERSION >= 0x060000 else QFontDatabase()
    if writing_system is None:
        return list(database.families())
    return list(database.families(writing_system))
