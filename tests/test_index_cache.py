"""The index is built once and reused; layer changes invalidate it."""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsPointXY

from citycomponents_plugin.core.engine.index_cache import IndexCache
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.levels import Level

import district_fixtures as dfx


def _setup(tmp_path):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    inputs = DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                            committees=layers["社区居委会"])
    return layers, inputs


def test_reused_while_unchanged(tmp_path, qgis_app):
    _layers, inputs = _setup(tmp_path)
    cache = IndexCache()
    first = cache.get(inputs)
    assert cache.get(inputs) is first and cache.builds == 1


def test_filter_change_rebuilds(tmp_path, qgis_app):
    layers, inputs = _setup(tmp_path)
    cache = IndexCache()
    assert cache.get(inputs).components_read == len(dfx.COMPONENTS)
    layers["城市部件"].setSubsetString("\"名称\" = '路灯'")
    assert cache.cached() is None
    index = cache.get(inputs)
    assert index.components_read == 6 and cache.builds == 2


def test_edit_rebuilds_with_new_location(tmp_path, qgis_app):
    layers, inputs = _setup(tmp_path)
    cache = IndexCache()
    index = cache.get(inputs)
    g2 = index.find_region(Level.GRID, dfx.G2)
    assert dict(index.statistics(index.region_members(Level.GRID, g2))) == {"路灯": 1}
    comp = layers["城市部件"]
    fid = next(f.id() for f in comp.getFeatures() if f["标识码"] == "1101010101000001" and f["名称"] == "上水井盖")
    assert comp.startEditing()
    comp.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(dfx.X0 + 150, dfx.Y0 + 20)))
    assert cache.cached() is None  # unsaved edits count: the operator sees them on the map
    index = cache.get(inputs)
    g2 = index.find_region(Level.GRID, dfx.G2)
    assert dict(index.statistics(index.region_members(Level.GRID, g2))) == {"路灯": 1, "上水井盖": 1}
    comp.rollBack()


def test_field_choice_rebuilds(tmp_path, qgis_app):
    _layers, inputs = _setup(tmp_path)
    cache = IndexCache()
    cache.get(inputs)
    inputs.type_field = "所在单元网格"  # a (silly) different choice is a different index
    index = cache.get(inputs)
    assert cache.builds == 2 and dfx.G1 in index.type_names
