"""Ctrl+C reaches a run on qgis_process's main thread: its event loop gets a turn between two files.

Why: qgis_process 3.22 turns SIGINT into feedback.cancel() through a socket notifier, which only fires
when the main thread's event loop runs. An algorithm on the main thread (every qgis_process run, and
the booklets everywhere) never returns to that loop until it ends, so Ctrl+C during a batch export was
seen late or not at all, and the run finished and exited 0. A worker thread's run is cancelled
directly by the dialog's Cancel and needs nothing of this.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, QThread


class EventsOnCancelCheck:
    """The feedback as it is, except that asking whether the run is cancelled first lets pending events in
    (on the main thread only), so that a cancel queued there is seen."""

    def __init__(self, feedback) -> None:
        self._feedback = feedback

    def __getattr__(self, name: str):
        return getattr(self._feedback, name)

    def isCanceled(self) -> bool:  # noqa: N802 - QgsFeedback's name
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() == app.thread():
            QCoreApplication.processEvents()
        return self._feedback.isCanceled()
