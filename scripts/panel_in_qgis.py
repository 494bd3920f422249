"""The statistics panel in a real QGIS under Xvfb: screenshots, and the operator's clicks end to end.

Starts `qgis` with a throw-away profile in which only this plugin is enabled (QGIS_PLUGINPATH points at the
checkout), loads the sample layers and opens the panel from the plugin's toolbar action. Then, by scenario:

- `shot`: picks a committee by clicking the map through the pick tool (real mouse events), clicks 统计,
  optionally leaves an error message showing (`--error`), and grabs the screen and the panel into PNGs.
- `drive`: for each level, a real click on the map through the pick tool, then 统计; saves the result,
  starts a batch export; then `--steps` random steps (pick, count, cancel a build, change a layer, remove
  and add back a layer, undock, redock) from `--seed`, checking the panel after each one. QGIS must
  still be alive at the end: the status is written from inside it.

    python3 scripts/panel_in_qgis.py shot --locale zh-Hans --screen 1366x768 --png docs/images/panel_zh_CN.png
    python3 scripts/panel_in_qgis.py drive --sample sample/dongcheng.gpkg --seed 7 --steps 30

The same file runs inside QGIS (through --code) when CITYCOMPONENTS_SHOT is set.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) if "__file__" in globals() else os.getcwd()
ENV_KEY = "CITYCOMPONENTS_SHOT"
LAYERS = ["兴趣点", "参照物", "门址", "城市部件", "街道办事处", "监督员责任区", "社区居委会", "单元网格"]


# ----- outside QGIS: prepare a profile and run it ----------------------------------------------------
def _profile(base: str, locale: str) -> str:
    """A QGIS profile folder with the plugin enabled and the locale forced."""
    folder = os.path.join(base, "profiles", "default", "QGIS")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "QGIS3.ini"), "w", encoding="utf-8") as fh:
        fh.write("[PythonPlugins]\ncitycomponents_plugin=true\n\n"
                 f"[locale]\nuserLocale={locale}\noverrideFlag=true\nglobalLocale={locale}\n\n"
                 "[qgis]\ncheckVersion=false\nshowTips=false\nallowVersionCheck=false\n"
                 "[core]\nNewsFeed\\httpsfeedqgisorg\\disabled=true\n")
    return base  # QGIS adds the "profiles" folder itself


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=("shot", "drive"))
    parser.add_argument("--locale", default="en_US", help="QGIS user locale, e.g. zh-Hans (default en_US)")
    parser.add_argument("--screen", default="1600x1000", help="Xvfb screen size, WIDTHxHEIGHT")
    parser.add_argument("--png", help="shot: the whole screen (QGIS with the panel docked)")
    parser.add_argument("--panel-png", help="shot: the panel alone")
    parser.add_argument("--error", action="store_true", help="shot: leave an error message showing")
    parser.add_argument("--tab", choices=("query", "results", "layers", "batch"), default="results",
                        help="shot: the panel tab to show (default: results, where 统计 leaves it)")
    parser.add_argument("--sample", help="sample GeoPackage (generated at --scale when missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of a generated sample (default 1.0)")
    parser.add_argument("--postgis", help="the layers from PostGIS instead: a connection as QGIS takes it, e.g. "
                        "\"host=127.0.0.1 port=5432 dbname=city user=reader authcfg=abc1234\"")
    parser.add_argument("--schema", default="public", help="--postgis: the schema holding the sample's tables")
    parser.add_argument("--committee", help="committee to pick (default: the first committee of the first street)")
    parser.add_argument("--seed", type=int, default=1, help="drive: seed of the random steps")
    parser.add_argument("--steps", type=int, default=30, help="drive: number of random steps")
    parser.add_argument("--output", help="drive: folder for the saved result and the batch export")
    parser.add_argument("--timeout", type=int, default=400)
    args = parser.parse_args()
    width, height = (int(v) for v in args.screen.lower().split("x"))

    subprocess.run(["bash", os.path.join(ROOT, "scripts", "build_translations.sh")], check=True)
    work = tempfile.mkdtemp(prefix="citycomponents-shot-")
    sample = os.path.abspath(args.sample) if args.sample else os.path.join(work, "sample.gpkg")
    status = os.path.join(work, "status.json")
    config = {"scenario": args.scenario, "sample": sample, "scale": args.scale, "screen": [width, height],
              "png": os.path.abspath(args.png) if args.png else "",
              "panel_png": os.path.abspath(args.panel_png) if args.panel_png else "",
              "error": args.error, "tab": args.tab, "committee": args.committee, "status": status, "seed": args.seed,
              "steps": args.steps, "postgis": args.postgis or "", "schema": args.schema,
              "output": os.path.abspath(args.output or os.path.join(work, "out"))}
    for path in (config["png"], config["panel_png"]):
        if path:
            os.makedirs(os.path.dirname(path), exist_ok=True)
    env = dict(os.environ, QGIS_PLUGINPATH=ROOT, PYTHONPATH=ROOT, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env[ENV_KEY] = json.dumps(config)
    env.pop("QT_QPA_PLATFORM", None)  # a real X display (Xvfb), not offscreen
    # QGIS's embedded Python finds its prefix through PATH: a pyenv/venv python3 first there hides PyQGIS.
    env["PATH"] = "/usr/bin:/bin:" + env.get("PATH", "")
    for key in [k for k in env if k.startswith(("PYENV", "VIRTUAL_ENV", "PYTHONHOME"))]:
        env.pop(key)
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24", "qgis", "--profiles-path",
           _profile(work, args.locale), "--nologo", "--noversioncheck", "--code", os.path.abspath(__file__)]
    print(" ".join(cmd), flush=True)
    quiet = None if os.environ.get("SHOT_VERBOSE") else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=quiet, stderr=quiet, start_new_session=True)
    try:
        proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print("QGIS did not finish in time: stopping it", file=sys.stderr)
        os.killpg(proc.pid, signal.SIGTERM)  # xvfb-run, Xvfb and qgis: the session this script started
        proc.wait(timeout=20)
    result = {"error": f"no status written (QGIS exit code {proc.returncode})"}
    if os.path.exists(status):
        with open(status, encoding="utf-8") as fh:
            result = json.load(fh)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = "error" not in result
    shutil.rmtree(work, ignore_errors=True)  # the profile, the status and a generated sample
    return 0 if ok else 1


# ----- inside QGIS ---------------------------------------------------------------------------------
def _inside_qgis(config: dict) -> None:  # noqa: C901 - one scenario script, read top to bottom
    """Runs in QGIS's Python: a chain of timers so QGIS paints and tasks finish between the steps."""
    import random
    import time
    import traceback

    from qgis.core import QgsApplication, QgsDataSourceUri, QgsProject, QgsVectorLayer
    from qgis.PyQt.QtCore import QPoint, QRect, Qt, QTimer
    from qgis.PyQt.QtGui import QColor, QGuiApplication
    from qgis.PyQt.QtTest import QTest
    from qgis.PyQt.QtWidgets import QAction
    from qgis.utils import iface, plugins

    from citycomponents_plugin.core.levels import Level
    from citycomponents_plugin.gui import region_cascade as rc

    state: dict = {"steps": [], "log": []}
    width, height = config["screen"]
    project = QgsProject.instance()
    layers: dict = {}

    def finish(error: str = "") -> None:
        if error:
            state["error"] = error
        with open(config["status"], "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False)
        project.setDirty(False)
        QTimer.singleShot(200, lambda: os._exit(0))

    def guarded(func):
        def run() -> None:
            try:
                func()
            except Exception:  # noqa: BLE001 - report and leave QGIS
                finish(traceback.format_exc())
        return run

    def later(ms: int, func) -> None:
        QTimer.singleShot(ms, guarded(func))

    def settle(panel, then, timeout: float = 120.0) -> None:
        """Call `then` once no build is under way (the event loop turns meanwhile)."""
        end = time.monotonic() + timeout

        def poll() -> None:
            if panel.cache.building() or (panel.batch.run is not None and not panel.batch.run.done
                                          and config["scenario"] == "shot"):
                if time.monotonic() > end:
                    finish("the panel's build did not end")
                    return
                later(50, poll)
                return
            later(50, then)
        poll()

    def style(layer: QgsVectorLayer, outline: str, width_mm: float) -> None:
        symbol = layer.renderer().symbol()
        symbol.setColor(QColor(0, 0, 0, 0))
        layer_symbol = symbol.symbolLayer(0)
        if hasattr(layer_symbol, "setStrokeColor"):
            layer_symbol.setStrokeColor(QColor(outline))
            layer_symbol.setStrokeWidth(width_mm)
        layer.triggerRepaint()

    def add_layer(name: str) -> QgsVectorLayer:
        if config["postgis"]:
            uri = QgsDataSourceUri(config["postgis"])
            uri.setDataSource(config["schema"], name, "geom", "", "fid")
            layer = QgsVectorLayer(uri.uri(False), name, "postgres")
            if not layer.isValid():  # the database holds the sample's components, not its address layers
                return layer
        else:
            layer = QgsVectorLayer(f"{config['sample']}|layername={name}", name, "ogr")
        layers[name] = layer
        project.addMapLayer(layer)
        return layer

    def load_layers() -> None:
        if not config["postgis"] and not os.path.exists(config["sample"]):
            from citycomponents_plugin.sample.district import generate_sample_district

            generate_sample_district(config["sample"], scale=config["scale"], per_type_layers=False, seed=20130701)
        iface.mainWindow().setGeometry(QRect(0, 0, width, height))
        for name in reversed(LAYERS):  # each new layer goes on top
            add_layer(name)
        style(layers["单元网格"], "#b0b0b0", 0.1)
        style(layers["社区居委会"], "#3070c0", 0.4)
        style(layers["监督员责任区"], "#60a060", 0.3)
        style(layers["街道办事处"], "#202020", 0.9)
        layers["城市部件"].renderer().symbol().setSize(0.9)
        layers["城市部件"].renderer().symbol().setColor(QColor("#405070"))
        root = project.layerTreeRoot()
        for name in ("兴趣点", "参照物", "门址", "监督员责任区"):
            if name in layers:
                root.findLayer(layers[name].id()).setItemVisibilityChecked(False)
        iface.setActiveLayer(layers["城市部件"])
        iface.mapCanvas().setExtent(layers["单元网格"].extent())
        iface.mapCanvas().refresh()
        state["steps"].append("layers loaded")
        later(1500, open_panel)

    def open_panel() -> None:
        plugin = plugins.get("citycomponents_plugin")
        if plugin is None:
            finish("the plugin is not loaded")
            return
        actions = {a.objectName(): a for a in iface.mainWindow().findChildren(QAction)}
        state["toolbar_action"] = "CityComponentsOpenDialog" in actions
        provider = QgsApplication.processingRegistry().providerById("citycomponents")
        state["algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else []
        actions["CityComponentsOpenDialog"].trigger()  # the operator's toolbar button
        panel = plugin.panel
        state["dock_area"] = int(iface.mainWindow().dockWidgetArea(panel))
        state["steps"].append("panel open")
        def ready() -> None:
            t = time.monotonic()
            panel.ensure_index(report=False)  # the build the panel started on opening, waited for
            state["first_build_wait_s"] = round(time.monotonic() - t, 2)
            shot_scenario(panel) if config["scenario"] == "shot" else drive_scenario(panel)
        later(500, ready)

    # ----- real clicks -------------------------------------------------------------------------------
    def click_region(panel, level: Level, region) -> None:
        """Zoom the map to the region, press its pick button, click inside it (real mouse events)."""
        canvas = iface.mapCanvas()
        layer = panel._region_layer(level)
        feature = layer.getFeature(region.fid)
        geometry = feature.geometry()
        extent = canvas.mapSettings().layerExtentToOutputExtent(layer, geometry.boundingBox())
        extent.scale(1.5)
        canvas.setExtent(extent)
        canvas.refresh()
        QgsApplication.processEvents()
        button = panel.picker.pick_buttons[level]
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # the pick button beside the level's list
        if not button.isChecked():
            raise AssertionError(f"the pick button of {level} did not start the map tool")
        point = canvas.mapSettings().layerToMapCoordinates(layer, geometry.pointOnSurface().asPoint())
        pixel = canvas.getCoordinateTransform().transform(point)
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(pixel.x()), int(pixel.y())))

    def check_pick(panel, level: Level, region) -> None:
        chosen_level, chosen = panel.picker.query()
        if chosen_level != level or chosen.key != region.key:
            raise AssertionError(f"clicked {level} {region.key}, the panel chose {chosen_level} "
                                 f"{getattr(chosen, 'key', None)}")
        if panel.picker._map_tool is not None or panel.picker.pick_buttons[level].isChecked():
            raise AssertionError("the pick tool is still active after the pick")

    def check_consistent(panel) -> None:
        """The panel's invariants: the lists show the choices, the choices nest, a result is the engine's."""
        index = panel.picker.index
        if index is not None and index is not panel.cache.index:
            raise AssertionError("the region lists are not from the kept index")
        if index is None:
            if panel.result is not None:
                raise AssertionError("a result is shown without an index")
            return
        for level in rc.CASCADE:
            chosen = panel.picker.chosen.get(level)
            if chosen is not None and chosen not in rc.options(index, panel.picker.chosen, level):
                raise AssertionError(f"{level} {chosen.key} is outside the levels chosen above it")
        if panel.result is not None:
            expected = index.statistics(index.region_members(panel.result.level, panel.result.region,
                                                             panel.result.types))
            if expected != panel.result.statistics or panel.statistics_model.total() != sum(n for _t, n in expected):
                raise AssertionError("the result shown is not the engine's")

    # ----- shot --------------------------------------------------------------------------------------
    def shot_scenario(panel) -> None:
        index = panel.cache.index
        if index is None:
            finish("the panel could not build the index: " + panel.message_text())
            return
        committee = config.get("committee")
        region = index.find_region(Level.COMMITTEE, committee) if committee else None
        if region is None:
            street = index.regions(Level.STREET)[0]
            inside = index.grid_region(Level.COMMITTEE)[index.grid_region(Level.STREET) == street.index]
            region = sorted((index.regions(Level.COMMITTEE)[c] for c in set(inside.tolist()) if c >= 0),
                            key=lambda r: r.key)[0]
        click_region(panel, Level.COMMITTEE, region)
        later(300, lambda: shot_count(panel, region))

    def shot_count(panel, region) -> None:
        check_pick(panel, Level.COMMITTEE, region)
        state["street"], state["committee"] = panel.streetCombo.currentText(), panel.committeeCombo.currentText()
        QTest.mouseClick(panel.countButton, Qt.MouseButton.LeftButton)
        state["summary"] = panel.summaryLabel.text()
        if config["error"]:  # a real error, shown with the result still there: saving into a file's "folder"
            panel.save_result(os.path.join(config["sample"], "result.xlsx"))
            state["message"] = panel.message_text()
        tabs = {"query": panel.queryTab, "results": panel.tabWidget.widget(panel.results_tab_index),
                "layers": panel.layersTab, "batch": panel.batchTab}
        page = tabs[config.get("tab") or "results"]
        for n in range(panel.tabWidget.count()):  # layers and batch sit in scroll areas of their own
            if panel.tabWidget.widget(n) is page or panel.tabWidget.widget(n).isAncestorOf(page):
                panel.tabWidget.setCurrentIndex(n)
        state["steps"].append("counted")
        later(2500, lambda: shoot(panel))

    def shoot(panel) -> None:
        QgsApplication.processEvents()
        state["summary_shown"] = panel.summaryLabel.text()  # a database count answers after the click
        state["in_database"] = bool(panel.result is not None and panel.result.in_database)
        screen = QGuiApplication.primaryScreen()
        if config["png"]:
            screen.grabWindow(0).save(config["png"])
        if config["panel_png"]:
            panel.grab().save(config["panel_png"])
        geometry = panel.geometry()
        top_left = panel.mapToGlobal(QPoint(0, 0))
        state["panel_rect"] = [top_left.x(), top_left.y(), geometry.width(), geometry.height()]
        state["panel_min_width"] = panel.minimumSizeHint().width()
        state["steps"].append("shot")
        finish()

    # ----- drive -------------------------------------------------------------------------------------
    def drive_scenario(panel) -> None:
        index = panel.cache.index
        if index is None:
            finish("the panel could not build the index: " + panel.message_text())
            return
        state["picked"] = {}
        levels = list(index.levels_present())  # street, supervisor area, committee, grid
        rng = random.Random(config["seed"])

        def pick_level(n: int) -> None:
            if n == len(levels):
                later(100, save_and_export)
                return
            level = levels[n]
            region = index.regions(level)[rng.randrange(len(index.regions(level)))]
            click_region(panel, level, region)

            def after() -> None:
                check_pick(panel, level, region)
                QTest.mouseClick(panel.countButton, Qt.MouseButton.LeftButton)
                if panel.result is None or panel.result.region.key != region.key:
                    raise AssertionError(f"统计 after picking {level} {region.key} gave no result")
                check_consistent(panel)
                upper = {lvl.name: (panel.picker.chosen[lvl].key if panel.picker.chosen.get(lvl) else None)
                         for lvl in rc.CASCADE[:rc.CASCADE.index(level)]}
                state["picked"][level.name] = {"region": region.key, "total": panel.statistics_model.total(),
                                               "levels_above": upper}
                later(100, lambda: pick_level(n + 1))
            later(300, after)

        def save_and_export() -> None:
            out = config["output"]
            os.makedirs(out, exist_ok=True)
            written = panel.save_result(os.path.join(out, "result.xlsx"))
            state["saved"] = [os.path.basename(f) for f in written]
            panel.outputFolderWidget.setFilePath(os.path.join(out, "batch"))
            QTest.mouseClick(panel.batchButton, Qt.MouseButton.LeftButton)
            run = panel.batch.run
            state["batch_started"] = run is not None and run.task is not None
            if run is not None:
                run.cancel()  # started, then cancelled: the random steps need the panel free
            state["steps"].append("picked, counted, saved, batch export started")
            settle(panel, lambda: random_steps(panel, rng))

        pick_level(0)

    def random_steps(panel, rng) -> None:
        names = ["pick", "count", "cancel", "change layer", "remove layer", "undock", "redock"]
        done: list = []
        state["random"] = {"seed": config["seed"], "steps": done}

        def step(n: int) -> None:
            if n == config["steps"]:
                later(100, lambda: ending(panel))
                return
            name = rng.choice(names)
            done.append(name)
            index = panel.cache.index
            if name == "pick" and index is not None:
                level = rng.choice(list(index.levels_present()))
                region = index.regions(level)[rng.randrange(len(index.regions(level)))]
                click_region(panel, level, region)
                later(300, lambda: (check_pick(panel, level, region), settle(panel, lambda: next_step(n))))
                return
            if name == "count":
                QTest.mouseClick(panel.countButton, Qt.MouseButton.LeftButton)
            elif name == "cancel":
                panel.cache.clear()  # forget the index: a new build starts, and is cancelled while it runs
                panel.request_index(report=False)
                QgsApplication.processEvents()
                QTest.mouseClick(panel.cancelButton, Qt.MouseButton.LeftButton)
                if panel.cache.building():
                    raise AssertionError("Cancel did not stop the build")
            elif name == "change layer":
                combo = panel.supervisorLayerCombo
                combo.setLayer(None if combo.currentLayer() is not None else layers.get("监督员责任区"))
            elif name == "remove layer":
                victim = rng.choice(["监督员责任区", "社区居委会", "兴趣点"])
                if victim in layers and project.mapLayer(layers[victim].id()) is not None:
                    project.removeMapLayer(layers[victim].id())
                    layers.pop(victim)
                else:
                    add_layer(victim)
            elif name == "undock":
                panel.setFloating(True)
            elif name == "redock":
                panel.setFloating(False)
                iface.addDockWidget(rng.choice([Qt.DockWidgetArea.RightDockWidgetArea,
                                                Qt.DockWidgetArea.LeftDockWidgetArea]), panel)
            later(150, lambda: settle(panel, lambda: next_step(n)))

        def next_step(n: int) -> None:
            check_consistent(panel)
            step(n + 1)

        step(0)

    def ending(panel) -> None:
        """Put every layer back, count once more: the panel must still work and agree with the engine."""
        for name in LAYERS:
            if name not in layers or project.mapLayer(layers[name].id()) is None:
                add_layer(name)
        panel.setFloating(False)
        panel.detect_layers()
        index = panel.ensure_index()
        if index is None:
            finish("no index at the end: " + panel.message_text())
            return
        street = index.regions(Level.STREET)[0]
        panel.select_region(Level.STREET, street.key)
        result = panel.count()
        check_consistent(panel)
        state["final"] = {"street": street.key, "total": panel.statistics_model.total() if result else None,
                          "qgis_alive": True}
        state["steps"].append("random steps done")
        finish()

    later(3000, load_layers)


if os.environ.get(ENV_KEY) and "qgis.utils" in sys.modules:
    _inside_qgis(json.loads(os.environ[ENV_KEY]))
elif __name__ == "__main__":
    sys.exit(main())
