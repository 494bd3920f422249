"""Damaged files made on the fly from the sample: read whole or stopped with the exact message, never a partial count.

The sample at SCALE=0.1 has 16,834 components, 1,593 grids and 126 committees; the damage is a few KB of
garbage written over the page that holds a real feature half-way through a table (see damage.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from osgeo import gdal
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.engine.point_reader import read_points
from citycomponents_plugin.core.errors import CityComponentsError
from tests.faults.damage import damage_gpkg, truncate_file

COMPONENTS = 16834
GRIDS = 1593


def _layer(path: Path, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid()
    return layer


def _inputs(path: Path, components=None, grids_from: Path = None) -> DistrictInputs:
    base = grids_from or path
    return DistrictInputs(grids=_layer(path if grids_from is None else base, "单元网格"),
                          components=components or [_layer(path, "城市部件")],
                          committees=_layer(base, "社区居委会"), streets=_layer(base, "街道办事处"),
                          supervisors=_layer(base, "监督员责任区"))


def _error(inputs: DistrictInputs) -> CityComponentsError:
    with pytest.raises(CityComponentsError) as info:
        build_index(inputs)
    return info.value


def test_the_clean_sample_reads_whole(sample_gpkg, qgis_app):
    index = build_index(_inputs(sample_gpkg))
    assert index.components_read == COMPONENTS and len(index.grids) == GRIDS
    assert index.assigned + index.unassigned == COMPONENTS
    assert index.warnings == []


@pytest.mark.parametrize("table, parameter, expected", [
    ("城市部件", "COMPONENTS", COMPONENTS), ("单元网格", "GRIDS", GRIDS), ("社区居委会", "COMMITTEES", 126)])
def test_garbage_in_a_gpkg_page_is_a_short_read_not_a_partial_answer(sample_gpkg, tmp_path, qgis_app, table,
                                                                       parameter, expected):
    damaged = tmp_path / "damaged.gpkg"
    damage_gpkg(sample_gpkg, damaged, table)
    err = _error(_inputs(damaged))
    assert err.message.id == "short_read" and err.message.parameter == parameter
    values = err.message.values
    assert values["layer"] == table and values["expected"] == expected
    assert 0 < values["read"] < expected  # stopped at the damage, half-way through
    assert "malformed" in str(values["reason"])  # GDAL's own words
    assert "ogrinfo" in str(err) and str(damaged) in str(err)


def test_the_arrow_stream_and_the_iterator_both_stop_at_the_damage(sample_gpkg, tmp_path, qgis_app):
    """The Arrow stream yields empty batches for ever after the SQLite error: the loop must end, and
    the fallback iterator (which just ends early) must fail the same way."""
    damaged = tmp_path / "damaged.gpkg"
    damage_gpkg(sample_gpkg, damaged, "城市部件")
    layer = _layer(damaged, "城市部件")
    grids_crs = _layer(sample_gpkg, "单元网格").crs()
    reads = []
    for force_iterator in (False, True):
        with pytest.raises(CityComponentsError) as info:
            read_points(layer, ["标识码"], grids_crs, force_iterator=force_iterator, name="城市部件")
        assert info.value.message.id == "short_read"
        reads.append(info.value.message.values["read"])
    assert reads[0] == reads[1]  # both read exactly the features before the damaged page


def _shapefile(sample_gpkg: Path, folder: Path) -> Path:
    folder.mkdir()
    shp = folder / "部件.shp"
    gdal.VectorTranslate(str(shp), str(sample_gpkg), layers=["城市部件"], layerCreationOptions=["ENCODING=UTF-8"])
    return shp


def test_a_shapefile_copy_reads_whole(sample_gpkg, tmp_path, qgis_app):
    shp = _shapefile(sample_gpkg, tmp_path / "ok")
    index = build_index(_inputs(sample_gpkg, [QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert index.components_read == COMPONENTS and index.assigned == 16824


def test_a_truncated_shp_is_unreadable_geometries_not_null_ones(sample_gpkg, tmp_path, qgis_app):
    shp = _shapefile(sample_gpkg, tmp_path / "cut")
    truncate_file(shp, 0.5)
    err = _error(_inputs(sample_gpkg, [QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert err.message.id == "geometries_unreadable" and err.message.parameter == "COMPONENTS"
    values = err.message.values
    assert values["read"] == COMPONENTS and COMPONENTS * 0.4 < values["count"] < COMPONENTS * 0.6
    assert ".shp" in str(values["reason"])


def test_a_truncated_dbf_is_a_short_read(sample_gpkg, tmp_path, qgis_app):
    shp = _shapefile(sample_gpkg, tmp_path / "cutdbf")
    truncate_file(shp.with_suffix(".dbf"), 0.5)
    err = _error(_inputs(sample_gpkg, [QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert err.message.id == "short_read" and err.message.values["expected"] == COMPONENTS
    assert err.message.values["read"] < COMPONENTS * 0.6


def test_a_missing_dbf_says_so(sample_gpkg, tmp_path, qgis_app):
    shp = _shapefile(sample_gpkg, tmp_path / "nodbf")
    os.unlink(shp.with_suffix(".dbf"))
    err = _error(_inputs(sample_gpkg, [QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert err.message.id == "dbf_missing" and err.message.parameter == "COMPONENTS"
    assert err.message.values["dbf"] == str(shp.with_suffix(".dbf"))


def test_a_missing_shx_is_an_unreadable_layer(sample_gpkg, tmp_path, qgis_app):
    shp = _shapefile(sample_gpkg, tmp_path / "noshx")
    os.unlink(shp.with_suffix(".shx"))
    err = _error(_inputs(sample_gpkg, [QgsVectorLayer(str(shp), "部件", "ogr")]))
    assert err.message.id == "layer_unreadable" and err.message.parameter == "COMPONENTS"


def test_damage_outside_the_tables_read_changes_nothing(sample_gpkg, tmp_path, qgis_app):
    """Garbage in the 门址 table (not read by a components run): the run reads every component."""
    damaged = tmp_path / "other.gpkg"
    damage_gpkg(sample_gpkg, damaged, "门址")
    index = build_index(_inputs(damaged))
    assert index.components_read == COMPONENTS and index.assigned == 16824


def test_the_damage_helper_hits_feature_data(sample_gpkg, tmp_path):
    damaged = tmp_path / "d.gpkg"
    offset = damage_gpkg(sample_gpkg, damaged, "城市部件")
    assert offset % 4096 == 0 and 0 < offset < damaged.stat().st_size
    assert damaged.read_bytes()[offset:offset + 8192] != sample_gpkg.read_bytes()[offset:offset + 8192]
    shutil.copyfile(sample_gpkg, tmp_path / "same.gpkg")
    assert (tmp_path / "same.gpkg").read_bytes() == sample_gpkg.read_bytes()  # the source is never touched


def test_deleted_dbf_records_are_not_a_short_read(sample_gpkg, tmp_path, qgis_app):
    """A DBF record flagged deleted ('*', left by tools that do not pack) is counted by GDAL but never read:
    not damage. 16,833 components read, none missing."""
    import struct

    shp = _shapefile(sample_gpkg, tmp_path / "deleted")
    with open(shp.with_suffix(".dbf"), "r+b") as fh:
        _records, header_len, record_len = struct.unpack("<IHH", fh.read(12)[4:12])
        fh.seek(header_len + 5 * record_len)
        fh.write(b"*")
    layer = QgsVectorLayer(str(shp), "部件", "ogr")
    assert layer.featureCount() == COMPONENTS
    index = build_index(_inputs(sample_gpkg, [layer]))
    assert index.components_read == COMPONENTS - 1


@pytest.mark.parametrize("table, parameter", [("社区居委会", "COMMITTEES"), ("单元网格", "GRIDS")])
def test_a_background_run_copy_of_a_damaged_project_layer_is_a_short_read(sample_gpkg, tmp_path, qgis_app,
                                                                          qgis_new_project, table, parameter):
    """The panel and Processing's background runs read memory copies of the project's region layers: a
    copy made from a damaged file must fail like a direct read, not become a complete-looking short layer."""
    from qgis.core import QgsProject

    from citycomponents_plugin.core.engine.layer_copies import copied_inputs

    damaged = tmp_path / "damaged.gpkg"
    damage_gpkg(sample_gpkg, damaged, table)
    inputs = _inputs(damaged)
    project = QgsProject.instance()
    project.addMapLayers([inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components],
                         False)
    try:
        with pytest.raises(CityComponentsError) as info:
            copied_inputs(inputs, project)
        assert info.value.message.id == "short_read" and info.value.message.parameter == parameter
        assert info.value.message.values["layer"] == table
    finally:
        project.removeAllMapLayers()


def test_copies_of_clean_project_layers_name_their_files(sample_gpkg, qgis_app, qgis_new_project):
    from qgis.core import QgsProject

    from citycomponents_plugin.core.engine.layer_copies import copied_inputs, origin, original_sources, restore_sources

    inputs = _inputs(sample_gpkg)
    project = QgsProject.instance()
    project.addMapLayers([inputs.grids, inputs.committees, inputs.streets, inputs.supervisors, *inputs.components],
                         False)
    try:
        copies = copied_inputs(inputs, project)
        assert copies.committees.providerType() == "memory" and copies.committees.featureCount() == 126
        assert origin(copies.committees) == ("ogr", inputs.committees.source())
        index = build_index(copies)
        restore_sources(index, original_sources(copies))
        assert index.grid_source == inputs.grids.source() and index.components_read == COMPONENTS
    finally:
        project.removeAllMapLayers()
