"""The audit against the sample's answer key (样例数据问题): precision and recall 1.0 per category.

The generator knows every piece of dirt it planted and which audit check must report it
(AUDIT_CHECK_OF_KIND); every other check must report nothing, because the generator keeps every
other point 0.5 m inside its grid and every boundary offset far below the audit's thresholds.
"""

from __future__ import annotations

import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.audit.checks import CHECKS, COMPONENT
from citycomponents_plugin.core.audit.run import run_audit
from citycomponents_plugin.core.codes import load_profiles
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.sample.district import AUDIT_CHECK_OF_KIND, ISSUE_TABLE


def planted_and_found(sample_path: str, audit) -> dict:
    """check id -> (planted keys, found keys); a component is its fid, a duplicate its 标识码."""
    ds = ogr.Open(sample_path)
    rows = [dict(f.items()) for f in ds.GetLayerByName(ISSUE_TABLE)]
    ds = None
    table = {c.id: (set(), set()) for c in CHECKS}
    for row in rows:
        check = AUDIT_CHECK_OF_KIND[row["问题"]]
        if check is not None:
            table[check][0].add(row["标识码"] if check == "duplicate_id" else row["fid"])
    for result in audit.checks:
        found = table[result.check.id][1]
        for item in result.items:
            if result.check.id == "duplicate_id":
                found.add(item["id"])
            else:
                found.add(item["fid"] if result.check.scope == COMPONENT else item["key"])
    return table


@pytest.fixture(scope="module")
def sample_audit(sample_gpkg):
    names = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")
    layers = {n: QgsVectorLayer(f"{sample_gpkg}|layername={n}", n, "ogr") for n in names}
    inputs = DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                            committees=layers["社区居委会"], streets=layers["街道办事处"],
                            supervisors=layers["监督员责任区"])
    profiles = load_profiles()
    return run_audit(inputs, profiles.ids[0], profiles.grids[0])


def test_every_planted_problem_is_found_and_nothing_else(sample_gpkg, sample_audit):
    table = planted_and_found(str(sample_gpkg), sample_audit)
    assert sum(len(p) for p, _ in table.values()) >= 30  # 3 + 2 + 5 + 10 + 5 + 2 + 3 at SCALE 0.1
    for check, (planted, found) in table.items():
        assert found == planted, check  # precision and recall 1.0, also where nothing was planted
    assert {c for c, (p, _) in table.items() if p} == {v for v in AUDIT_CHECK_OF_KIND.values() if v}


def test_duplicates_list_both_copies(sample_audit):
    items = sample_audit.by_id("duplicate_id").items
    assert len(items) == 2 and all(i["count"] == 2 for i in items)
