"""Damaged inputs made on the fly: garbage in a GeoPackage's feature pages, truncated or missing shapefile parts."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path


def damage_gpkg(src: Path, dst: Path, table: str, fraction: float = 0.5, size: int = 8192, seed: int = 11) -> int:
    """Copy `src` to `dst` and overwrite `size` bytes of garbage from the start of the page that holds
    the geometry of the feature `fraction` of the way through `table`; returns the offset written.

    Finding the page through a real feature's bytes makes sure the damage hits feature data (not free
    pages or an index), which is what a bad sector or a broken copy does.
    """
    shutil.copyfile(src, dst)
    con = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        fids = [r[0] for r in con.execute(f'SELECT fid FROM "{table}" ORDER BY fid')]
        fid = fids[int(len(fids) * fraction)]
        blob = con.execute(f'SELECT geom FROM "{table}" WHERE fid = ?', (fid,)).fetchone()[0]
    finally:
        con.close()
    data = dst.read_bytes()
    hit = data.find(bytes(blob))
    if hit < 0:
        raise AssertionError(f"feature {fid} of {table} not found in the file")
    offset = hit - hit % page_size
    garbage = random.Random(seed).randbytes(size)
    with open(dst, "r+b") as fh:
        fh.seek(offset)
        fh.write(garbage)
    return offset


def truncate_file(path: Path, keep: float = 0.5) -> int:
    """Cut a file to `keep` of its size (a copy that stopped half-way); returns the new size."""
    size = int(path.stat().st_size * keep)
    with open(path, "r+b") as fh:
        fh.truncate(size)
    return size


def write_dbf(path: Path, fields: list, rows: list, encoding: str) -> None:
    """A dBASE III table as Chinese Windows tools write it: text fields, names and values in `encoding`,
    names cut to 10 bytes at a character boundary, no .cpg. rows: tuples of str (None for NULL)."""
    import struct

    names = []
    for name in fields:
        raw = name.encode(encoding)[:10]
        names.append(raw.decode(encoding, "ignore").encode(encoding))
    width = 50
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + width * len(fields)
    out = bytearray(struct.pack("<BBBBIHH20x", 3, 126, 12, 3, len(rows), header_len, record_len))
    for raw in names:
        out += struct.pack("<11sc4xB15x", raw, b"C", width)
    out += b"\r"
    for row in rows:
        out += b" "
        for value in row:
            data = (value or "").encode(encoding)[:width]
            out += data + b" " * (width - len(data))
    out += b"\x1a"
    Path(path).write_bytes(bytes(out))
