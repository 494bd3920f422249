"""Run the plugin's algorithms from the dialog as QGIS tasks, with progress and cancel.

Algorithms run by id through the Processing registry (never imported), on the project's layers, so the
files are the ones the toolbox and qgis_process write. Threaded algorithms run in a
QgsProcessingAlgRunnerTask. QGIS 3.22's task runs every algorithm in a worker thread, so an algorithm
flagged FlagNoThreading (the booklet lays out maps) runs on the main thread instead, as QGIS's own
algorithm dialog does: a QgsProxyProgressTask shows it in the task manager, and the feedback keeps the
event loop turning so progress shows and Cancel works.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsProxyProgressTask,
)
from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal

from citycomponents_plugin.core import compat
from citycomponents_plugin.gui.i18n import tr


class CollectingFeedback(QgsProcessingFeedback):
    """Keeps the algorithm's error messages: they explain a failure in the operator's words."""

    def __init__(self, keep_ui_alive: bool = False) -> None:
        super().__init__()
        self.errors: list = []
        self.keep_ui_alive = keep_ui_alive

    def reportError(self, error: str, fatalError: bool = False) -> None:  # noqa: N803 - Qt signature
        self.errors.append(str(error))
        super().reportError(error, fatalError)

    def setProgress(self, progress: float) -> None:  # noqa: N802 - Qt name
        super().setProgress(progress)
        if self.keep_ui_alive:  # main-thread run: let the progress bar paint and Cancel be clicked
            QCoreApplication.processEvents()


# Runs detached from a closing dialog stay referenced here until their task has finished.
_RUNNING: set = set()


class AlgorithmRun(QObject):
    """One algorithm run; emits finished(ok, results, message) once, on the main thread."""

    progressChanged = pyqtSignal(float)  # noqa: N815 - Qt naming
    finished = pyqtSignal(bool, dict, str)

    def __init__(self, algorithm_id: str, parameters: dict, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.algorithm_id = algorithm_id
        self.parameters = dict(parameters)
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.feedback: Optional[CollectingFeedback] = None
        self.task = None
        self.proxy_task = None
        self.done = False
        self.ok = False
        self.results: dict = {}
        self.message = ""

    def runs_on_main_thread(self) -> bool:
        """No-threading algorithms (booklets: layout export) run here, on the main thread."""
        algorithm = QgsApplication.processingRegistry().algorithmById(self.algorithm_id)
        return algorithm is not None and bool(algorithm.flags() & compat.ALGORITHM_NO_THREADING)

    def detach(self) -> None:
        """Outlive the dialog: a running task still uses this object's context and feedback."""
        _RUNNING.add(self)
        self.setParent(None)

    def wait(self, timeout_ms: int) -> None:
        """Block until a threaded task has finished (after cancel: between two files)."""
        task = self.task
        if task is not None:
            try:
                task.waitForFinished(timeout_ms)
            except RuntimeError:  # already finished and deleted
                pass

    def start(self) -> bool:
        """Start the run; False (and finished emitted) when the algorithm is not available."""
        algorithm = QgsApplication.processingRegistry().algorithmById(self.algorithm_id)
        if algorithm is None:
            self._finish(False, {}, tr("The algorithm {0} is not available: is the City Components plugin's "
                                       "Processing provider enabled?").format(self.algorithm_id))
            return False
        threaded = not (algorithm.flags() & compat.ALGORITHM_NO_THREADING)
        self.feedback = CollectingFeedback(keep_ui_alive=not threaded)
        self.feedback.progressChanged.connect(self._progress)
        if threaded:
            self.task = QgsProcessingAlgRunnerTask(algorithm, self.parameters, self.context, self.feedback)
            self.task.executed.connect(self._executed)
            if self.task.isCanceled():  # prepare() failed: the parameters were refused
                self._executed(False, {})
                return True
            QgsApplication.taskManager().addTask(self.task)
            return True
        self._run_on_main_thread(algorithm)
        return True

    def _run_on_main_thread(self, algorithm) -> None:
        self.proxy_task = QgsProxyProgressTask(tr("City Components: {0}").format(algorithm.displayName()))
        QgsApplication.taskManager().addTask(self.proxy_task)
        self.feedback.progressChanged.connect(self.proxy_task.setProxyProgress)
        ok, results = False, {}
        try:
            results, ok = algorithm.run(self.parameters, self.context, self.feedback)
            ok = bool(ok) and not self.feedback.isCanceled()
        except QgsProcessingException as exc:
            self.feedback.errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - anything else must still end the run, or the dialog wedges
            self.feedback.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            self.proxy_task.finalize(ok)
            self.proxy_task = None
        self._executed(ok, results or {})

    def cancel(self) -> None:
        if self.feedback is not None:
            self.feedback.cancel()
        if self.task is not None and not self.done:
            try:
                self.task.cancel()
            except RuntimeError:  # the task already finished and was deleted
                pass

    def _progress(self, value: float) -> None:
        self.progressChanged.emit(float(value))

    def _executed(self, ok: bool, results: dict) -> None:
        cancelled = self.feedback is not None and self.feedback.isCanceled()
        if ok:
            message = ""
        elif cancelled:
            message = tr("Cancelled.")
        else:
            errors = [e for e in (self.feedback.errors if self.feedback else []) if e.strip()]
            message = errors[-1] if errors else tr("The run failed; see the Processing log for details.")
        self._finish(bool(ok), dict(results or {}), message)

    def _finish(self, ok: bool, results: dict, message: str) -> None:
        if self.done:
            return
        self.done, self.ok, self.results, self.message = True, ok, results, message
        self.task = None
        _RUNNING.discard(self)
        self.finished.emit(ok, results, message)
