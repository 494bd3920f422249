"""txt and csv lines (core/files/delimited.py): the csv module's quoting, formula-like values neutralized."""

from __future__ import annotations

import csv
import io

import pytest

from citycomponents_plugin.core.files.delimited import csv_line, neutralize, txt_line

TRICKY = ["a,b", 'say "hi"', "line\nbreak", "car\rriage", "crlf\r\ninside", " lead", "trail ", "", "甲,乙", "tab\there"]


def test_csv_lines_are_rfc_4180_and_read_back():
    line = csv_line(TRICKY)
    assert line.endswith("\r\n") and line.count("\r\n") == 2  # one inside a quoted value, one ending the record
    assert next(csv.reader(io.StringIO(line, newline=""))) == TRICKY


@pytest.mark.parametrize("values, expected", [
    (["标识码", "名称", "单元网格"], "标识码,名称,单元网格\r\n"),
    (["a,b", "c"], '"a,b",c\r\n'),
    (['x"y', "z"], '"x""y",z\r\n'),
    (["a\nb", "c"], '"a\nb",c\r\n'),
    ([None, 12, ""], ",12,\r\n"),
    ([" lead", "trail "], " lead,trail \r\n"),  # spaces are data (RFC 4180): not quoted
])
def test_csv_quoting_is_minimal(values, expected):
    assert csv_line(values) == expected


@pytest.mark.parametrize("value", ["=1+2", "+86", "-1号", "@SUM(A1)", "\t=x", "\r=x"])
def test_formula_like_values_get_an_apostrophe(value):
    assert neutralize(value) == "'" + value
    assert next(csv.reader(io.StringIO(csv_line([value, "x"]), newline=""))) == ["'" + value, "x"]
    # txt has no tabs or line breaks inside a value: they become spaces first, and " =x" is no formula.
    assert txt_line([value, "x"]) == ("'" + value if value[0] not in "\t\r" else " " + value[1:]) + "\tx\r\n"


@pytest.mark.parametrize("value", ["1=1", "a-b", "x@y", " =1", "'=1", "１"])
def test_other_values_are_left_alone(value):
    assert neutralize(value) == value
    assert next(csv.reader(io.StringIO(csv_line([value, "x"]), newline=""))) == [value, "x"]


def test_txt_lines_keep_one_line_and_their_columns():
    assert txt_line(["1101010101000001", "上水井盖", None, 3]) == "1101010101000001\t上水井盖\t\t3\r\n"
    assert txt_line(["a\tb", "c\r\nd", "=1"]) == "a b\tc  d\t'=1\r\n"
