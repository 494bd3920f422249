"""The sample's two editions: the comparison finds exactly the changes the generator recorded.

The generator (sample/next_edition.py) writes its answer key 样例变更 from what it did (which
components it deleted, retired, moved, changed or added, and in which grid); the comparison reads
only the two GeoPackages. Per class and per region at all four levels they must agree; a region's
expected counts come from the key's grids (原网格 for removals, 新网格 otherwise).
"""

from __future__ import annotations

from collections import Counter

import pytest

from citycomponents_plugin.core.editions.compare import CLASS_NAMES, compare_editions, level_rows
from citycomponents_plugin.core.editions.edition import edition_from_index
from citycomponents_plugin.core.editions.outputs import change_record, change_rows, district_regions
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.levels import Level

KEY_CLASS = {"新增": "added", "删除": "removed", "移位": "moved", "变更": "changed"}


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory, qgis_app):
    from citycomponents_plugin.sample.district import generate_sample_district
    from citycomponents_plugin.sample.next_edition import generate_next_edition, read_change_key

    folder = tmp_path_factory.mktemp("editions")
    first, second = folder / "first.gpkg", folder / "second.gpkg"
    generate_sample_district(str(first), scale=0.05, seed=20130701)
    summary = generate_next_edition(str(first), str(second), seed=7, change_rate=0.05)
    return first, second, summary, read_change_key(str(second))


def _index(path):
    from qgis.core import QgsVectorLayer

    def layer(name):
        return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")

    comps = layer("城市部件")
    inputs = DistrictInputs(grids=layer("单元网格"), components=[comps], committees=layer("社区居委会"),
                            streets=layer("街道办事处"), supervisors=layer("监督员责任区"))
    return build_index(inputs), comps


def test_generator_changes_every_class(two_editions):
    _first, _second, summary, key = two_editions
    counts = Counter(row["类别"] for row in key)
    assert set(counts) == {"新增", "删除", "移位", "变更"} and all(counts.values())
    assert summary["retired"] > 0
    assert len({row["标识码"] for row in key}) == len(key)  # one change per component


def test_comparison_finds_exactly_the_recorded_changes(two_editions):
    first, second, _summary, key = two_editions
    early_index, early_layer = _index(first)
    late_index, late_layer = _index(second)
    cmp = compare_editions(edition_from_index(early_index, [early_layer]), edition_from_index(late_index, [late_layer]))
    found = {}
    for row in change_rows(cmp):
        rec = change_record(cmp, row)
        assert rec["id"] not in found, rec["id"]
        found[rec["id"]] = rec
    expected = {row["标识码"]: row for row in key}
    assert {i: r["class"] for i, r in found.items()} == {i: KEY_CLASS[r["类别"]] for i, r in expected.items()}
    for ident, row in expected.items():
        rec = found[ident]
        assert (rec["grid_before"] or "") == row["原网格"], ident
        assert (rec["grid_after"] or "") == row["新网格"] or rec["class"] == "removed", ident
        if row["变更属性"]:
            assert sorted(rec["attributes"]) == sorted(row["变更属性"].split("、")), ident
    counts = cmp.counts()
    assert counts["unchanged"] == early_index.components_read - counts["removed"] - counts["moved"] - \
        counts["changed"]

    # Per region at all four levels: the key's grids, placed in their regions.
    regions = district_regions(late_index)
    grid_no = {g.key: g.index for g in late_index.grids}
    for level in (Level.GRID, Level.COMMITTEE, Level.STREET, Level.SUPERVISOR):
        table = late_index.grid_region(level)
        names = [r.key for r in late_index.regions(level)]
        want: dict = {}
        for row in key:
            grid = row["原网格"] if row["类别"] == "删除" else row["新网格"]
            reg = table[grid_no[grid]]
            region = names[reg] if reg >= 0 else ""
            want.setdefault(region, Counter())[KEY_CLASS[row["类别"]]] += 1
        got = {k: Counter({c: n for c, n in zip(CLASS_NAMES[:4], counts[:4]) if n})
               for k, _name, _code, counts, _t in level_rows(cmp, level, regions[level]) if sum(counts[:4])}
        assert got == want, level


def test_generatesample_writes_the_next_census(two_editions, tmp_path, provider):
    import processing

    first, _second, _summary, key = two_editions
    out = tmp_path / "again.gpkg"
    res = processing.run("citycomponents:generatesample", {"PREVIOUS_SAMPLE": str(first), "SEED": 7,
                                                            "CHANGE_RATE": 0.05, "OUTPUT": str(out)})
    from citycomponents_plugin.sample.next_edition import read_change_key

    assert read_change_key(res["OUTPUT"]) == key  # same seed and rate, same changes
