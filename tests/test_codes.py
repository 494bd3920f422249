"""The one class rule (core/codes.py), the code profiles, the shipped table, and that every caller uses them."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from citycomponents_plugin.core.codes import (
    DEFAULT_GRID_PROFILE,
    DEFAULT_ID_PROFILE,
    GRID_PROFILES,
    ID_PROFILES,
    OTHER,
    PROFILE_TABLE,
    RESOURCE_TABLE,
    class_totals,
    load_classification,
    load_profiles,
    load_statuses,
    major_codes,
    subclass_codes,
    type_classes,
)

import district_fixtures as dfx

ID_16_3_5, ID_17 = ID_PROFILES[1], ID_PROFILES[2]

# (标识码, type name, profile, expected subclass): worked out from resources/component_types.csv.
RULE_CASES = [
    ("1101010118000001", "路灯", DEFAULT_ID_PROFILE, "0118"),       # id and name agree
    ("1101010401000001", "路灯", DEFAULT_ID_PROFILE, "0401"),       # well-formed, known subclass: the id wins
    ("1101010102000001", "行道树", DEFAULT_ID_PROFILE, "0102"),     # ... whatever the name says
    ("=1+2", "路灯", DEFAULT_ID_PROFILE, "0118"),                   # malformed: the name
    ("110101011800001", "行道树", DEFAULT_ID_PROFILE, "0402"),      # 15 digits: the name
    ("11010101l8000001", "行道树", DEFAULT_ID_PROFILE, "0402"),     # a letter for a digit: the name
    ("１１０１０１０１１８０００００１", "行道树", DEFAULT_ID_PROFILE, "0402"),  # full-width digits are not digits
    ("1101019918000001", "行道树", DEFAULT_ID_PROFILE, "0402"),     # well-formed, unknown major 99: the name
    ("1101010199000001", "路灯", DEFAULT_ID_PROFILE, "0118"),       # well-formed, unknown subclass 0199: the name
    ("", "电杆", DEFAULT_ID_PROFILE, "0117"),                       # the Beijing name of 立杆
    ("", " 路灯\u3000", DEFAULT_ID_PROFILE, "0118"),                # names are compared stripped
    ("", "供水器", DEFAULT_ID_PROFILE, "0132"),                     # national 0132 beats Beijing 0136
    ("abc", "不明物", DEFAULT_ID_PROFILE, OTHER),                   # neither: other
    ("1101019918000001", "不明物", DEFAULT_ID_PROFILE, OTHER),      # unknown subclass, unknown name
    ("11010104001000012", "路灯", DEFAULT_ID_PROFILE, "0118"),      # 17 digits are malformed by default
    ("11010104001000012", "路灯", ID_17, "0401"),                   # ... but 04+001 in the 17-digit profile
    ("1101010118000001", "行道树", ID_17, "0402"),                  # 16 digits are malformed there
    ("1101010400100001", "路灯", ID_16_3_5, "0401"),                # 6+2+3+5: 04+001
    ("1101010400100001", "路灯", DEFAULT_ID_PROFILE, "0118"),       # the same digits by default: 0400, unknown
]


@pytest.mark.parametrize("ident, name, profile, expected", RULE_CASES)
def test_the_class_rule(ident, name, profile, expected):
    assert subclass_codes([ident], [name], profile=profile).tolist() == [expected]
    assert major_codes([ident], [name], profile=profile).tolist() == [expected[:2]]


def test_the_rule_on_arrays_matches_it_case_by_case():
    ids = [c[0] for c in RULE_CASES if c[2] is DEFAULT_ID_PROFILE]
    names = [c[1] for c in RULE_CASES if c[2] is DEFAULT_ID_PROFILE]
    expected = [c[3] for c in RULE_CASES if c[2] is DEFAULT_ID_PROFILE]
    assert subclass_codes(np.array(ids * 3), np.array(names * 3)).tolist() == expected * 3
    assert subclass_codes(np.zeros(0, dtype=str), np.zeros(0, dtype=str)).tolist() == []


def test_major_class_from_id_else_type_table():
    """On the table the plugin ships (no other copy is looked for)."""
    ids = np.array(["1101010118000001", "11010104010000012", "=1+2", "abc", "1101019918000001"])
    names = np.array(["路灯", "行道树", "路灯", "不明物", "行道树"])
    codes = major_codes(ids, names)
    assert codes.tolist() == ["01", "04", "01", OTHER, "04"]
    totals = dict((c.name, n) for c, n in class_totals(codes))
    assert totals == {"公用设施": 2, "道路交通": 0, "市容环境": 0, "园林绿化": 2, "房屋土地": 0, "其他设施": 0,
                      "其他": 1}


# ----- profiles --------------------------------------------------------------------------------------
def _span(s: slice) -> tuple:
    return s.start, s.stop


def test_id_profiles():
    assert [(p.length, _span(p.district), _span(p.major), _span(p.subclass), _span(p.serial))
            for p in ID_PROFILES] == [
        (16, (0, 6), (6, 8), (6, 10), (10, 16)),   # 6+2+2+6, the default
        (16, (0, 6), (6, 8), (6, 11), (11, 16)),   # 6+2+3+5
        (17, (0, 6), (6, 8), (6, 11), (11, 17)),   # 6+2+3+6
    ]
    assert DEFAULT_ID_PROFILE is ID_PROFILES[0]
    code = "1101010118000042"
    p = DEFAULT_ID_PROFILE
    assert (code[p.district], code[p.major], code[p.subclass], code[p.serial]) == ("110101", "01", "0118", "000042")
    assert p.well_formed(code) and not p.well_formed(code + "1") and not p.well_formed("１" * 16)
    assert ID_17.table_code("11010104010000012") == "0410" and ID_17.table_code("1101010401000001") == ""


def test_grid_profiles_and_the_short_code():
    assert [(p.length, _span(p.district), _span(p.street), _span(p.community), _span(p.serial), _span(p.short))
            for p in GRID_PROFILES] == [
        (14, (0, 6), (6, 9), (9, 12), (12, 14), (9, 14)),   # 6+3+3+2, the default
        (15, (0, 6), (6, 9), (9, 12), (12, 15), (9, 15)),   # 6+3+3+3
    ]
    assert DEFAULT_GRID_PROFILE is GRID_PROFILES[0]
    assert DEFAULT_GRID_PROFILE.short_code(dfx.G4) == "00202" == dfx.G4[-5:]  # the original's Right$(code, 5)
    assert GRID_PROFILES[1].short_code("110101001002013") == "002013"
    assert DEFAULT_GRID_PROFILE.short_code("A-17") == "A-17"  # not the layout: the last five characters
    assert DEFAULT_GRID_PROFILE.short_code("网格0012345") == "12345"


def test_a_profile_is_a_row_a_user_can_add(tmp_path):
    """The layouts are data: an added row is a new layout, a broken row is left out, a default row leads."""
    table = tmp_path / "code_profiles.csv"
    table.write_text(open(PROFILE_TABLE, encoding="utf-8").read()
                     + "grid,16 位 6+3+3+4,6,3,3,4,\n"
                     + "id,broken,6,2,x,6,\n"
                     + "id,18 位 6+2+4+6,6,2,4,6,yes\n", encoding="utf-8")
    profiles = load_profiles(str(table))
    assert [p.name for p in profiles.ids] == ["18 位 6+2+4+6", "16 位 6+2+2+6", "16 位 6+2+3+5", "17 位 6+2+3+6"]
    assert profiles.id_profile().length == 18 and profiles.id_profile("16 位 6+2+3+5").serial_digits == 5
    assert profiles.grid_profile("16 位 6+3+3+4").length == 16 and profiles.grid_profile("nope") is None
    assert load_profiles(str(tmp_path / "missing.csv")).ids[0].name == "16 位 6+2+2+6"  # the built-in layout
    assert load_profiles().ids == ID_PROFILES


def test_the_status_vocabulary(tmp_path):
    vocabulary = load_statuses()
    assert vocabulary.statuses == ("完好", "破损", "丢失", "占用", "废弃", "移除")
    assert vocabulary.removed == {"废弃", "移除"} and vocabulary.known(" 破损 ") and not vocabulary.known("坏了")
    table = tmp_path / "component_statuses.csv"
    table.write_text("status,in_archive,meaning\n完好,yes,\n待查,yes,\n注销,no,\n", encoding="utf-8")
    assert load_statuses(str(table)).statuses == ("完好", "待查", "注销")
    assert load_statuses(str(table)).removed == {"注销"}
    assert load_statuses(str(tmp_path / "missing.csv")).statuses == vocabulary.statuses


# ----- the table --------------------------------------------------------------------------------------
def test_the_shipped_table_is_read_once():
    table = load_classification()
    assert table is load_classification() and table.path == RESOURCE_TABLE
    assert len(table.rows) == 87 and {r.major_code for r in table.rows} == {"01", "02", "03", "04", "05", "06"}
    assert table.by_name["立杆"] == table.by_name["电杆"] == "0117"
    assert "0401" in table.subclasses and OTHER not in table.subclasses


def test_an_edited_table_is_read_again(tmp_path):
    path = tmp_path / "types.csv"
    path.write_text("code,major_code,major_name,name,name_beijing\n0118,01,公用设施,路灯,路灯\n", encoding="utf-8")
    assert subclass_codes(["x"], ["行道树"], load_classification(str(path))).tolist() == [OTHER]
    # Excel drops leading zeros; rows of an unknown class, or a code of another class, cannot be used.
    path.write_text("\ufeffcode,major_code,major_name,name,name_beijing\n"
                    "118,1,公用设施,路灯,\n401,4,园林绿化,行道树,\n0701,07,扩展,井,\n0201,01,公用设施,停车场,\n",
                    encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new version even within the file system's time resolution
    table = load_classification(str(path))
    assert [r.code for r in table.rows] == ["0118", "0401"]
    assert subclass_codes(["", "", "", "1101010701000001"], ["路灯", "行道树", "停车场", "井"], table).tolist() == \
        ["0118", "0401", OTHER, OTHER]


def test_a_missing_table_classifies_nothing_and_fails_nothing(tmp_path):
    table = load_classification(str(tmp_path / "absent.csv"))
    assert table.rows == () and not table.by_name
    assert major_codes(["1101010118000001", "x"], ["路灯", "路灯"], table).tolist() == [OTHER, OTHER]


# ----- types: the class most of their components get ------------------------------------------------
def test_type_classes_by_majority_with_ties_to_the_smaller_code():
    type_names = ["路灯", "混合", "不明物", "行道树", "平局"]
    rows = [  # (标识码, type index)
        ("1101010118000001", 0), ("1101010118000002", 0), ("1101010401000001", 0),  # 2 x 01, 1 x 04
        ("1101010102000001", 1), ("1101010101000001", 1), ("1101010101000002", 1),  # 0101 most common in 01
        ("1101010305000001", 1),
        ("bad", 2), ("bad", 2),                                                    # other
        ("1101010401000002", 4), ("1101010209000001", 4), ("=", 4),                # 04, 02, other: tie -> 02
    ]
    ids = np.array([r[0] for r in rows])
    types = np.array([r[1] for r in rows], dtype=np.int32)
    assert type_classes(ids, types, type_names) == [("01", "0118"), ("01", "0101"), (OTHER, OTHER),
                                                    ("04", "0402"),  # no component: by its name
                                                    ("02", "0209")]
    assert type_classes(np.zeros(0, dtype=str), np.zeros(0, dtype=np.int32), ["路灯", "x"]) == \
        [("01", "0118"), (OTHER, OTHER)]


# ----- every caller ----------------------------------------------------------------------------------
def _index(path: Path):
    from qgis.core import QgsVectorLayer

    from citycomponents_plugin.core.engine.build import build_index
    from citycomponents_plugin.core.engine.inputs import DistrictInputs

    def layer(name: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")

    return build_index(DistrictInputs(grids=layer("单元网格"), components=[layer("城市部件")],
                                      supervisors=layer("监督员责任区")))


def _tree_and_booklet_classes(index) -> tuple:
    """Per component of every supervisor area: the class its type sits under in the dialog's tree, and the
    class its booklet draws it in."""
    from citycomponents_plugin.core.booklet.booklet_content import area_content
    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.gui.type_tree import TypeTreeModel

    model = TypeTreeModel()
    model.set_types(index)
    tree = model.type_class_codes()
    assert sorted(tree) == sorted(index.type_names)
    from_tree, from_booklet = [], []
    table = load_classification()
    for region in index.regions(Level.SUPERVISOR):
        content = area_content(index, region, table)
        from_tree += [tree[index.type_names[t]] for t in index.comp_type[content.members].tolist()]
        from_booklet += content.classes.tolist()
        assert [n for _c, n in content.class_totals if _c.code != OTHER] == \
            [sum(1 for m in content.classes.tolist() if m == c) for c in ("01", "02", "03", "04", "05", "06")]
    return from_tree, from_booklet, model


def test_tree_and_booklet_agree_on_the_hand_made_district(tmp_path, qgis_app):
    index = _index(dfx.write_district(tmp_path / "d.gpkg"))
    from_tree, from_booklet, model = _tree_and_booklet_classes(index)
    assert from_tree == from_booklet == ["01"] * index.assigned  # 上水井盖, 污水井盖, 路灯 and the "=1+2" 路灯
    assert model.class_names() == ["公用设施 (01)"]


def test_tree_and_booklet_agree_on_the_sample(sample_gpkg, qgis_app):
    index = _index(sample_gpkg)
    from_tree, from_booklet, model = _tree_and_booklet_classes(index)
    assert len(from_tree) == index.assigned and from_tree == from_booklet
    assert set(from_booklet) == {"01", "02", "03", "04", "05", "06"}
    assert model.class_names() == ["公用设施 (01)", "道路交通 (02)", "市容环境 (03)", "园林绿化 (04)",
                                   "房屋土地 (05)", "其他设施 (06)"]


def test_the_sample_takes_its_codes_from_the_same_table():
    from citycomponents_plugin.sample.district import sample_component_types

    table = load_classification()
    types = sample_component_types()
    assert len(types) == 60 and all(table.by_name[t.name] == t.code for t in types)
