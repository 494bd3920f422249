"""Region keys made into file names that are safe on Windows, macOS and Linux, and stay in their folder.

Region names come from the data: `../x`, `C:\\x`, `CON` or `a/b` must neither escape the output folder
nor fail on another operating system. Names are unique per folder case-insensitively (Windows and
macOS file systems are case-insensitive), checked on the full file names a region produces.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Sequence

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.sanitize import (
    BIDI_CONTROLS,
    C0_CONTROLS,
    C1_CONTROLS,
    NONCHARACTERS,
    SURROGATES,
    TARGET_FILE_NAME,
)

_WINDOWS_FORBIDS = '\\/:*?"<>|'  # path separators included
# Controls, bidirectional controls (which make a name display as another), lone surrogates and
# noncharacters: the character classes of core/files/sanitize.py, shared by every writer.
_UNSAFE = re.compile("[" + re.escape(_WINDOWS_FORBIDS) + C0_CONTROLS + C1_CONTROLS + BIDI_CONTROLS + SURROGATES
                     + NONCHARACTERS + "]")
# Windows device names: reserved with any extension and in any case ("nul.txt", "Com1 .tar.gz").
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
                     | {f"{p}{n}" for p in ("COM", "LPT") for n in list("0123456789") + ["¹", "²", "³"]})
MAX_BASE_BYTES = 150  # leaves room for suffixes within the usual 255-byte name limit


def safe_file_base(key: str) -> str:
    """A file-name stem for `key` that is valid on Windows, macOS and Linux and cannot leave its folder.

    The one rule for every file named after data (batch export, booklets, the dialog's Save): unsafe
    characters become '_'; leading and trailing dots and spaces go (Windows drops trailing ones, a
    leading dot hides the file); a device name gets '_' after its stem; at most MAX_BASE_BYTES in UTF-8.
    """
    name = _UNSAFE.sub("_", str(key)).strip(" .") or "_"
    stem = name.split(".", 1)[0].rstrip(" ")  # Windows ignores spaces before the extension: "NUL .txt"
    if stem.upper() in _DEVICES:
        name = stem + "_" + name[len(stem):]
    while len(name.encode("utf-8")) > MAX_BASE_BYTES:
        name = name[:-1]
    return name.rstrip(" .") or "_"


def report_file_name(replacements, owner: tuple, key: str) -> None:
    """Record in `replacements` (sanitize.Replacements) a key that does not make its file name as it is."""
    base = safe_file_base(key)
    if base != key:
        replacements.add(owner, key, base, TARGET_FILE_NAME)


def unique_bases(keys: Sequence[str], suffixes: Iterable[str]) -> list:
    """A distinct safe base per key, so that no two keys share any `base + suffix` (case-insensitively).

    Suffixes matter: region '甲' writes 甲统计结果.txt, which region '甲统计结果' would write as its detail.
    Keys are processed in the given order, so names are stable between runs.
    """
    suffixes = list(suffixes)
    used: set = set()
    bases = []
    for key in keys:
        base = safe_file_base(key)
        candidate, n = base, 1
        while any((candidate + s).casefold() in used for s in suffixes):
            n += 1
            candidate = f"{base}_{n}"
        used.update((candidate + s).casefold() for s in suffixes)
        bases.append(candidate)
    return bases


def contained_path(folder: str, *parts: str) -> str:
    """Join `parts` under `folder` and refuse any result that resolves outside it (symlinks included)."""
    root = os.path.realpath(folder)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) != root or path == root:
        raise CityComponentsError("path_outside_folder", path=os.path.join(*parts), folder=folder)
    return path


def relative_posix(folder: str, path: str) -> str:
    """Manifest form of a path: relative to the output folder, forward slashes."""
    return os.path.relpath(path, os.path.realpath(folder)).replace(os.sep, "/")
