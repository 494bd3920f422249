"""Background runs never touch the project's layers (SPEC 8): the user edits and removes every input layer
while a batch export runs as a QGIS task (gui/tasks.py, in a worker thread) and while booklets run on
the main thread; QGIS stays alive and the output is the answer for the layers as they were at the start."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from itertools import islice

import pytest
from qgis.core import QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QTimer

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.levels import Level

NAMES = ("单元网格", "社区居委会", "监督员责任区", "城市部件")


@pytest.fixture()
def own_sample(sample_gpkg, tmp_path):
    """A copy of the session's sample: the edits below open it for update, which other tests must not see."""
    path = tmp_path / "sample.gpkg"
    shutil.copyfile(sample_gpkg, path)
    return path


def _layers(gpkg) -> dict:
    return {n: QgsVectorLayer(f"{gpkg}|layername={n}", n, "ogr") for n in NAMES}


def _expected_committees(gpkg) -> dict:
    """The answer from layers of our own, read before anything is edited."""
    layers = _layers(gpkg)
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]],
                                       committees=layers["社区居委会"]))
    members = index.members_by_region(Level.COMMITTEE)
    return {r.key: int(len(m)) for r, m in zip(index.regions(Level.COMMITTEE), members)}


def _edit_and_remove(layers: dict) -> None:
    """What a user may do meanwhile: delete components, rename grids, then remove every layer from the project."""
    components, grids = layers["城市部件"], layers["单元网格"]
    components.startEditing()
    assert components.deleteFeatures([f.id() for f in islice(components.getFeatures(), 500)])
    grids.startEditing()
    code = grids.fields().indexOf("网格编码")
    for feature in islice(grids.getFeatures(), 50):
        grids.changeAttributeValue(feature.id(), code, "99999999999999")
    QgsProject.instance().removeMapLayers([layer.id() for layer in layers.values()])


def _wait(condition, bound: float = 600.0) -> None:
    end = time.monotonic() + bound  # a safety bound against a hang, not a speed check
    while not condition():
        assert time.monotonic() < end, "safety bound"
        QCoreApplication.processEvents()
        time.sleep(0.005)


def test_a_batch_export_task_survives_its_layers_being_edited_and_removed(provider, own_sample, qgis_new_project,
                                                                           tmp_path):
    from citycomponents_plugin.gui.tasks import AlgorithmRun

    expected = _expected_committees(own_sample)
    layers = _layers(own_sample)
    QgsProject.instance().addMapLayers(list(layers.values()))
    out = tmp_path / "batch"
    run = AlgorithmRun("citycomponents:batchexport", {
        "GRIDS": layers["单元网格"].id(), "COMMITTEES": layers["社区居委会"].id(),
        "COMPONENTS": [layers["城市部件"].id()], "LEVELS": [2], "FORMATS": [1], "OUTPUT_FOLDER": str(out)})
    assert run.start() and run.task is not None  # a QgsProcessingAlgRunnerTask: the worker thread runs it
    _wait(lambda: run.done or (run.task is not None and run.task.status() == QgsTask.TaskStatus.Running))
    assert not run.done  # the edits below happen while the task runs
    _edit_and_remove(layers)
    assert QgsProject.instance().mapLayers() == {}
    _wait(lambda: run.done)
    assert run.ok, run.message
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert {e["key"]: e["total"] for e in manifest["levels"]["committee"]} == expected
    assert manifest["components_read"] == 16834 and sum(expected.values()) == manifest["assigned"]


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs pdfinfo (poppler-utils)")
def test_booklets_survive_their_layers_being_edited_and_removed(provider, own_sample, qgis_new_project, tmp_path):
    from citycomponents_plugin.gui.tasks import AlgorithmRun

    layers = _layers(own_sample)
    QgsProject.instance().addMapLayers(list(layers.values()))
    out = tmp_path / "booklets"
    run = AlgorithmRun("citycomponents:booklet", {
        "GRIDS": layers["单元网格"].id(), "SUPERVISORS": layers["监督员责任区"].id(),
        "COMPONENTS": [layers["城市部件"].id()], "SUPERVISOR_AREAS": "王府井东", "OUTPUT_FOLDER": str(out)})
    seen: list = []

    def meanwhile() -> None:  # fires in the first event-loop turn the running booklet gives (its progress)
        seen.append(run.done)
        _edit_and_remove(layers)

    QTimer.singleShot(0, meanwhile)
    assert run.runs_on_main_thread()
    run.start()
    _wait(lambda: run.done)
    assert seen == [False]  # the layers went while the booklet was being made
    assert run.ok, run.message
    assert [p.name for p in out.glob("*.pdf")] == ["王府井东.pdf"]
    info = subprocess.run(["pdfinfo", str(out / "王府井东.pdf")], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) > 3
    assert QgsProject.instance().mapLayers() == {}
