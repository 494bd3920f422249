"""The panel's district index: built in a QgsTask with the algorithms' engine, kept until its data change.

Building reads every component (about a second on a Dongcheng-sized district, several at 10x), so it runs
in QGIS's task manager (progress there and in the panel, cancellable) while QGIS stays responsive. The
result is kept only if the layers are still as they were when the build started (core.index_cache's
signature); otherwise it is dropped and `stale` asks for a new build. Layer signals (edits, filter,
removal) invalidate a kept index at once.

Like Processing's background runs, the task reads the project's layers from a worker thread; a layer the
build uses is never deleted under it: `release_layers` cancels the build and waits for it first.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsApplication, QgsProcessingFeedback, QgsProject, QgsTask
from qgis.PyQt.QtCore import QEventLoop, QObject, QTimer, pyqtSignal

from citycomponents_plugin.core.database.region_index import RegionCounter, build_region_index, region_index_possible
from citycomponents_plugin.core.engine import index_cache
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.engine.layer_copies import (
    cloned_inputs,
    copied_inputs,
    original_sources,
    release_copies,
    restore_sources,
)
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError
from citycomponents_plugin.gui.i18n import tr
from citycomponents_plugin.gui.layer_settings import LayerSettings
from citycomponents_plugin.gui.type_tree import classify


class _TaskFeedback(QgsProcessingFeedback):
    """The engine's feedback inside the task: progress to the task, cancelled with it."""

    def __init__(self, task: QgsTask) -> None:
        super().__init__()
        self._task = task

    def setProgress(self, progress: float) -> None:  # noqa: N802 - Qt name
        super().setProgress(progress)
        self._task.setProgress(progress)

    def isCanceled(self) -> bool:  # noqa: N802 - Qt name
        return super().isCanceled() or self._task.isCanceled()


class IndexBuildTask(QgsTask):
    """build_index(inputs) on a worker thread; `done(task)` is called on the main thread when it ends.

    With `regions_first` it builds the region index instead (core/database/region_index.py) from clones
    of the layers; `index` stays None when the layers do not qualify (the whole build follows then).
    """

    def __init__(self, inputs: DistrictInputs, signature: tuple, key: tuple, done, project: QgsProject,
                 regions_first: bool = False) -> None:
        super().__init__(tr("City Components: reading the grids and regions") if regions_first
                         else tr("City Components: reading the layers"), QgsTask.Flag.CanCancel)
        self.regions_first = regions_first
        self.inputs = inputs
        self.signature = signature
        self.key = key
        self.index: Optional[DistrictIndex] = None
        self.classes: Optional[dict] = None  # the type tree's classes (type_tree.classify), computed here too
        self.error: Optional[BaseException] = None
        self.cancelled = False
        self.ended = False
        self._done = done
        self.feedback = _TaskFeedback(self)
        # What the worker reads (SPEC 8): copies of the project's layers, made here on the main thread and
        # let go of in finished(), on the main thread too. `inputs` (the project's layers) is never read.
        # The region index asks the database: clones name the same tables, and are kept for its counts.
        self.copies = cloned_inputs(inputs, project) if regions_first else copied_inputs(inputs, project)

    def run(self) -> bool:  # worker thread: no widgets, no project layers, only the copies made for it
        try:
            copies = self.copies
            if self.regions_first:
                index = build_region_index(copies, self.feedback)
                if index is not None:
                    self.classes = classify(index)  # by type name: the index holds no component
                self.index = index
                return True
            index = build_index(copies, self.feedback)
            restore_sources(index, original_sources(copies))
            self.classes = classify(index)  # one pass over every 标识码: not on the main thread either
            self.index = index
            return True
        except CancelledError:
            self.cancelled = True
        except Exception as exc:  # noqa: BLE001 - handed to the panel, which puts it in words
            self.error = exc
        return False

    def cancel(self) -> None:
        self.feedback.cancel()
        super().cancel()

    def finished(self, result: bool) -> None:  # main thread
        self.ended = True
        if self.index is None or not self.index.components_in_database:
            self.copies = None  # the copies are deleted here, in the thread they belong to
        self.cancelled = self.cancelled or (not result and self.error is None)
        done, self._done = self._done, None
        if done is not None:
            done(self)


