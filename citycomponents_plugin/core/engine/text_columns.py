"""Text columns as categories: sorted distinct values plus an integer code per row.

Why: type names, stored grid codes and even 标识码 are read as raw UTF-8 bytes; sorting bytes
and decoding only the distinct values is several times cheaper than building 168k Python strings,
and the codes are what the engine needs anyway (type per component, rank for sorting, lookups).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

# Bytes str.strip() removes in ASCII text: tab, LF, VT, FF, CR, the file/group/record/unit separators, space.
_ASCII_SPACE = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)


def value_text(value: object) -> str:
    """A field value as text; a real number that is a whole number as its digits, without '.0' or exponent.

    Why: codes stored in Real fields (11010100100101.0, 1.1010100100101e+16) must read like the codes
    in text fields, so REGION=11010100100101 and the stored-grid lookup match them. Every whole
    number a double holds converts to int exactly. Dates read through QGIS (a PostGIS layer, the iterator)
    come as QDate: as ISO text, like the Arrow reader's, an edition reads the same either way.
    """
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, (QDate, QDateTime, QTime)):  # as GDAL's Arrow reader gives them: 2005-08-14
        return value.toString(Qt.DateFormat.ISODate) if value.isValid() else ""
    return str(value)


def encode(values: Sequence[str]) -> np.ndarray:
    """Python strings (None for NULL) as the raw UTF-8 bytes array the Arrow reader gives."""
    return np.array([b"" if v is None else str(v).encode("utf-8") for v in values], dtype=bytes)


# Up to this many bytes, values are sorted as big-endian integer words (numpy sorts bytes as strings,
# several times slower); longer text columns (addresses) use np.unique.
_WORD_SORT_BYTES = 32


def _unique(raw: np.ndarray) -> tuple:
    """np.unique(raw, return_inverse=True) for a bytes column, sorted as integer words where short.

    Zero-padded bytes compared as big-endian 64-bit words order exactly as numpy orders bytes values
    (a shorter value before its extensions), so the result is np.unique's, found with integer sorts.
    """
    width = raw.dtype.itemsize
    if raw.dtype.kind != "S" or width == 0 or width > _WORD_SORT_BYTES:
        return np.unique(raw, return_inverse=True)
    n, words = len(raw), -(-width // 8)
    padded = np.zeros((n, words * 8), dtype=np.uint8)
    padded[:, :width] = np.ascontiguousarray(raw).view(np.uint8).reshape(n, width)
    keys = padded.view(">u8").astype(np.uint64)
    order = np.lexsort(keys.T[::-1]) if words > 1 else np.argsort(keys[:, 0], kind="stable")
    ordered = keys[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.any(ordered[1:] != ordered[:-1], axis=1, out=starts[1:])
    codes = np.empty(n, dtype=np.int64)
    codes[order] = np.cumsum(starts) - 1
    return raw[order[starts]], codes


def categorize(raw: np.ndarray, with_counts: bool = False):
    """(labels, codes[, counts]): labels sorted, stripped str; labels[codes] is the decoded column."""
    if len(raw) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return (np.array([], dtype=str), empty, empty) if with_counts else (np.array([], dtype=str), empty)
    uniq, codes = _unique(raw)
    flat = np.frombuffer(uniq.tobytes(), dtype=np.uint8)
    if flat.size == 0 or int(flat.max()) < 128:
        labels = uniq.astype("U")  # ASCII: one block conversion
        needs_strip = bool(np.isin(flat, _ASCII_SPACE).any())
        if needs_strip:
            labels = np.char.strip(labels)
    else:  # non-ASCII (Chinese names): decode each distinct value; strip() also removes 　 and NBSP
        labels = np.array([u.decode("utf-8", "replace").strip() for u in uniq.tolist()], dtype=str)
        needs_strip = True
    if needs_strip:
        # Stripping can make two raw values equal: merge them so labels stay distinct and sorted.
        labels, remap = np.unique(labels, return_inverse=True)
        codes = remap[codes]
    if with_counts:
        counts = np.bincount(codes, minlength=len(labels))
        return labels, codes, counts
    return labels, codes


def decode(raw: np.ndarray) -> np.ndarray:
    """The column as a numpy unicode array."""
    labels, codes = categorize(raw)
    return labels[codes] if len(labels) else np.full(len(raw), "")
