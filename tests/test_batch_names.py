"""File names from region names, path containment and credential stripping (no QGIS needed)."""

from __future__ import annotations

import os

import pytest

from citycomponents_plugin.core.batch_export.manifest import redact_source
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.safe_names import (
    contained_path,
    relative_posix,
    safe_file_base,
    unique_bases,
)


@pytest.mark.parametrize("key, expected", [
    ("甲社区", "甲社区"),
    ("11010100100101", "11010100100101"),
    ("../x", "_x"),
    ("..", "_"),
    ("C:\\x", "C__x"),
    ("a/b", "a_b"),
    ('a*b?c"d<e>f|g', "a_b_c_d_e_f_g"),
    ("tab\there\n", "tab_here_"),
    ("CON", "CON_"),
    ("con", "con_"),
    ("nul.txt", "nul_.txt"),
    ("COM1", "COM1_"),
    ("LPT9", "LPT9_"),
    ("CONSOLE", "CONSOLE"),
    (" 景山. ", "景山"),
    ("", "_"),
])
def test_safe_file_base(key, expected):
    assert safe_file_base(key) == expected


def test_long_names_fit_the_file_name_limit():
    base = safe_file_base("很长的社区名称" * 40)
    assert len((base + "统计结果.txt").encode("utf-8")) < 255


def test_collisions_get_distinct_names_including_suffix_and_case():
    keys = ["a/b", "a:b", "A_B", "甲", "甲统计结果", "CON", "con"]
    suffixes = (".xlsx", ".txt", "统计结果.txt", ".csv")
    bases = unique_bases(keys, suffixes)
    assert bases == ["a_b", "a_b_2", "A_B_3", "甲", "甲统计结果_2", "CON_", "con__2"]
    names = [(b + s).casefold() for b in bases for s in suffixes]
    assert len(names) == len(set(names))


def test_contained_path_refuses_escapes(tmp_path):
    inside = contained_path(str(tmp_path), "街道", "东华门.xlsx")
    assert inside == os.path.join(os.path.realpath(tmp_path), "街道", "东华门.xlsx")
    assert relative_posix(str(tmp_path), inside) == "街道/东华门.xlsx"
    for parts in (("..", "x.txt"), ("/etc", "passwd"), ("a", "..", "..", "y")):
        with pytest.raises(CityComponentsError, match="outside the output folder"):
            contained_path(str(tmp_path), *parts)


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "街道").symlink_to(elsewhere)
    with pytest.raises(CityComponentsError, match="outside the output folder"):
        contained_path(str(out), "街道", "东华门.xlsx")


@pytest.mark.parametrize("source, expected", [
    ("dbname='gis' host=db port=5432 user='u' password='s3 cret' sslmode=disable key='fid' table=\"public\".\"g\"",
     "dbname='gis' host=db port=5432 user='u' sslmode=disable key='fid' table=\"public\".\"g\""),
    ("dbname='gis' user=u password=secret authcfg=abc123", "dbname='gis' user=u authcfg=abc123"),
    ("postgresql://user:secret@host:5432/db", "postgresql://user@host:5432/db"),
    ("/data/d.gpkg|layername=单元网格", "/data/d.gpkg|layername=单元网格"),
])
def test_redact_source(source, expected):
    assert redact_source(source) == expected
    assert "secret" not in redact_source(source)
