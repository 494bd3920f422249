"""Undefined and mislabelled CRSs on the hand-made district: an error that names the layer, or a warning
that names the CRSs and extents, never a silent zero (SPEC 4.6)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from osgeo import ogr

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import english

import district_fixtures as dfx


def _district(path: Path, **kw) -> dict:
    dfx.write_district(path, **kw)
    return dfx.load_layers(path)


def _set_srs_id(path: Path, table: str, srs_id: int) -> None:
    """What a tool that writes no CRS leaves in a GeoPackage: srs_id -1 (undefined Cartesian) or 0 (geographic)."""
    con = sqlite3.connect(path)
    con.execute("UPDATE gpkg_geometry_columns SET srs_id = ? WHERE table_name = ?", (srs_id, table))
    con.commit()
    con.close()


def _inputs(layers: dict) -> DistrictInputs:
    return DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]], committees=layers["社区居委会"])


@pytest.mark.parametrize("srs_id, crs_text", [(-1, "Undefined Cartesian SRS"), (0, "Undefined geographic SRS")])
@pytest.mark.parametrize("table, parameter", [("城市部件", "COMPONENTS"), ("单元网格", "GRIDS"),
                                              ("社区居委会", "COMMITTEES")])
def test_an_undefined_crs_is_an_error_that_says_how_to_set_it(tmp_path, qgis_app, srs_id, crs_text, table,
                                                                parameter):
    path = tmp_path / "d.gpkg"
    dfx.write_district(path)
    _set_srs_id(path, table, srs_id)
    with pytest.raises(CityComponentsError) as info:
        build_index(_inputs(dfx.load_layers(path)))
    err = info.value
    assert err.message.id == "layer_no_crs" and err.message.parameter == parameter
    assert err.message.values["layer"] == table
    # QGIS names the placeholder after the GeoPackage's srs_name (or has no CRS at all: "undefined").
    assert str(getattr(err.message.values["crs"], "text", err.message.values["crs"])).lower() in (
        crs_text.lower(), "undefined")
    assert "Layer Properties > Source > Assigned Coordinate Reference System" in str(err)
    assert "Assign projection" in str(err)


def test_components_far_from_the_grids_warn_with_crss_and_extents(tmp_path, qgis_app):
    """Components written in EPSG:4548 metres but labelled EPSG:4490 (degrees): every point lands far
    away. The run still counts every component (all unassigned) and says the CRSs are the likely cause."""
    path = tmp_path / "d.gpkg"
    dfx.write_district(path)
    con = sqlite3.connect(path)
    con.execute("INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id,"
                " definition) SELECT 'China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, "
                "'GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\",SPHEROID[\"CGCS2000\","
                "6378137,298.257222101]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],"
                "AUTHORITY[\"EPSG\",\"4490\"]]'")
    con.commit()
    con.close()
    _set_srs_id(path, "城市部件", 4490)
    layers = dfx.load_layers(path)
    assert layers["城市部件"].crs().authid() == "EPSG:4490"
    index = build_index(_inputs(layers))
    assert index.components_read == 13 and index.assigned == 0 and index.unassigned == 13  # lost: 0
    ids = [w.id for w in index.warnings]
    assert "few_in_grids" in ids
    warning = index.warnings[ids.index("few_in_grids")]
    assert warning.values["assigned"] == 0 and warning.values["located"] == 12  # one has no geometry
    text = english(warning)
    assert "EPSG:4548" in text and "'城市部件' (EPSG:4490;" in text
    assert "450000.00,4420000.00 : 450300.00,4420200.00" in text  # the grids' extent


def test_most_components_in_the_grids_give_no_crs_warning(tmp_path, qgis_app):
    index = build_index(_inputs(_district(tmp_path / "d.gpkg")))
    assert index.assigned == 11 and "few_in_grids" not in [w.id for w in index.warnings]


def test_a_local_crs_that_cannot_be_transformed_is_an_error(tmp_path, qgis_app):
    """A defined engineering CRS (a local survey grid) cannot be compared with the grids' EPSG:4548."""
    path = tmp_path / "d.gpkg"
    dfx.write_district(path)
    ds = ogr.Open(str(path), 1)
    ds.ExecuteSQL("INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, "
                  "definition) VALUES ('Site grid', 990001, 'LOCAL', 990001, 'LOCAL_CS[\"Site grid\","
                  "UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]]')")
    ds = None
    _set_srs_id(path, "城市部件", 990001)
    layers = dfx.load_layers(path)
    assert layers["城市部件"].crs().isValid()
    with pytest.raises(CityComponentsError) as info:
        build_index(_inputs(layers))
    assert info.value.message.id == "crs_incompatible" and info.value.message.parameter == "COMPONENTS"
    assert info.value.message.values["grid_crs"] == "EPSG:4548"


def test_degrees_labelled_as_metres_warn_too(tmp_path, qgis_app):
    """Components in EPSG:4490 degrees whose file says EPSG:4548: they transform, but land near (116, 39) m."""
    path = tmp_path / "d.gpkg"
    dfx.write_district(path, component_epsg=4490)
    _set_srs_id(path, "城市部件", 4548)
    index = build_index(_inputs(dfx.load_layers(path)))
    assert index.components_read == 13 and index.assigned == 0 and len(index.report.untransformable) == 0
    warning = next(w for w in index.warnings if w.id == "few_in_grids")
    assert warning.values["located"] == 12 and warning.values["share"] == "0.0%"
    assert "'城市部件' (EPSG:4548; 116." in english(warning)
