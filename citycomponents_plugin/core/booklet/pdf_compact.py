"""Make a booklet PDF smaller without changing what it shows or its text (a pass after Qt writes it).

Why: the fonts are not what makes a booklet large. Qt's PDF writer already embeds each font as a
subset of the glyphs used (about 45 KB for both weights of Noto Sans CJK in a 94-page booklet); 95%
of the file is the pages' drawing instructions. Two things in them carry no picture: every layout
item opens a graphics-state group that only sets a transform, a colour and a pen and closes again
without drawing (about a third of the instructions), and every coordinate is written with nine
significant digits, where four are finer than a printer dot (one unit is 1/300 inch; four digits
keep a page coordinate to 0.01 mm). The pass drops the empty groups, shortens the numbers to four
significant digits, and saves with object streams. It needs pikepdf (qpdf); where pikepdf is not
installed the PDF is left as Qt wrote it.

pikepdf is never loaded into QGIS's own process: on QGIS 3.40 (Debian 13) qgis_process aborts at
exit when pikepdf's objects are freed during its interpreter teardown. Booklet workers (plain Python
processes) run the pass themselves; the one-process path runs it in a short child process.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

# An empty group: q, then only transforms or Qt's pen reset, then Q (Qt writes each on its own line).
_STATE = rb"(?:[-\d. ]+ cm\n|0 0 0 SCN\n1 w 2 J 2 j \[\]0  d\n)"
_EMPTY_GROUP = re.compile(rb"\nq\n(?:" + _STATE + rb")*Q(?=\n)")
_LONG_NUMBER = re.compile(rb"(\d+)\.(\d{3,})")
SIGNIFICANT = 4
_PASSES = 3  # groups nest: q q Q Q needs one pass per level; Qt nests them at most three deep


def _shorten(match: re.Match) -> bytes:
    whole, fraction = match.group(1), match.group(2)
    if whole != b"0":
        keep = max(SIGNIFICANT - len(whole), 1)
    else:
        keep = len(fraction) - len(fraction.lstrip(b"0")) + SIGNIFICANT
    fraction = fraction[:keep].rstrip(b"0")
    return whole + b"." + fraction if fraction else whole


def compact_content(data: bytes) -> bytes:
    """One page's content stream, with empty groups dropped and numbers shortened."""
    for _ in range(_PASSES):
        shorter = _EMPTY_GROUP.sub(b"", data)
        if shorter == data:
            break
        data = shorter
    return _LONG_NUMBER.sub(_shorten, data)


IN_THIS_PROCESS = False  # set by the booklet worker: a plain Python process may load pikepdf


def available() -> bool:
    return importlib.util.find_spec("pikepdf") is not None


def compact(path: str) -> bool:
    """The pass on the PDF at `path`: here in a worker, else in a child process; False if not done."""
    if not available():
        return False
    if IN_THIS_PROCESS:
        return compact_pdf(path)
    from citycomponents_plugin.core.booklet import parallel

    python = parallel.python_interpreter()
    if python is None:
        return False
    proc = subprocess.run([python, "-m", "citycomponents_plugin.core.booklet.pdf_compact", path],
                          env=parallel.worker_env(), capture_output=True, timeout=600)
    return proc.returncode == 0


def compact_pdf(path: str) -> bool:
    """Rewrite the PDF at `path` in place; False when pikepdf is missing (the file is unchanged)."""
    try:
        import pikepdf
    except ImportError:
        return False
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
            for stream in streams:
                stream.write(compact_content(stream.read_bytes()))
        pdf.save(path, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return True


if __name__ == "__main__":
    sys.exit(0 if compact_pdf(sys.argv[1]) else 1 if os.path.exists(sys.argv[1]) else 2)
