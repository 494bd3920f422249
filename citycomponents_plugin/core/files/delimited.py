"""Delimited text: tab-separated txt (the original tool's format) and comma-separated csv, CRLF lines.

Lines are encoded once per component and reused for every level. A character the chosen encoding
cannot hold (GBK has no emoji, no rare CJK extension B characters) does not stop the run: it is
written as '?' and reported with the component's 标识码 (`LineEncoder.issues`).

Values that start with = + - @ (or a tab/CR) are prefixed with an apostrophe, the OWASP practice for
files a spreadsheet may open: Excel's text import would otherwise evaluate `=1+2` as a formula.
csv quoting is the standard csv module's (RFC 4180, minimal quoting); 部件总表.csv is always UTF-8 with
BOM so Excel detects the encoding.
"""

from __future__ import annotations

import codecs
import csv
import re
from typing import Iterable, Optional, Sequence

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.sanitize import Replacements

ENCODINGS = {"utf-8": codecs.BOM_UTF8, "gbk": b""}  # encoding -> byte-order mark written first
NEWLINE = "\r\n"
ISSUES_SHOWN = 10  # records named in the log when characters could not be encoded
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TXT_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})
_TXT_SLOW = re.compile(r"[\r\n]|(?:^|\t)[=+\-@]")  # a field that needs txt_field's care


def check_encoding(encoding: str) -> str:
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf8", "utf-8-sig"):
        enc = "utf-8"
    if enc not in ENCODINGS:
        raise CityComponentsError("encoding_unknown", "ENCODING", value=encoding)
    return enc


def neutralize(value: str) -> str:
    """A value a spreadsheet would take for a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def txt_field(value: object) -> str:
    """One tab-separated field: no tabs or line breaks inside, never a formula."""
    text = "" if value is None else str(value)
    return neutralize(text.translate(_TXT_BREAKS))


def txt_line(values: Sequence) -> str:
    """One tab-separated record (the original tool's txt).

    The per-field path runs only when the joined line shows some field needs it (a tab or line break
    inside a value, a formula-like start): fast for 670k rows.
    """
    texts = [v if type(v) is str else ("" if v is None else str(v)) for v in values]
    line = "\t".join(texts)
    if line.count("\t") == len(texts) - 1 and not _TXT_SLOW.search(line):
        return line + NEWLINE
    return "\t".join(txt_field(v) for v in texts) + NEWLINE


class _Echo:
    """A 'file' whose write returns its argument: csv.writer.writerow then returns the line it wrote."""

    @staticmethod
    def write(text: str) -> str:
        return text


_CSV = csv.writer(_Echo(), lineterminator=NEWLINE, quoting=csv.QUOTE_MINIMAL)


def csv_line(values: Sequence) -> str:
    """One comma-separated record: the csv module's quoting, formula-like values neutralized."""
    return _CSV.writerow([neutralize(v if type(v) is str else ("" if v is None else str(v))) for v in values])


class LineEncoder:
    """Encodes lines in one encoding, replacing what it cannot encode and remembering whose line it was."""

    def __init__(self, encoding: str, replacements: Optional[Replacements] = None):
        self.encoding = check_encoding(encoding)
        self.bom = ENCODINGS[self.encoding]
        self.issues: dict = {}  # owner (标识码 / type name) -> characters that were replaced
        self.replacements = replacements

    def encode(self, line: str, owner: str = "", values: Sequence = (), source: tuple = ()) -> bytes:
        """`line` in the encoding; on failure each of `values` that changed is recorded under `source`."""
        try:
            return line.encode(self.encoding)
        except UnicodeEncodeError:
            if self.replacements is not None and values:
                self.replacements.check_text(source, values, self.encoding)
            bad = []
            for ch in line:
                try:
                    ch.encode(self.encoding)
                except UnicodeEncodeError:
                    bad.append(ch)
            self.issues.setdefault(owner, set()).update(bad)
            return line.encode(self.encoding, "replace")

    def issue_summary(self) -> str:
        """'1101…(𠮷), …' for the log: which records lost which characters (the first ISSUES_SHOWN)."""
        items = [f"{owner} ({''.join(sorted(chars))})" for owner, chars in list(self.issues.items())[:ISSUES_SHOWN]]
        more = f" and {len(self.issues) - ISSUES_SHOWN} more" if len(self.issues) > ISSUES_SHOWN else ""
        return ", ".join(items) + more


def text_file_chunks(bom: bytes, header: bytes, lines: Iterable[bytes]) -> list:
    """The byte chunks of one file: BOM, title row, then the lines."""
    chunks = [bom, header] if bom else [header]
    chunks.extend(lines)
    return chunks
