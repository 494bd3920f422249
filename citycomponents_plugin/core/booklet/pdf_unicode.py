"""Make the booklet's Chinese text extract and search as the ideographs it shows.

Why: Qt's PDF writer builds each font's ToUnicode map by giving every glyph the *lowest* code point
that maps to it. CJK fonts such as Noto Sans CJK draw the Kangxi radicals (U+2F00...) and CJK radical
supplements (U+2E80...) with the same glyphs as the ideographs, so 乙, 手, 网, 页 extract as ⼄, ⼿, ⽹, ⻚:
the PDF looks right but searching it for an area name fails. The glyph-sharing pairs are read from
the font itself (QRawFont), and the ToUnicode maps are corrected in place: every replacement is a
4-hex-digit code for a 4-hex-digit code, so no byte offset in the PDF moves.
"""

from __future__ import annotations

import re

from qgis.PyQt.QtGui import QFont, QRawFont

LOW_RANGE = range(0x2E80, 0x3400)  # radicals, strokes, ideographic symbols: below every ideograph
IDEOGRAPHS = list(range(0x4E00, 0xA000)) + list(range(0x3400, 0x4DC0))
_cache: dict = {}


def shared_glyph_map(family: str) -> dict:
    """Low code point -> ideograph, for glyphs the font shares between them."""
    if family in _cache:
        return _cache[family]
    raw = QRawFont.fromFont(QFont(family))
    mapping: dict = {}
    if raw.isValid():
        ideo_glyphs = raw.glyphIndexesForString("".join(map(chr, IDEOGRAPHS)))
        first: dict = {}
        for cp, glyph in zip(IDEOGRAPHS, ideo_glyphs):
            if glyph:
                first.setdefault(glyph, cp)
        low = list(LOW_RANGE)
        for cp, glyph in zip(low, raw.glyphIndexesForString("".join(map(chr, low)))):
            if glyph and glyph in first:
                mapping[cp] = first[glyph]
    _cache[family] = mapping
    return mapping


_TOKEN = re.compile(rb"<([0-9A-Fa-f]{4})>")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)


def _fix_cmap(body: bytes, mapping: dict) -> bytes:
    def fix_token(hex4: bytes) -> bytes:
        cp = int(hex4, 16)
        return b"%04X" % mapping[cp] if cp in mapping else hex4

    def fix_line(line: bytes, kind: bytes) -> bytes:
        tokens = list(_TOKEN.finditer(line))
        if kind == b"bfchar":
            dst = tokens[1:2]
        elif b"[" in line:
            dst = tokens[2:]
        else:  # <lo> <hi> <start>: only safe when the whole run maps to a run
            if len(tokens) != 3:
                return line
            lo, hi, start = (int(t.group(1), 16) for t in tokens)
            run = [start + k for k in range(hi - lo + 1)]
            if not any(c in mapping for c in run):
                return line
            if not all(mapping.get(c, -1) == mapping.get(start, -1) + k for k, c in enumerate(run)):
                return line
            dst = tokens[2:3]
        out = bytearray(line)
        for t in dst:
            out[t.start(1):t.end(1)] = fix_token(t.group(1))
        return bytes(out)

    def fix_section(m: re.Match) -> bytes:
        kind = m.group(1)
        lines = m.group(2).split(b"\n")
        return b"begin" + kind + b"\n".join(fix_line(ln, kind) for ln in lines) + b"end" + kind

    return _SECTION.sub(fix_section, body)


def fix_pdf_text(path: str, family: str) -> int:
    """Correct the ToUnicode maps of the PDF at `path` in place; returns how many maps changed."""
    mapping = shared_glyph_map(family)
    if not mapping:
        return 0
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    changed = 0
    for num in sorted(set(re.findall(rb"/ToUnicode (\d+) 0 R", data))):
        obj = re.search(rb"(?:^|\n)" + num + rb" 0 obj\s*<<[^>]*>>\s*stream\r?\n", data)
        if obj is None:
            continue
        start = obj.end()
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        body = bytes(data[start:end])
        if not body.lstrip().startswith(b"/CIDInit"):  # compressed or unexpected: leave it alone
            continue
        fixed = _fix_cmap(body, mapping)
        if fixed != body and len(fixed) == len(body):
            data[start:end] = fixed
            changed += 1
    if changed:
        with open(path, "wb") as fh:
            fh.write(data)
    return changed
