"""Checks on what a layer gives: a complete read (SPEC 4.5) and a defined CRS (SPEC 4.6).

Why: a damaged file does not fail loudly. GDAL logs an SQLite error and its Arrow stream keeps
yielding empty batches, QGIS's iterator just ends early; either way a partial count would be
reported as the answer. And a GeoPackage with srs_id -1 or 0 opens with a "valid" CRS named
"Undefined Cartesian/geographic SRS" that transforms to nothing.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

from citycomponents_plugin.core.engine.dbf_encoding import deleted_records
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import Term

# Arrow batches that may come back empty in a row before a stream is taken as stuck (GDAL never
# yields an empty batch in a healthy stream; one is tolerated in case a driver ends with one).
MAX_EMPTY_BATCHES = 2


def expected_features(layer: QgsVectorLayer) -> Optional[int]:
    """The feature count the provider reports, or None where it is only an estimate."""
    provider = layer.dataProvider()
    if provider is None:
        return None
    try:
        if provider.uri().useEstimatedMetadata():  # PostGIS with estimated metadata: pg_class.reltuples
            return None
    except AttributeError:  # providers without a datasource URI
        pass
    count = layer.featureCount()
    if count is None or count < 0:
        return None
    if not layer.subsetString() and not layer.isModified():
        count -= deleted_records(layer)  # a shapefile's deleted DBF records: counted by GDAL, never read
    return int(count)


def gdal_error() -> str:
    """GDAL's last error message in this thread ('' when none)."""
    from osgeo import gdal

    return (gdal.GetLastErrorMsg() or "").strip()


def gdal_failure() -> str:
    """GDAL's last error message when it was a failure (not a warning), else ''."""
    from osgeo import gdal

    return gdal_error() if gdal.GetLastErrorType() >= gdal.CE_Failure else ""


def check_geometries(layer: QgsVectorLayer, name: str, without_geometry: int, read: int, parameter: str,
                     reason: str) -> None:
    """Raise geometries_unreadable when GDAL failed while reading and features came back without geometry:
    a truncated .shp gives every feature past the cut a NULL geometry, which is damage, not data."""
    if reason and without_geometry:
        raise CityComponentsError("geometries_unreadable", parameter, layer=name, count=without_geometry,
                                  read=read, reason=reason, source=source_path(layer))


def reset_gdal_error() -> None:
    from osgeo import gdal

    gdal.ErrorReset()


def check_complete(layer: QgsVectorLayer, name: str, read: int, expected: Optional[int], parameter: str,
                   reason: str = "") -> None:
    """Raise short_read when fewer features came back than the provider holds."""
    if expected is None or read >= expected:
        return
    raise CityComponentsError("short_read", parameter, layer=name, read=read, expected=expected,
                              reason=reason or gdal_error() or Term("GDAL reported no error"),
                              source=source_path(layer))


def source_path(layer: QgsVectorLayer) -> str:
    """The file behind a layer (its source without the |layername=... part)."""
    return layer.source().split("|", 1)[0]


def crs_undefined(crs: QgsCoordinateReferenceSystem) -> bool:
    """True for a missing CRS and for the placeholders GeoPackage srs_id -1 and 0 open as."""
    if not crs.isValid():
        return True
    if crs.authid():
        return False
    return crs.description().strip().lower().startswith("undefined")


def crs_label(crs: QgsCoordinateReferenceSystem) -> object:
    """How a message names a CRS: its authority id, else its description, else 'undefined'."""
    if crs.isValid() and crs.authid():
        return crs.authid()
    if crs.isValid() and crs.description():
        return crs.description()
    return Term("undefined")


def check_crs(layer: QgsVectorLayer, name: str, parameter: str) -> None:
    """A layer whose CRS is undefined is an error naming it and how to set it (never a silent zero)."""
    if crs_undefined(layer.crs()):
        raise CityComponentsError("layer_no_crs", parameter, layer=name, crs=crs_label(layer.crs()))
