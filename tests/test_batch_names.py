"""File names from region names (one rule, each of its parts), path containment, credential stripping."""

from __future__ import annotations

import os

import pytest

from citycomponents_plugin.core.batch_export.manifest import redact_source
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.safe_names import (
    MAX_BASE_BYTES,
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


@pytest.mark.parametrize("char", list('/\\<>:"|?*'))
def test_separators_and_what_windows_forbids(char):
    assert safe_file_base(f"甲{char}乙") == "甲_乙"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f", "\x80", "\x85", "\x9f"])
def test_c0_and_c1_controls(char):
    assert safe_file_base(f"甲{char}乙") == "甲_乙"


@pytest.mark.parametrize("char", ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"])
def test_bidirectional_controls(char):
    assert safe_file_base(f"abc{char}txt.exe") == "abc_txt.exe"


@pytest.mark.parametrize("char", ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0002ffff",
                                  "\U0010fffe", "\U0010ffff", "\ud800", "\udfff"])
def test_noncharacters_and_lone_surrogates(char):
    name = safe_file_base(f"甲{char}乙")
    assert name == "甲_乙"
    name.encode("utf-8")  # always a name the file system can take


@pytest.mark.parametrize("char", ["\u200b", "\u00a0", "\ufdcf", "\ufdf0", "\ufffd", "\U0001f600", "·"])
def test_ordinary_characters_are_kept(char):
    assert safe_file_base(f"甲{char}乙") == f"甲{char}乙"


@pytest.mark.parametrize("key, expected", [
    ("NUL", "NUL_"), ("nul", "nul_"), ("Nul.txt", "Nul_.txt"), ("NUL .txt", "NUL_ .txt"), ("NUL  ..txt", "NUL_  ..txt"),
    ("NUL.", "NUL_"), ("NUL ", "NUL_"), ("nul.tar.gz", "nul_.tar.gz"),
    ("CON", "CON_"), ("PRN", "PRN_"), ("AUX.log", "AUX_.log"),
    ("COM0", "COM0_"), ("com9.txt", "com9_.txt"), ("LPT0", "LPT0_"), ("lpt5 .csv", "lpt5_ .csv"),
    ("COM¹", "COM¹_"), ("com².x", "com²_.x"), ("LPT³", "LPT³_"), ("lpt¹ .txt", "lpt¹_ .txt"),
    ("CONIN$", "CONIN$_"), ("conout$.log", "conout$_.log"), ("Clock$", "Clock$_"),
])
def test_windows_device_names_are_altered(key, expected):
    assert safe_file_base(key) == expected


@pytest.mark.parametrize("key", ["CONSOLE", "COM10", "LPT", "COM", "NULL", "COM1x", "xNUL", "CON_", "COM⁴", "AUX-1"])
def test_names_that_only_look_like_devices_are_kept(key):
    assert safe_file_base(key) == key


@pytest.mark.parametrize("key, expected", [
    ("景山.", "景山"), ("景山...", "景山"), ("景山   ", "景山"), ("景山. . ", "景山"), ("...", "_"), ("  ", "_"),
    ("a.b.", "a.b"), (".hidden", "hidden"),
])
def test_trailing_dots_and_spaces_are_stripped(key, expected):
    assert safe_file_base(key) == expected


def test_long_names_fit_the_file_name_limit():
    base = safe_file_base("很长的社区名称" * 40)
    assert len(base.encode("utf-8")) <= MAX_BASE_BYTES and base == ("很长的社区名称" * 40)[:50]
    assert len((base + "统计结果.txt").encode("utf-8")) < 255
    emoji = safe_file_base("😀" * 40)  # four bytes each: cut between characters, never inside one
    assert emoji == "😀" * 37 and len(emoji.encode("utf-8")) == 148
    assert safe_file_base("a" * 149 + " b") == "a" * 149  # no trailing space left by the cut
    assert safe_file_base("CON." + "x" * 200) == "CON_." + "x" * 145


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
