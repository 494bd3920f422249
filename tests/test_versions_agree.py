"""The qgis_process figures of the QGIS 3.22 and 3.40 suites are the same (run by `make test-versions`).

Each suite's test_qgis_process.py writes CITYCOMPONENTS_VERSIONS_DIR/qgis-<major.minor>.json;
CITYCOMPONENTS_EXPECT_VERSIONS names the versions that must all be there ("3.22 3.40"). A missing file
fails: a suite that did not run, or did not reach qgis_process, never passes as agreement.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.versions


def _records() -> dict:
    folder = os.environ.get("CITYCOMPONENTS_VERSIONS_DIR")
    expected = os.environ.get("CITYCOMPONENTS_EXPECT_VERSIONS", "").split()
    if not folder or len(expected) < 2:
        pytest.fail("Set CITYCOMPONENTS_VERSIONS_DIR and CITYCOMPONENTS_EXPECT_VERSIONS (make test-versions does)")
    missing = [v for v in expected if not (Path(folder) / f"qgis-{v}.json").is_file()]
    assert not missing, (f"no qgis_process results for QGIS {', '.join(missing)} in {folder}: "
                         "run `make test` (or that version's suite) first")
    return {v: json.loads((Path(folder) / f"qgis-{v}.json").read_text(encoding="utf-8")) for v in expected}


def _differences(a, b, path="") -> list:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}/{key}: only in {'the first' if key in a else 'the second'}")
            else:
                out += _differences(a[key], b[key], f"{path}/{key}")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def test_same_figures_on_every_version():
    records = _records()
    base, *others = records.values()
    for record in others:
        diff = _differences(base["figures"], record["figures"])
        assert not diff, f"QGIS {base['qgis']} and {record['qgis']} differ:\n" + "\n".join(diff[:40])


def test_the_wrapper_works_from_340_on():
    for version, record in _records().items():
        if tuple(int(p) for p in version.split(".")) >= (3, 40):
            assert record["wrapper_works"] and record["runner"] == "qgis_process", record["qgis"]
