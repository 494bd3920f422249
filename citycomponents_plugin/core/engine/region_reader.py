"""Read the polygon layers (grids and upper levels) into keyed regions in the grid CRS."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.database.connection import database_problem, unreadable_layer_error
from citycomponents_plugin.core.database.credentials import redact_source
from citycomponents_plugin.core.engine.read_checks import (
    check_complete,
    check_crs,
    expected_features,
    gdal_error,
    reset_gdal_error,
)
from citycomponents_plugin.core.engine.text_columns import value_text
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import term

NAME_FIELD_PARAMETERS = {"grid": "GRID_CODE_FIELD", "committee": "COMMITTEE_NAME_FIELD",
                         "street": "STREET_NAME_FIELD", "supervisor": "SUPERVISOR_NAME_FIELD"}


@dataclass
class Region:
    """One region of a level: `key` names its files (grid code for grids, else the name)."""

    index: int
    key: str
    name: str
    fid: int
    person: str = ""  # the supervisor's name, where the layer has one
    code: str = ""
    pseudo: bool = False  # the level's (不属于任何<level>) region of grids no region covers (SPEC 4.4)


@dataclass
class RegionLayer:
    """Regions of one polygon layer, their geometries in the grid CRS, and what was repaired."""

    layer_name: str
    source: str
    key_field: str
    regions: list
    geometries: list
    repaired: list = field(default_factory=list)  # (fid, key) of invalid polygons made valid
    null_geometries: list = field(default_factory=list)  # (fid, key)
    duplicate_keys: dict = field(default_factory=dict)  # key -> fids, first kept (tolerant reads only)
    empty_keys: list = field(default_factory=list)  # fids without a key (tolerant reads only)


def layer_label(layer: QgsVectorLayer) -> str:
    """The name an operator knows a layer by.

    QGIS's layer name, except for a layer opened from a path (Processing, qgis_process), which
    QGIS names after the file ("dongcheng"): then the table inside it ("监督员责任区"). It names
    layers in messages and outputs, and is the type name of a layer without a type field.
    """
    name = layer.name()
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    inner, path = parts.get("layerName"), parts.get("path")
    if inner and path and name == os.path.splitext(os.path.basename(path))[0]:
        return inner
    return name


def check_polygon_layer(layer: Optional[QgsVectorLayer], parameter: str, role: str) -> QgsVectorLayer:
    """A usable polygon layer or an error that says what is wrong and how to fix it."""
    if layer is None:
        raise CityComponentsError("layer_missing", parameter, role=term(role))
    if not layer.isValid():
        raise unreadable_layer_error(layer, parameter) or CityComponentsError(
            "layer_unreadable", parameter, layer=layer_label(layer), source=redact_source(layer.source()))
    if layer.geometryType() != compat.POLYGON_GEOMETRY:
        kind = QgsWkbTypes.geometryDisplayString(layer.geometryType())
        raise CityComponentsError("layer_not_polygon", parameter, layer=layer_label(layer), geometry=kind,
                                  role=term(role))
    check_crs(layer, layer_label(layer), parameter)
    if layer.featureCount() == 0:  # a database that went away looks empty to QGIS: say which it is
        raise database_problem(layer, parameter) or CityComponentsError("layer_empty", parameter,
                                                                        layer=layer_label(layer))
    return layer


def _text(value: object) -> str:
    """A key, name or code as stripped text ('' for NULL); whole numbers from number fields as digits."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return ""
    return value_text(value).strip()


def read_regions(layer: QgsVectorLayer, key_field: str, target_crs: QgsCoordinateReferenceSystem,
                 context: Optional[QgsCoordinateTransformContext], *, parameter: str, role: str,
                 person_field: Optional[str] = None, code_field: Optional[str] = None,
                 layer_parameter: str = "", tolerant: bool = False) -> RegionLayer:
    """Regions keyed by `key_field`; duplicate or empty keys are errors (they would merge regions).

    Number fields read as digits (value_text); a read that ends before the provider's count is an
    error (short_read, SPEC 4.5) naming `layer_parameter`. `tolerant` (the audit, which reports
    them): the first feature of a key is kept and the others, like the features without a key, are
    listed in the result instead of raising.
    """
    ct = None
    if layer.crs() != target_crs:
        ct = QgsCoordinateTransform(layer.crs(), target_crs, context or QgsCoordinateTransformContext())
    wanted = [f for f in (key_field, person_field, code_field) if f]
    request = QgsFeatureRequest().setSubsetOfAttributes(wanted, layer.fields())
    regions, geoms, repaired, nulls = [], [], [], []
    seen: dict = {}
    empty_keys = []
    expected = expected_features(layer)
    read = 0
    reset_gdal_error()
    for feat in layer.getFeatures(request):
        read += 1
        raw = feat[key_field]
        key = _text(raw)
        if not key:
            empty_keys.append(feat.id())
            continue
        if key in seen:
            seen[key].append(feat.id())
            continue
        seen[key] = [feat.id()]
        geom = QgsGeometry(feat.geometry())
        if geom.isNull() or geom.isEmpty():
            nulls.append((feat.id(), key))
            geom = None
        else:
            if ct is not None:
                try:
                    geom.transform(ct)
                except Exception as exc:  # noqa: BLE001 - QgsCsException
                    raise CityComponentsError("region_untransformable", layer=layer_label(layer), fid=feat.id(),
                                              key=key, crs=target_crs.authid(), reason=str(exc)) from exc
            if not geom.isGeosValid():
                fixed = geom.makeValid()
                if fixed.type() != compat.POLYGON_GEOMETRY:  # collections: keep the polygon parts
                    fixed = QgsGeometry.collectGeometry([g for g in fixed.asGeometryCollection()
                                                         if g.type() == compat.POLYGON_GEOMETRY])
                repaired.append((feat.id(), key))
                geom = fixed
        person = ""
        if person_field:
            person = _text(feat[person_field])
        code = ""
        if code_field:
            code = _text(feat[code_field])
        regions.append(Region(len(regions), key, key, feat.id(), person, code))
        geoms.append(geom)
    check_complete(layer, layer_label(layer), read, expected, layer_parameter or parameter, gdal_error())
    dups = {k: v for k, v in seen.items() if len(v) > 1}
    if tolerant:
        return RegionLayer(layer_label(layer), layer.source(), key_field, regions, geoms, repaired, nulls, dups,
                           empty_keys)
    if empty_keys:
        raise CityComponentsError("empty_region_keys", parameter, layer=layer_label(layer), count=len(empty_keys),
                                  role=term(role), field=key_field, fids=", ".join(map(str, empty_keys[:10])))
    if dups:
        sample = "; ".join(f"'{k}' (feature ids {', '.join(map(str, v[:5]))})" for k, v in list(dups.items())[:5])
        raise CityComponentsError("duplicate_region_keys", parameter, layer=layer_label(layer), count=len(dups),
                                  field=key_field, role=term(role), examples=sample)
    return RegionLayer(layer_label(layer), layer.source(), key_field, regions, geoms, repaired, nulls)
