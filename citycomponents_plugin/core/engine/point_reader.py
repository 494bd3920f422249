"""Read point layers into numpy columns in the grid CRS, reading only the attributes needed.

The fast path reads OGR file sources (GeoPackage, shapefile...) through GDAL's Arrow interface
(one call per batch instead of one Python object per feature) and transforms all coordinates at
once with OSR. Other sources (memory layers, PostGIS, layers with unsaved edits) go through a
QgsFeatureIterator with the same result, so both paths are tested against each other.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine.read_checks import (
    MAX_EMPTY_BATCHES,
    check_complete,
    check_geometries,
    crs_label,
    expected_features,
    gdal_error,
    gdal_failure,
    reset_gdal_error,
)
from citycomponents_plugin.core.engine.text_columns import encode, value_text
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError

# Formats whose text is always UTF-8. Shapefiles are left to QGIS's iterator: their encoding
# (.cpg, layer setting, QGIS's process-wide SHAPE_ENCODING) is decided by QGIS, and the
# operator expects exactly the text the attribute table shows.
_UTF8_FORMATS = (".gpkg", ".sqlite", ".fgb", ".geojson", ".geojsonl", ".json", ".gdb")
_POINT_WKB = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


@dataclass
class PointColumns:
    """Columns of one point layer; text columns are raw UTF-8 bytes (b'' for NULL): see text_columns."""

    fids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    has_geometry: np.ndarray  # False for NULL or empty geometries
    attributes: dict = field(default_factory=dict)  # field name -> bytes array
    multipart: int = 0  # features whose geometry had several points (first one used)
    untransformable: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # row numbers
    read_error: str = ""  # GDAL's last error message after the read ('' when none)


def _raw_text(values: np.ndarray) -> np.ndarray:
    """A column as raw UTF-8 bytes (b'' for NULL), whatever form Arrow handed it over in.

    Numbers are written as value_text writes them (integral reals as digits), like the iterator path.
    """
    mask = np.ma.getmaskarray(values) if isinstance(values, np.ma.MaskedArray) else None
    data = values.data if mask is not None else values
    if data.dtype.kind == "S":
        out = data
    elif data.dtype.kind == "U":
        out = np.char.encode(data, "utf-8")
    elif data.dtype.kind in "iu":
        out = data.astype(str).astype(bytes)
    elif data.dtype.kind == "f":
        out = encode([value_text(v) for v in data.tolist()])
    else:
        out = encode([v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in data.tolist()])
    if mask is not None and mask.any():
        out = np.where(mask, b"", out)
    return out


def _parse_wkb(blobs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """x, y, valid mask and multipart count from an object array of WKB blobs (None for NULL)."""
    null = None  # rows known to be NULL (masked), whose length need not be asked
    if isinstance(blobs, np.ma.MaskedArray):  # masked arrays mask NULL geometries too
        mask = np.ma.getmaskarray(blobs)
        blobs = blobs.data
        if mask.any():
            blobs = blobs.astype(object)
            blobs[mask] = None
            null = mask
    n = len(blobs)
    if blobs.dtype.kind == "V":  # Arrow hands fixed-size binary columns over as raw records
        if blobs.dtype.itemsize == 21:
            rec = np.frombuffer(blobs.tobytes(), dtype=_POINT_WKB)
            if (rec["order"] == 1).all():
                x, y = rec["x"].copy(), rec["y"].copy()
                return x, y, np.isfinite(x) & np.isfinite(y), 0
        blobs = np.array([bytes(b) for b in blobs.tolist()], dtype=object)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    lengths = _blob_lengths(blobs, null)
    simple = lengths == 21
    if simple.any():
        rec = np.frombuffer(b"".join(blobs[simple].tolist()), dtype=_POINT_WKB)
        little = rec["order"] == 1
        xs = rec["x"].copy()
        ys = rec["y"].copy()
        if not little.all():  # big-endian blobs are rare: decode them one by one
            for j in np.nonzero(~little)[0]:
                xs[j], ys[j] = struct.unpack(">dd", bytes(rec[j:j + 1].tobytes())[5:21])
        x[simple] = xs
        y[simple] = ys
    multipart = 0
    for i in np.nonzero(~simple & (lengths > 0))[0]:
        pt, parts = _first_point(bytes(blobs[i]))
        if pt is not None:
            x[i], y[i] = pt
        multipart += parts > 1
    valid = np.isfinite(x) & np.isfinite(y)
    return x, y, valid, multipart


def _blob_lengths(blobs: np.ndarray, null: Optional[np.ndarray]) -> np.ndarray:
    """Length of each WKB blob, 0 for NULL (None).

    len() straight over the blobs: a Python generator per row costs as much as the rest of the
    parse; the masked (NULL) rows are left out first, so a layer with a few NULL geometries keeps
    the fast path.
    """
    n = len(blobs)
    if null is not None:
        lengths = np.zeros(n, dtype=np.int64)
        present = np.nonzero(~null)[0]
        lengths[present] = _blob_lengths(blobs[present], None)
        return lengths
    try:
        return np.fromiter(map(len, blobs), dtype=np.int64, count=n)
    except TypeError:  # a NULL (None) among them, unmasked
        return np.fromiter((0 if b is None else len(b) for b in blobs), dtype=np.int64, count=n)


def _first_point(blob: bytes) -> tuple[Optional[tuple[float, float]], int]:
    """First point of any WKB geometry (Z/M, multipoint...) and its number of parts."""
    from osgeo import ogr

    geom = ogr.CreateGeometryFromWkb(blob)
    if geom is None or geom.IsEmpty():
        return None, 0
    parts = geom.GetGeometryCount() if geom.GetGeometryCount() > 0 else 1
    first = geom.GetGeometryRef(0) if geom.GetGeometryCount() > 0 else geom
    while first is not None and first.GetGeometryCount() > 0:
        first = first.GetGeometryRef(0)
    if first is None or first.GetPointCount() == 0:
        return None, parts
    return (first.GetX(0), first.GetY(0)), parts


def _ogr_source(layer: QgsVectorLayer) -> Optional[dict]:
    """Path/layer name/subset of a file-based OGR layer without unsaved edits, else None."""
    if layer.providerType() != "ogr" or layer.isEditable() or layer.isModified():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path or parts.get("vsiPrefix") or not path.lower().endswith(_UTF8_FORMATS):
        return None
    return {"path": path, "layerName": parts.get("layerName"), "layerId": parts.get("layerId"),
            "subset": layer.subsetString() or parts.get("subset") or ""}


def _osr_from_qgis(crs: QgsCoordinateReferenceSystem):
    from osgeo import osr

    srs = osr.SpatialReference()
    try:
        if not crs.authid():
            raise ValueError("no authority id")
        srs.SetFromUserInput(crs.authid())
    except Exception:  # noqa: BLE001 - custom CRS: fall back to its WKT
        srs = osr.SpatialReference()
        srs.ImportFromWkt(crs.toWkt(compat.WKT_PREFERRED))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _transform_in_c(ct, pts: np.ndarray) -> Optional[np.ndarray]:
    """Transform all points in one OGR call (a LineString's vertices go to PROJ as one batch).

    Why: OSR's TransformPoints returns a Python tuple per point, which costs as much as PROJ
    itself. None when the batch fails (a point outside the CRS's domain).
    """
    from osgeo import gdal, ogr

    wkb = struct.pack("<BII", 1, 2, len(pts)) + np.ascontiguousarray(pts, dtype="<f8").tobytes()
    line = ogr.CreateGeometryFromWkb(wkb)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        failed = line.Transform(ct) != 0
    except RuntimeError:  # with GDAL exceptions on, a failed transform raises
        failed = True
    finally:
        gdal.PopErrorHandler()
    if failed:
        return None
    out = np.frombuffer(line.ExportToIsoWkb(ogr.wkbNDR), dtype="<f8", offset=9)
    out = out.reshape(len(pts), -1)[:, :2]
    return out if np.isfinite(out).all() else None


class _NoTransformError(Exception):
    """No coordinate operation exists between the two CRSs (an engineering CRS and a projected one)."""


def _transform_arrays(x: np.ndarray, y: np.ndarray, valid: np.ndarray, src: QgsCoordinateReferenceSystem,
                      dst: QgsCoordinateReferenceSystem) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """All valid points transformed at once with OSR; None if any point failed (callers then go point by point)."""
    if src == dst or not valid.any():
        return x, y
    from osgeo import osr

    try:
        # CreateCoordinateTransformation gives None where no operation exists (the constructor gives a
        # null object that only fails later, in Transform, with a SWIG TypeError).
        ct = osr.CreateCoordinateTransformation(_osr_from_qgis(src), _osr_from_qgis(dst))
    except RuntimeError:  # GDAL exceptions on: no operation between the two CRSs
        ct = None
    if ct is None:
        raise _NoTransformError()
    out = _transform_in_c(ct, np.column_stack([x[valid], y[valid]]))
    if out is None:
        return None
    x = x.copy()
    y = y.copy()
    x[valid] = out[:, 0]
    y[valid] = out[:, 1]
    return x, y


def _read_ogr(layer: QgsVectorLayer, src: dict, fields: Sequence[str], feedback) -> PointColumns:
    from osgeo import gdal

    reset_gdal_error()
    had_exceptions = gdal.GetUseExceptions()
    gdal.UseExceptions()
    try:
        return _read_ogr_stream(layer, gdal.OpenEx(src["path"], gdal.OF_VECTOR | gdal.OF_READONLY), src, fields,
                                feedback)
    finally:
        if not had_exceptions:  # GDAL's exception mode is process-wide: leave it as QGIS had it
            gdal.DontUseExceptions()


def _read_ogr_stream(layer: QgsVectorLayer, ds, src: dict, fields: Sequence[str], feedback) -> PointColumns:
    """The Arrow read proper (exceptions on): only the wanted fields, the subset filter applied."""
    if src["layerName"]:
        lyr = ds.GetLayerByName(src["layerName"])
    else:
        lyr = ds.GetLayer(int(src["layerId"] or 0))
    if lyr is None:
        raise CityComponentsError("source_unopenable", layer=layer.name(), source=src["path"])
    defn = lyr.GetLayerDefn()
    all_fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    lyr.SetIgnoredFields([f for f in all_fields if f not in fields])
    if src["subset"]:
        lyr.SetAttributeFilter(src["subset"])
    fid_batches, xs, ys, valids = [], [], [], []
    multipart = 0
    attr_batches: dict[str, list] = {f: [] for f in fields}
    fid_col = lyr.GetFIDColumn() or "OGC_FID"
    geom_col = lyr.GetGeometryColumn() or "wkb_geometry"
    stream = lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES"])
    empty_batches = 0
    for batch in stream:
        if feedback is not None and feedback.isCanceled():
            raise CancelledError("reading components")
        batch_fids = batch[fid_col] if fid_col in batch else batch.get("OGC_FID")
        if batch_fids is None or len(batch_fids) == 0:
            # After an SQLite error GDAL's stream yields empty batches for ever: stop; the count
            # check below turns the short read into an error (SPEC 4.5).
            empty_batches += 1
            if empty_batches >= MAX_EMPTY_BATCHES:
                break
            continue
        empty_batches = 0
        fid_batches.append(batch_fids)
        bx, by, bvalid, bmulti = _parse_wkb(batch[geom_col])  # per batch: no blob list for the whole layer
        xs.append(bx)
        ys.append(by)
        valids.append(bvalid)
        multipart += bmulti
        for f in fields:
            attr_batches[f].append(batch[f])
    read_error = gdal_error()  # before closing: the stream's SQLite error, if any
    del stream
    lyr = None
    ds = None
    if not fid_batches:
        empty = np.array([], dtype=bytes)
        return PointColumns(np.array([], dtype=np.int64), np.array([]), np.array([]), np.array([], dtype=bool),
                            {f: empty for f in fields}, read_error=read_error)
    fids = np.concatenate(fid_batches).astype(np.int64)
    x, y, valid = np.concatenate(xs), np.concatenate(ys), np.concatenate(valids)
    attrs = {f: _raw_text(np.ma.concatenate(attr_batches[f])) if attr_batches[f] else np.array([], dtype=bytes)
             for f in fields}
    return PointColumns(fids, x, y, valid, attrs, multipart, read_error=read_error)


def _read_iterator(layer: QgsVectorLayer, fields: Sequence[str], feedback) -> PointColumns:
    reset_gdal_error()
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes(list(fields), layer.fields())
    n = max(layer.featureCount(), 0)
    fids = np.empty(n, dtype=np.int64)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    values = {f: [] for f in fields}
    idx = [layer.fields().lookupField(f) for f in fields]
    multipart = 0
    i = 0
    for feat in layer.getFeatures(request):
        if i >= len(fids):  # featureCount() can be an estimate for some providers
            grow = max(1024, len(fids))
            fids = np.concatenate([fids, np.empty(grow, dtype=np.int64)])
            x = np.concatenate([x, np.full(grow, np.nan)])
            y = np.concatenate([y, np.full(grow, np.nan)])
        if i % 5000 == 0 and feedback is not None and feedback.isCanceled():
            raise CancelledError("reading components")
        fids[i] = feat.id()
        geom = feat.geometry()
        if not geom.isNull() and not geom.isEmpty():
            if QgsWkbTypes.isMultiType(geom.wkbType()):
                pts = geom.asMultiPoint()
                if len(pts) > 1:
                    multipart += 1
                if pts:
                    x[i], y[i] = pts[0].x(), pts[0].y()
            else:
                pt = geom.asPoint()
                x[i], y[i] = pt.x(), pt.y()
        attrs = feat.attributes()
        for f, j in zip(fields, idx):
            v = attrs[j]
            values[f].append(None if v is None or (hasattr(v, "isNull") and v.isNull()) else value_text(v))
        i += 1
    fids, x, y = fids[:i], x[:i], y[:i]
    valid = np.isfinite(x) & np.isfinite(y)
    return PointColumns(fids, x, y, valid, {f: encode(values[f]) for f in fields}, multipart)


def read_points(layer: QgsVectorLayer, fields: Sequence[str], target_crs: QgsCoordinateReferenceSystem,
                transform_context: Optional[QgsCoordinateTransformContext] = None, feedback=None,
                force_iterator: bool = False, parameter: str = "COMPONENTS",
                name: Optional[str] = None, reader: Optional[Callable] = None) -> PointColumns:
    """All features of `layer` (respecting its subset filter) as columns in `target_crs`.

    `reader(layer, fields, feedback)`: another source's columns as the iterator gives them, or None
    (the database engine's read, core/database/point_query.py); checked and transformed alike.

    A read that returns fewer features than the provider reports is an error (short_read): the
    layer is read whole or not at all (SPEC 4.5).
    """
    fields = [f for f in dict.fromkeys(f for f in fields if f)]
    expected = expected_features(layer)
    src = None if force_iterator else _ogr_source(layer)
    datum = datum_transform(layer, target_crs, transform_context)
    if datum:
        src = None  # the project chose a datum transformation: QGIS's transform applies it, OSR would not
    if src is not None:
        try:
            cols = _read_ogr(layer, src, fields, feedback)
        except CancelledError:
            raise
        except CityComponentsError:
            raise
        except RuntimeError as exc:  # a GDAL error (no Arrow support, damage): the iterator gives the same answer
            cols = _read_iterator(layer, fields, feedback)
            cols.read_error = cols.read_error or str(exc).strip()  # GDAL's words, when the iterator has none
            src = None
    else:
        cols = reader(layer, fields, feedback) if reader is not None else None
        if cols is None:
            cols = _read_iterator(layer, fields, feedback)
        elif not datum:
            src = {}  # columns in the layer's CRS: transformed in one batch, like the OGR read's
    check_complete(layer, name or layer.name(), len(cols.fids), expected, parameter, cols.read_error or gdal_error())
    check_geometries(layer, name or layer.name(), int(np.count_nonzero(~cols.has_geometry)), len(cols.fids),
                     parameter, cols.read_error or gdal_failure())
    transform_columns(cols, layer, target_crs, transform_context, src is not None, parameter, name)
    return cols


def transform_columns(cols: PointColumns, layer: QgsVectorLayer, target_crs: QgsCoordinateReferenceSystem,
                      transform_context: Optional[QgsCoordinateTransformContext], batch: bool,
                      parameter: str = "COMPONENTS", name: Optional[str] = None) -> None:
    """cols' points (in the layer's CRS) moved to target_crs in place; a point that cannot be
    transformed loses its geometry and is listed in cols.untransformable.

    batch: all at once with OSR (no datum transformation chosen in the project), else point by point
    with QGIS's transform. Also used for the few points the database path reads (database/district.py).
    """
    had_point = cols.has_geometry.copy()
    moved = None
    if batch:
        try:
            moved = _transform_arrays(cols.x, cols.y, cols.has_geometry, layer.crs(), target_crs)
        except _NoTransformError:
            raise CityComponentsError("crs_incompatible", parameter, layer=name or layer.name(),
                                      crs=crs_label(layer.crs()), grid_crs=crs_label(target_crs)) from None
    if moved is not None:
        cols.x, cols.y = moved
    elif layer.crs() != target_crs:
        cols.x, cols.y = _transform_iterated(cols, layer.crs(), target_crs, transform_context)
    cols.has_geometry = cols.has_geometry & np.isfinite(cols.x) & np.isfinite(cols.y)
    cols.untransformable = np.nonzero(had_point & ~cols.has_geometry)[0]


def datum_transform(layer: QgsVectorLayer, target_crs: QgsCoordinateReferenceSystem,
                    transform_context: Optional[QgsCoordinateTransformContext]) -> bool:
    """True where the project chose a datum transformation between the layer's CRS and target_crs (QGIS's
    transform must apply it; OSR would not)."""
    return transform_context is not None and layer.crs() != target_crs and \
        bool(transform_context.calculateCoordinateOperation(layer.crs(), target_crs))


def _transform_iterated(cols: PointColumns, src: QgsCoordinateReferenceSystem, dst: QgsCoordinateReferenceSystem,
                        context: Optional[QgsCoordinateTransformContext]) -> tuple[np.ndarray, np.ndarray]:
    """QGIS's own transform (honours the project's datum transformations); failures become NaN."""
    from qgis.core import QgsCsException, QgsPointXY

    ct = QgsCoordinateTransform(src, dst, context or QgsCoordinateTransformContext())
    xs, ys = cols.x.copy(), cols.y.copy()
    for i in np.nonzero(cols.has_geometry)[0]:
        try:
            p = ct.transform(QgsPointXY(xs[i], ys[i]))
            xs[i], ys[i] = p.x(), p.y()
        except QgsCsException:  # outside the CRS's domain: reported as untransformable, not fatal
            xs[i] = ys[i] = np.nan
    return xs, ys
