"""One run at a time per output folder: a lock file, stale-lock takeover, and the sweep of dead runs' temp files.

Why: two runs writing into one folder mix their outputs (the manifest of one, the files of the other),
and a run killed with SIGKILL leaves `.citycomponents-*.tmp` files that nothing else removes. The lock
file records who holds the folder (pid, host, start time); it is stale when that process is gone on
this host, and a stale lock is taken over. Only the holder of the lock sweeps temporary files, so every
temporary file it finds belongs to a run that is no longer writing.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime, timezone
from typing import Optional

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.atomic import TEMP_PREFIX, TEMP_SUFFIX

LOCK_NAME = ".citycomponents.lock"
TAKEOVER_TRIES = 3


def _host() -> str:
    return socket.gethostname()


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists on this host (a zombie counts as gone on Linux)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def read_lock(path: str) -> Optional[dict]:
    """The lock's record, {} when it cannot be parsed (a run killed while writing it), None when absent."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        return {}
    try:
        record = json.loads(text)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def is_stale(record: dict) -> bool:
    """A lock is stale when its process is gone on this host; a lock from another host is never stale here."""
    if record.get("host") != _host():
        return False
    try:
        pid = int(record.get("pid", 0))
    except (TypeError, ValueError):
        return True
    return not process_alive(pid)


class RunLock:
    """The lock of one run on one folder; use as a context manager (`with RunLock(folder, "batchexport"):`)."""

    def __init__(self, folder: str, tool: str, parameter: str = "OUTPUT_FOLDER") -> None:
        self.folder = folder
        self.tool = tool
        self.parameter = parameter
        self.path = os.path.join(folder, LOCK_NAME)
        self.record = {"pid": os.getpid(), "host": _host(), "tool": tool,
                       "started": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")}
        self.held = False
        self.took_over: Optional[dict] = None  # the stale record replaced, if any
        self.swept: list = []  # temporary files of dead runs removed

    def acquire(self) -> RunLock:
        """Take the folder, or raise `folder_locked` naming the run that holds it. Then sweep dead runs' temp files."""
        data = (json.dumps(self.record, ensure_ascii=False) + "\n").encode("utf-8")
        for _ in range(TAKEOVER_TRIES):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                other = read_lock(self.path)
                if other is None:
                    continue  # released meanwhile: try again
                if not other:  # unparsable: being written right now, or by a run killed meanwhile
                    if not self._unparsable_is_old():
                        raise self._locked_error(other) from None
                elif not is_stale(other):
                    raise self._locked_error(other) from None
                self.took_over = other
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise self._locked_error(other) from exc
                continue
            except OSError as exc:
                raise CityComponentsError("folder_unwritable", self.parameter, folder=self.folder,
                                          reason=exc.strerror or str(exc)) from exc
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            self.held = True
            self.swept = sweep_temporary_files(self.folder)
            return self
        raise self._locked_error(read_lock(self.path) or {})

    def _unparsable_is_old(self) -> bool:
        """An unreadable lock is a run killed between creating and writing it, unless it is seconds old."""
        try:
            age = datetime.now().timestamp() - os.stat(self.path).st_mtime
        except OSError:
            return True
        return age > 10

    def _locked_error(self, other: dict) -> CityComponentsError:
        return CityComponentsError("folder_locked", self.parameter, folder=self.folder,
                                   tool=str(other.get("tool", "?")), pid=str(other.get("pid", "?")),
                                   host=str(other.get("host", "?")), started=str(other.get("started", "?")),
                                   lock=LOCK_NAME)

    def release(self) -> None:
        """Remove the lock, if it is still ours."""
        if not self.held:
            return
        self.held = False
        current = read_lock(self.path)
        if current and current.get("pid") == self.record["pid"] and current.get("started") == self.record["started"] \
                and current.get("host") == self.record["host"]:
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *_exc) -> None:
        self.release()


def report_lock(feedback, lock: RunLock) -> None:
    """What taking the folder changed, in the run's log: a stale lock taken over, temporary files removed."""
    from citycomponents_plugin.core.messages import Message, warn

    if not hasattr(feedback, "pushWarning"):  # a plain QgsFeedback has no log
        return
    if lock.took_over is not None:
        warn(feedback, Message("lock_taken_over", {"folder": lock.folder,
                                                   "pid": str(lock.took_over.get("pid", "?")),
                                                   "started": str(lock.took_over.get("started", "?"))}))
    if lock.swept:
        warn(feedback, Message("temporary_files_removed", {"count": len(lock.swept), "folder": lock.folder}))


def sweep_temporary_files(folder: str) -> list:
    """Remove `.citycomponents-*.tmp` (and -*.pdf, -*.xlsx) temporaries under `folder` (one level of
    sub-folders, as the outputs are laid out); returns the paths removed. Only a lock holder calls this."""
    removed = []
    for root in [folder] + _subfolders(folder):
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            if name.startswith(TEMP_PREFIX) and name != LOCK_NAME and \
                    (name.endswith(TEMP_SUFFIX) or name.endswith(".pdf")):
                path = os.path.join(root, name)
                try:
                    if os.path.isfile(path) and not os.path.islink(path):
                        os.unlink(path)
                        removed.append(path)
                except OSError:
                    continue
    return removed


def _subfolders(folder: str) -> list:
    try:
        return [e.path for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
