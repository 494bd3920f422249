"""An algorithm's error is printed once by qgis_process, not three times.

Why three: qgis_process echoes every Critical entry of QGIS's message log to stderr. When an
algorithm raises QgsProcessingException, QgsProcessingAlgorithm::run() (C++) logs the message as
Critical (copy 1), then calls feedback.reportError(), which qgis_process prints as "ERROR:<tab>..."
(copy 2) and whose base class, QgsProcessingFeedback, logs it as Critical once more (copy 3). Every
algorithm does this, QGIS's native ones too; the plugin adds no copy of its own.

The fix keeps the one channel meant for the user: the "ERROR:" line. With --json, qgis_process 3.22
prints no "ERROR:" line and no JSON at all for a failed run, so there the first message-log copy is
kept instead. Only qgis_process is affected: in QGIS desktop the message log feeds the Log Messages
panel, and processing.run() callers get the exception, so nothing is silenced there.
"""

from __future__ import annotations

import functools

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTimer


def _in_qgis_process() -> bool:
    return QgsApplication.platform() == "qgis_process"


def _json_output(arguments: list) -> bool:
    """qgis_process writes JSON when --json comes before the parameters, or the parameters come from stdin."""
    head = arguments[:arguments.index("--")] if "--" in arguments else arguments
    return "--json" in head or head[-1:] == ["-"]


def _keep_copies(arguments: list) -> int:
    """How many message-log copies of the error qgis_process should still print (0 or 1)."""
    return 1 if _json_output(arguments) else 0


class _CopyCounter:
    """Lets `keep` Critical message-log entries reach qgis_process's stderr echo, then blocks the log."""

    def __init__(self, log, keep: int) -> None:
        self.log = log
        self.keep = keep

    def received(self, message, tag, level) -> None:  # noqa: ARG002 - signal signature
        self.keep -= 1
        if self.keep <= 0:
            self.stop()

    def stop(self) -> None:
        # Slots later in this emission still run; the next emissions (the duplicate copies) are blocked.
        self.log.blockSignals(True)
        try:
            self.log.messageReceived.disconnect(self.received)
        except (TypeError, KeyError):
            pass


_active: list = []  # keeps the counter alive until the log is released


def _release(log) -> None:
    log.blockSignals(False)
    _active.clear()


def silence_duplicate_copies() -> None:
    """Called when an algorithm fails in qgis_process: QGIS's duplicate copies of the message stay unprinted."""
    if not _in_qgis_process():
        return
    log = QgsApplication.messageLog()
    keep = _keep_copies(QCoreApplication.arguments())
    counter = _CopyCounter(log, keep)
    if keep <= 0:
        counter.stop()
    else:
        log.messageReceived.connect(counter.received)
        _active.append(counter)
    # The copies are logged before control returns to the event loop; anything later is printed again.
    QTimer.singleShot(0, lambda: _release(log))


def report_errors_once(process_algorithm):
    """Decorator for processAlgorithm: the error still fails the run (non-zero exit), printed once."""

    @functools.wraps(process_algorithm)
    def run(self, parameters, context, feedback):
        try:
            return process_algorithm(self, parameters, context, feedback)
        except Exception:
            silence_duplicate_copies()
            raise

    return run
