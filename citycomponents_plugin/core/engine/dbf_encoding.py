"""Is a shapefile's text readable as QGIS reads it? A DBF without .cpg whose bytes are not UTF-8.

Why: without a .cpg file QGIS reads a DBF as UTF-8, and a GBK file (what Chinese Windows tools
write) then shows garbage field names and values: fields are not detected, type names are wrong,
and nothing says why. The raw bytes tell: GBK text is almost never valid UTF-8.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import Optional

import numpy as np
from qgis.core import QgsProviderRegistry, QgsVectorLayer

from citycomponents_plugin.core.engine.layer_copies import origin, source_encoding

# Records looked at: enough to see non-ASCII text, bounded for huge files.
MAX_RECORDS = 2000


@dataclass
class DbfTextProblem:
    """Text values that are not UTF-8 in a DBF without .cpg: how many, of how many, first field seen."""

    bad: int
    checked: int
    field: str
    cpg: str  # the .cpg file that would settle it
    source: str  # the layer's file, for the ENCODING open option hint


def _utf8(raw: bytes, cut_allowed: bool) -> bool:
    """Valid UTF-8; a character cut at the end of a full-width slot (a 10-byte name) is allowed."""
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return cut_allowed and exc.reason == "unexpected end of data" and exc.start >= len(raw) - 3


def is_dbf(layer: QgsVectorLayer) -> bool:
    """The layer's table is a DBF (a shapefile): field names are cut to 10 bytes."""
    return _dbf_path(layer, any_encoding=True) is not None


def _dbf_path(layer: QgsVectorLayer, any_encoding: bool = False) -> Optional[str]:
    provider, source = origin(layer)  # a memory copy for a background run: the file it was copied from
    if provider != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
    path = parts.get("path") or ""
    if not any_encoding and "encoding=" in source.lower():  # opened with the ENCODING open option
        return None
    stem, ext = os.path.splitext(path)
    if ext.lower() not in (".shp", ".dbf"):
        return None
    for candidate in (stem + ".dbf", stem + ".DBF"):
        if os.path.isfile(candidate):
            return candidate
    return None


def missing_dbf(layer: QgsVectorLayer) -> Optional[str]:
    """The .dbf path a shapefile layer lacks (GDAL then opens it with no fields at all), else None."""
    provider, source = origin(layer)
    if provider != "ogr":
        return None
    path = QgsProviderRegistry.instance().decodeUri("ogr", source).get("path") or ""
    stem, ext = os.path.splitext(path)
    if ext.lower() != ".shp" or not os.path.isfile(path):
        return None
    if any(os.path.isfile(stem + e) for e in (".dbf", ".DBF")):
        return None
    return stem + ".dbf"


def deleted_records(layer: QgsVectorLayer) -> int:
    """Records of a shapefile's DBF flagged deleted ('*'): GDAL counts them, reading skips them."""
    dbf = _dbf_path(layer, any_encoding=True)
    if dbf is None:
        return 0
    try:
        with open(dbf, "rb") as fh:
            head = fh.read(32)
            if len(head) < 32:
                return 0
            records, header_len, record_len = struct.unpack("<IHH", head[4:12])
            if records == 0 or record_len == 0:
                return 0
            flags = np.memmap(fh, dtype=np.uint8, mode="r", offset=header_len)
            usable = min(records, len(flags) // record_len)
            return int(np.count_nonzero(flags[:usable * record_len:record_len] == ord("*")))
    except (OSError, ValueError):
        return 0


def dbf_text_problem(layer: QgsVectorLayer) -> Optional[DbfTextProblem]:
    """The problem, for a shapefile without .cpg read as UTF-8 whose names or text are not UTF-8; else None."""
    dbf = _dbf_path(layer)
    if dbf is None:
        return None
    stem = os.path.splitext(dbf)[0]
    if any(os.path.isfile(stem + ext) for ext in (".cpg", ".CPG")):
        return None
    if source_encoding(layer) not in ("UTF-8", "System", ""):
        return None  # the operator chose an encoding in Layer Properties
    try:
        with open(dbf, "rb") as fh:
            head = fh.read(32)
            if len(head) < 32:
                return None
            records, header_len, record_len = struct.unpack("<IHH", head[4:12])
            descriptors = fh.read(max(header_len - 32, 0))
            fields = []  # (name bytes, type, offset in record, length)
            offset = 1  # the deletion flag
            for i in range(0, len(descriptors) - 31, 32):
                desc = descriptors[i:i + 32]
                if desc[0] == 0x0D:
                    break
                length = desc[16]
                fields.append((desc[:11].split(b"\0", 1)[0], chr(desc[11]), offset, length))
                offset += length
            fh.seek(header_len)
            data = fh.read(record_len * min(records, MAX_RECORDS))
    except OSError:
        return None
    bad, checked, first = 0, 0, ""
    for name, _kind, _off, _len in fields:
        if any(b >= 0x80 for b in name):
            checked += 1
            if not _utf8(name, len(name) == 10):
                bad += 1
                first = first or name.decode("gbk", "replace")
    for start in range(0, len(data) - record_len + 1, max(record_len, 1)):
        record = data[start:start + record_len]
        for name, kind, off, length in fields:
            if kind != "C":
                continue
            value = record[off:off + length].rstrip(b" \0")
            if not value or max(value) < 0x80:
                continue
            checked += 1
            if not _utf8(value, True):
                bad += 1
                first = first or name.decode("gbk", "replace")
    if not bad:
        return None
    return DbfTextProblem(bad, checked, first, os.path.basename(stem) + ".cpg", origin(layer)[1].split("|", 1)[0])
