"""Atomic file writes: a temporary name in the destination folder, then os.replace.

A reader (or a cancelled/failed run) never sees a half-written output: either the old file, the new
complete file, or nothing. Temporary files are removed on any exception, including KeyboardInterrupt.
"""

from __future__ import annotations

import errno
import os
import tempfile
import uuid
from contextlib import contextmanager
from typing import BinaryIO, Iterable, Iterator

from citycomponents_plugin.core.errors import CityComponentsError

TEMP_PREFIX = ".citycomponents-"
TEMP_SUFFIX = ".tmp"


@contextmanager
def atomic_path(final_path: str, suffix: str = TEMP_SUFFIX) -> Iterator[str]:
    """Yield a fresh temporary path next to `final_path` for a writer that creates the file itself
    (QPdfWriter, the workbook writer); on success the file becomes `final_path`, on any exception it is removed."""
    tmp = os.path.join(os.path.dirname(final_path), f"{TEMP_PREFIX}{uuid.uuid4().hex}{suffix}")
    try:
        yield tmp
        try:
            os.replace(tmp, final_path)
        except PermissionError as exc:
            raise CityComponentsError("file_locked", path=final_path, reason=exc.strerror or str(exc)) from exc
        except OSError as exc:
            raise write_error(final_path, exc) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def atomic_file(final_path: str) -> Iterator[BinaryIO]:
    """Yield a binary file under a temporary name next to `final_path`; on success it becomes `final_path`."""
    with atomic_path(final_path) as tmp:
        try:
            fh = open(tmp, "xb")  # the usual permissions (0666 minus umask), never an existing file
        except OSError as exc:
            raise unwritable_error(os.path.dirname(final_path), exc) from exc
        try:
            with fh:
                yield fh
        except OSError as exc:
            raise write_error(final_path, exc) from exc


def write_bytes_atomic(final_path: str, chunks: Iterable[bytes]) -> None:
    """Write an iterable of bytes chunks atomically."""
    with atomic_file(final_path) as fh:
        fh.writelines(chunks)


def write_error(path: str, exc: OSError) -> CityComponentsError:
    """A write failure, explained (a full disk is the common case)."""
    return CityComponentsError("disk_full" if exc.errno == errno.ENOSPC else "write_failed", "OUTPUT_FOLDER",
                               path=path, reason=exc.strerror or str(exc))


def unwritable_error(folder: str, exc: OSError) -> CityComponentsError:
    return CityComponentsError("folder_unwritable", "OUTPUT_FOLDER", folder=folder, reason=exc.strerror or str(exc))


def prepare_folder(folder: str) -> None:
    """Create `folder` (and parents) and prove that a file can be created in it, before any work is done."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CityComponentsError("folder_is_file", "OUTPUT_FOLDER", folder=folder)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise CityComponentsError("folder_uncreatable", "OUTPUT_FOLDER", folder=folder,
                                  reason=exc.strerror or str(exc)) from exc
    try:
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise unwritable_error(folder, exc) from exc
    os.close(fd)
    os.unlink(probe)
