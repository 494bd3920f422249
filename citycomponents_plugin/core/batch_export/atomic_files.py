"""Atomic file writes: a temporary name in the destination folder, then os.replace.

A reader (or a cancelled/failed run) never sees a half-written output: either the old file, the new
complete file, or nothing. Temporary files are removed on any exception, including KeyboardInterrupt.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from typing import BinaryIO, Iterable, Iterator

from citycomponents_plugin.core.errors import CityComponentsError

TEMP_PREFIX = ".citycomponents-"
TEMP_SUFFIX = ".tmp"


@contextmanager
def atomic_file(final_path: str) -> Iterator[BinaryIO]:
    """Yield a binary file under a temporary name next to `final_path`; on success it becomes `final_path`."""
    folder = os.path.dirname(final_path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise unwritable_error(folder, exc) from exc
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
        except OSError as exc:
            raise write_error(final_path, exc) from exc
        try:
            if os.name == "posix":
                os.chmod(tmp, _file_mode())  # mkstemp's 0600 would hide the results from colleagues
            os.replace(tmp, final_path)
        except PermissionError as exc:
            raise CityComponentsError(
                f"Cannot replace '{final_path}' ({exc.strerror}). Close it if it is open in another program "
                "(Excel, WPS, Word) and run again.") from exc
        except OSError as exc:
            raise write_error(final_path, exc) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@lru_cache(maxsize=1)
def _file_mode() -> int:
    """The mode open() would give a new file: 0666 minus the umask (read without changing it where possible)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(final_path: str, chunks: Iterable[bytes]) -> None:
    """Write an iterable of bytes chunks atomically."""
    with atomic_file(final_path) as fh:
        fh.writelines(chunks)


def write_error(path: str, exc: OSError) -> CityComponentsError:
    """A write failure, explained (a full disk is the common case)."""
    hint = "The disk is full: free space or choose another OUTPUT_FOLDER." if exc.errno == errno.ENOSPC \
        else "Check that the folder is writable, or choose another OUTPUT_FOLDER."
    return CityComponentsError(f"Could not write '{path}': {exc.strerror or exc}. {hint}")


def unwritable_error(folder: str, exc: OSError) -> CityComponentsError:
    return CityComponentsError(
        f"The output folder '{folder}' is not writable ({exc.strerror or exc}). Choose a folder you can write to "
        "(OUTPUT_FOLDER).")


def prepare_folder(folder: str) -> None:
    """Create `folder` (and parents) and prove that a file can be created in it, before any work is done."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CityComponentsError(f"The output folder '{folder}' is an existing file, not a folder. Choose a "
                                  "folder (OUTPUT_FOLDER).")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise CityComponentsError(
            f"The output folder '{folder}' cannot be created ({exc.strerror or exc}). Choose a folder you can "
            "write to (OUTPUT_FOLDER).") from exc
    try:
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise unwritable_error(folder, exc) from exc
    os.close(fd)
    os.unlink(probe)