class IndexCache(QObject):
    """core.index_cache.IndexCache for the panel: keyed by its settings, built in a task, with Qt signals.

    built(index): a new index is ready; failed(exception): the build refused the inputs (or a bug);
    cancelled(): the operator cancelled it; stale(): the layers changed during the build, build again;
    invalidated(): a kept index was dropped because its data changed; progressChanged(percent).
    """

    built = pyqtSignal(object)
    failed = pyqtSignal(object)
    cancelled = pyqtSignal()
    stale = pyqtSignal()
    invalidated = pyqtSignal()
    progressChanged = pyqtSignal(float)  # noqa: N815 - Qt naming

    def __init__(self, project: Optional[QgsProject] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self._cache = index_cache.IndexCache(on_invalidated=self._data_changed)
        self.key: Optional[tuple] = None
        self.component_layers: list = []  # QgsVectorLayer per index.layers entry (comp_layer values)
        self.region_layers: dict = {}  # role -> QgsVectorLayer (grids, committees, streets, supervisors)
        self.classes: Optional[dict] = None  # type_tree.classify(index) of the kept index
        # The kept index is the region index (components_in_database): its counts are asked of the
        # database through this, while the whole index is built.
        self.counter: Optional[RegionCounter] = None
        self.task: Optional[IndexBuildTask] = None  # the build under way
        self._settings: Optional[LayerSettings] = None
        self.project.layersWillBeRemoved.connect(self.release_layers)

    @property
    def index(self) -> Optional[DistrictIndex]:
        return self._cache.cached()

    @property
    def builds(self) -> int:
        """How many builds were kept (tests check the cache works)."""
        return self._cache.builds

    def building(self) -> bool:
        return self.task is not None

    def current(self, settings: LayerSettings) -> Optional[DistrictIndex]:
        """The index if it matches the settings and nothing changed since; None otherwise."""
        if self.index is None or self.key != settings.key():
            return None
        return self._cache.current(settings.to_inputs(self.project))

    def start(self, settings: LayerSettings) -> Optional[IndexBuildTask]:
        """Build the index for these settings in a task (None when the kept one is current).

        A build already running for the same settings and data goes on; one for other settings is
        cancelled (its result would be stale).
        """
        if self.current(settings) is not None:
            return None
        inputs = settings.to_inputs(self.project)
        signature = index_cache.inputs_signature(inputs)
        running = self.task
        if running is not None and running.key == settings.key() and running.signature == signature:
            return running
        self.cancel()
        self.clear()
        return self._launch(settings, inputs, signature, region_index_possible(inputs))

    def _launch(self, settings: LayerSettings, inputs: DistrictInputs, signature: tuple,
                regions_first: bool) -> Optional[IndexBuildTask]:
        try:
            task = IndexBuildTask(inputs, signature, settings.key(), self._task_ended, self.project, regions_first)
        except CityComponentsError as exc:  # a layer could not be copied whole (a damaged file)
            self.failed.emit(exc)
            return None
        task.progressChanged.connect(self.progressChanged)
        self.task = task
        self._settings = settings
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel(self) -> None:
        """Stop the build under way (its result, if any, is dropped)."""
        task, self.task = self.task, None
        if task is not None and not task.ended:
            task.cancel()

    def wait(self, timeout_ms: int = 600_000) -> None:
        """Turn the event loop until the build under way has ended (scripts and tests)."""
        task = self.task
        if task is None:
            return
        loop = QEventLoop()
        self.built.connect(loop.quit)
        self.failed.connect(loop.quit)
        self.cancelled.connect(loop.quit)
        self.stale.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        if not task.ended and self.task is task:
            loop.exec()
        for signal in (self.built, self.failed, self.cancelled, self.stale):
            signal.disconnect(loop.quit)

    def release_layers(self, layer_ids) -> None:
        """Layers are about to be deleted: a build reading one of them is cancelled and waited for."""
        task = self.task
        if task is None or task.ended:
            return
        used = {lyr.id() for lyr in (task.inputs.grids, task.inputs.committees, task.inputs.streets,
                                     task.inputs.supervisors, *task.inputs.components) if lyr is not None}
        if used & set(layer_ids):
            self.task = None
            task.cancel()
            try:
                task.waitForFinished(60_000)
            except RuntimeError:  # ended and deleted meanwhile
                pass

    def _task_ended(self, task: IndexBuildTask) -> None:
        if task is not self.task:  # cancelled or replaced: nobody waits for it
            if task.index is not None and task.index.components_in_database:
                release_copies(task.copies)
            return
        self.task = None
        settings, self._settings = self._settings, None
        if task.regions_first and not task.cancelled and task.error is None:
            self._regions_ended(task, settings)
            return
        if task.index is not None:
            if not self._cache.adopt(task.inputs, task.index, task.signature):
                self.stale.emit()
                return
            self._forget_layers()  # the region index and its connection, if it was kept
            self._keep(task, settings)
            self.built.emit(task.index)
        elif task.error is not None:
            self.failed.emit(task.error)
        else:
            self.cancelled.emit()

    def _keep(self, task: IndexBuildTask, settings: LayerSettings) -> None:
        """What goes with an adopted index: its settings' key, type classes and the layers it was read from."""
        self.key = task.key
        self.classes = task.classes
        self.component_layers = list(task.inputs.components)
        self.region_layers = {role: settings.layer(role, self.project)
                              for role in ("grids", "committees", "streets", "supervisors")}

    def _regions_ended(self, task: IndexBuildTask, settings: LayerSettings) -> None:
        """The region index is kept and shown; the whole index is built next (or at once without one)."""
        if task.index is not None:
            if not self._cache.adopt(task.inputs, task.index, task.signature):
                release_copies(task.copies)
                self.stale.emit()
                return
            self._keep(task, settings)
            self.counter = RegionCounter(task.index, task.copies)
        # launched before the region index is announced, so the panel sees the components being read
        self._launch(settings, task.inputs, task.signature, False)
        if task.index is not None:
            self.built.emit(task.index)

    def _data_changed(self) -> None:
        """A layer's data, filter or existence changed: the next query rebuilds."""
        self._forget_layers()
        self.invalidated.emit()

    def clear(self) -> None:
        self._cache.clear()
        self._forget_layers()

    def shutdown(self) -> None:
        """Plugin unload: stop a build, wait for it, let go of the project."""
        task = self.task
        self.cancel()
        if task is not None and not task.ended:
            try:
                task.waitForFinished(60_000)
            except RuntimeError:  # already deleted by the task manager
                pass
        try:
            self.project.layersWillBeRemoved.disconnect(self.release_layers)
        except TypeError:
            pass
        self.clear()

    def _forget_layers(self) -> None:
        counter, self.counter = self.counter, None
        if counter is not None:
            counter.close()
            release_copies(counter.inputs)
        self.key = None
        self.classes = None
        self.component_layers = []
        self.region_layers = {}
