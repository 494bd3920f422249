"""Comma-separated values with minimal quoting (RFC 4180), lines built once per component.

Like the txt files, values starting with = + - @ (or tab/CR) get a leading apostrophe so a
spreadsheet opening the file shows text, never evaluates a formula; 部件总表.csv is always UTF-8
with BOM so Excel detects the encoding.
"""

from __future__ import annotations

import re
from typing import Sequence

from citycomponents_plugin.core.files.delimited import delimited_line, neutralize

_NEEDS_QUOTES = (",", '"', "\r", "\n")
_CSV_SLOW = re.compile(r'["\r\n]|(?:^|,)[=+\-@\t ]| (?:,|$)')  # quoting or an apostrophe may be needed


def csv_field(value: object) -> str:
    text = neutralize("" if value is None else str(value))
    if any(c in text for c in _NEEDS_QUOTES) or text != text.strip(" "):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Sequence) -> str:
    """One CSV record."""
    return delimited_line(values, ",", _CSV_SLOW, csv_field)
