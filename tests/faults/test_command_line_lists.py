"""Parameters that take several names, through the real qgis_process.bin: `NAME=a,b` and `NAME=a NAME=b` mean
the same, and an unknown name is an error naming the value and the close matches, never "all"."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from osgeo import ogr

import district_fixtures as dfx
from .test_interrupted_runs import SAFETY_BOUND, Runner

SECOND_LAYER = [("1101010118007001", "路灯", 20, 20, dfx.G1), ("1101010118007002", "路灯", 220, 150, dfx.G6),
                ("1101010101007003", "上水井盖", 20, 30, dfx.G1)]


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    if shutil.which("qgis_process.bin") is None and shutil.which("qgis_process") is None:
        pytest.skip("needs qgis_process")
    return Runner(tmp_path_factory.mktemp("profile"))


@pytest.fixture(scope="module")
def district(tmp_path_factory, qgis_app) -> Path:
    """The hand-made district plus a second component layer 城市部件2 (three components)."""
    path = dfx.write_district(tmp_path_factory.mktemp("district") / "d.gpkg")
    ds = ogr.Open(str(path), 1)
    dfx.write_components(ds, "城市部件2", 4548, SECOND_LAYER)
    ds = None
    return path


def _run(runner: Runner, algorithm: str, *params: str) -> tuple:
    proc = subprocess.run([runner.command, "run", algorithm, "--", *params], env=runner.env, capture_output=True,
                          text=True, timeout=SAFETY_BOUND)
    return proc.returncode, proc.stdout + proc.stderr


def _layers(path: Path, components: list) -> list:
    return [f"GRIDS={path}|layername=单元网格", f"SUPERVISORS={path}|layername=监督员责任区", *components]


def _export(runner, district, folder, *lists) -> dict:
    code, out = _run(runner, "citycomponents:batchexport", *lists, f"OUTPUT_FOLDER={folder}",
                     f"GRIDS={district}|layername=单元网格", f"SUPERVISORS={district}|layername=监督员责任区")
    assert code == 0, out[-3000:]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_repeated_and_comma_lists_mean_the_same(runner, district, tmp_path):
    repeated = _export(runner, district, tmp_path / "repeated",
                       f"COMPONENTS={district}|layername=城市部件", f"COMPONENTS={district}|layername=城市部件2",
                       "LEVELS=1", "LEVELS=3", "FORMATS=1", "FORMATS=2", "TYPES=路灯", "TYPES=污水井盖")
    comma = _export(runner, district, tmp_path / "comma",
                    f"COMPONENTS={district}|layername=城市部件,{district}|layername=城市部件2",
                    "LEVELS=supervisor,grid", "FORMATS=txt,2", "TYPES=路灯,污水井盖")
    assert repeated["components_read"] == comma["components_read"] == 13 + 3
    for m in (repeated, comma):
        assert [lvl for lvl, entries in m["levels"].items() if entries] == ["grid", "supervisor"]
        types = {t for e in m["levels"]["supervisor"] for t in e["by_type"]}
        assert types == {"路灯", "污水井盖"}
        first = m["levels"]["supervisor"][0]
        assert [f.rsplit(".", 1)[1] for f in first["files"]] == ["txt", "txt", "csv"]  # no xlsx: FORMATS=1,2
    # 甲乙区 by hand: 路灯 in G2, G1 (vertex), G4 twice (one is '=1+2') and 城市部件2's in G1 (its other one is
    # in G6, 丙北); 污水井盖: the one on the G4|G6 edge -> G4.
    assert {e["key"]: e["by_type"] for e in repeated["levels"]["supervisor"]} == \
        {e["key"]: e["by_type"] for e in comma["levels"]["supervisor"]}
    assert repeated["levels"]["supervisor"][2]["key"] == "甲乙区"
    assert {e["key"]: e["by_type"] for e in repeated["levels"]["supervisor"][:2]} == {"丙北": {"路灯": 3},
                                                                                   "丙南": {"污水井盖": 1}}
    assert repeated["levels"]["supervisor"][2]["by_type"] == {"路灯": 5, "污水井盖": 1}


def test_repeated_supervisor_areas_make_exactly_those_booklets(runner, district, tmp_path):
    folder = tmp_path / "booklets"
    layers = _layers(district, [f"COMPONENTS={district}|layername=城市部件"])
    code, out = _run(runner, "citycomponents:booklet", *layers, "SUPERVISOR_AREAS=丙南", "SUPERVISOR_AREAS=丙北",
                     f"OUTPUT_FOLDER={folder}")
    assert code == 0, out[-3000:]
    assert sorted(p.name for p in folder.iterdir()) == ["丙北.pdf", "丙南.pdf"]  # 2 asked, 2 made (of 3 areas)


@pytest.mark.parametrize(("algorithm", "argument", "message"), [
    ("citycomponents:booklet", "SUPERVISOR_AREAS=丙",
     "No 监督员责任区 named '丙' in layer '监督员责任区'. Did you mean: "),
    ("citycomponents:batchexport", "FORMATS=xlsz", "Unknown value 'xlsz' for the FORMATS parameter. Did you mean: "
                                                   "xlsx? Choose from: xlsx, txt, csv."),
    ("citycomponents:batchexport", "LEVELS=9", "Unknown value '9' for the LEVELS parameter. Choose from: 0 (Street "
                                               "office (街道)), 1 (Supervisor area (监督员责任区))"),
    ("citycomponents:batchexport", "TYPES=路等", "Unknown component type(s): '路等' (路灯?)"),
])
def test_an_unknown_name_is_an_error_never_all(runner, district, tmp_path, algorithm, argument, message):
    folder = tmp_path / "out"
    code, out = _run(runner, algorithm, *_layers(district, [f"COMPONENTS={district}|layername=城市部件"]),
                     "SUPERVISOR_AREAS=丙南" if "AREAS" not in argument else argument, argument,
                     f"OUTPUT_FOLDER={folder}")
    assert code != 0
    assert message in out
    assert not folder.exists() or not any(p.suffix in (".pdf", ".json") for p in folder.rglob("*"))


def test_a_component_source_that_is_no_layer_is_named(runner, district, tmp_path):
    code, out = _run(runner, "citycomponents:regionstatistics", f"GRIDS={district}|layername=单元网格",
                     f"COMPONENTS={district}|layername=城市部件,{district}|layername=城市部件9", "LEVEL=3",
                     f"REGION={dfx.G1}")
    assert code != 0
    assert f"'{district}|layername=城市部件9' in the COMPONENTS parameter is not a layer QGIS can open" in out
