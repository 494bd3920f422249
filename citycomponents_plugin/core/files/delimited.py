"""Tab-separated text (the original tool's format): title row, CRLF, UTF-8 with BOM or GBK.

Lines are encoded once per component and reused for every level. A character the chosen encoding
cannot hold (GBK has no emoji, no rare CJK extension B characters) does not stop the run: it is
written as '?' and reported with the component's 标识码 (`LineEncoder.issues`).

Values that start with = + - @ (or a tab/CR) are prefixed with an apostrophe, the OWASP practice for
files a spreadsheet may open: Excel's text import would otherwise evaluate `=1+2` as a formula.
"""

from __future__ import annotations

import codecs
import re
from typing import Callable, Iterable, Sequence

from citycomponents_plugin.core.errors import CityComponentsError

ENCODINGS = {"utf-8": codecs.BOM_UTF8, "gbk": b""}  # encoding -> byte-order mark written first
NEWLINE = "\r\n"
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


def delimited_line(values: Sequence, sep: str, slow: re.Pattern, field: Callable[[str], str]) -> str:
    """Fields joined by `sep`; the per-field path runs only when the joined line shows some field needs it
    (a separator inside a value, a line break, a formula-like start): fast for 670k rows."""
    texts = [v if type(v) is str else ("" if v is None else str(v)) for v in values]
    line = sep.join(texts)
    if line.count(sep) == len(texts) - 1 and not slow.search(line):
        return line + NEWLINE
    return sep.join(field(v) for v in texts) + NEWLINE


def txt_line(values: Sequence) -> str:
    """One tab-separated record (the original tool's txt)."""
    return delimited_line(values, "\t", _TXT_SLOW, txt_field)


class LineEncoder:
    """Encodes lines in one encoding, replacing what it cannot encode and remembering whose line it was."""

    def __init__(self, encoding: str):
        self.encoding = check_encoding(encoding)
        self.bom = ENCODINGS[self.encoding]
        self.issues: dict = {}  # owner (标识码 / type name) -> characters that were replaced

    def encode(self, line: str, owner: str = "") -> bytes:
        try:
            return line.encode(self.encoding)
        except UnicodeEncodeError:
            bad = []
            for ch in line:
                try:
                    ch.encode(self.encoding)
                except UnicodeEncodeError:
                    bad.append(ch)
            self.issues.setdefault(owner, set()).update(bad)
            return line.encode(self.encoding, "replace")

    def issue_summary(self, limit: int = 10) -> str:
        """'1101…(𠮷), …' for the log: which records lost which characters."""
        items = [f"{owner} ({''.join(sorted(chars))})" for owner, chars in list(self.issues.items())[:limit]]
        more = f" and {len(self.issues) - limit} more" if len(self.issues) > limit else ""
        return ", ".join(items) + more


def text_file_chunks(bom: bytes, header: bytes, lines: Iterable[bytes]) -> list:
    """The byte chunks of one file: BOM, title row, then the lines."""
    chunks = [bom, header] if bom else [header]
    chunks.extend(lines)
    return chunks
