"""Screenshots of the statistics dialog in a real QGIS (under Xvfb), with the sample district and a result shown.

Starts `qgis` with a throw-away profile in which only this plugin is enabled (QGIS_PLUGINPATH points at the
checkout), loads the sample layers, opens the dialog from the plugin, picks a street and then one of its
committees through the cascade, clicks Count, and grabs the dialog and the whole screen into PNG files.

    python3 scripts/screenshot_dialog.py --dialog-png docs/images/dialog_en.png
    python3 scripts/screenshot_dialog.py --locale zh-Hans --dialog-png docs/images/dialog_zh_CN.png

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
SCREEN = (1600, 1000)
ENV_KEY = "CITYCOMPONENTS_SHOT"


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
    parser.add_argument("--locale", default="en_US", help="QGIS user locale, e.g. zh_CN (default en_US)")
    parser.add_argument("--dialog-png", required=True, help="where to write the dialog's screenshot")
    parser.add_argument("--window-png", help="where to write the whole screen (QGIS main window and the dialog)")
    parser.add_argument("--sample", help="sample GeoPackage (generated at --scale when missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of a generated sample (default 1.0)")
    parser.add_argument("--committee", help="committee to pick (default: the first committee of the first street)")
    parser.add_argument("--tab", choices=("query", "layers", "batch"), default="query",
                        help="the dialog tab to show (default: query)")
    parser.add_argument("--timeout", type=int, default=240)
    args = parser.parse_args()

    subprocess.run(["bash", os.path.join(ROOT, "scripts", "build_translations.sh")], check=True)
    work = tempfile.mkdtemp(prefix="citycomponents-shot-")
    sample = os.path.abspath(args.sample) if args.sample else os.path.join(work, "sample.gpkg")
    window_png = os.path.abspath(args.window_png or os.path.join(work, "window.png"))
    status = os.path.join(work, "status.json")
    config = {"sample": sample, "scale": args.scale, "dialog_png": os.path.abspath(args.dialog_png),
              "window_png": window_png, "committee": args.committee, "status": status,
              "tab": ("query", "layers", "batch").index(args.tab)}
    for path in (config["dialog_png"], window_png):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    env = dict(os.environ, QGIS_PLUGINPATH=ROOT, PYTHONPATH=ROOT, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env[ENV_KEY] = json.dumps(config)
    env.pop("QT_QPA_PLATFORM", None)  # a real X display (Xvfb), not offscreen
    # QGIS's embedded Python finds its prefix through PATH: a pyenv/venv python3 first there hides PyQGIS.
    env["PATH"] = "/usr/bin:/bin:" + env.get("PATH", "")
    for key in [k for k in env if k.startswith(("PYENV", "VIRTUAL_ENV", "PYTHONHOME"))]:
        env.pop(key)
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24", "qgis", "--profiles-path",
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
    result = {"error": "no status written"}
    if os.path.exists(status):
        with open(status, encoding="utf-8") as fh:
            result = json.load(fh)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = "error" not in result and os.path.exists(config["dialog_png"])
    shutil.rmtree(work, ignore_errors=True)  # the profile, the status and a generated sample
    return 0 if ok else 1


# ----- inside QGIS ---------------------------------------------------------------------------------
def _inside_qgis(config: dict) -> None:
    """Runs in QGIS's Python: a chain of timers so QGIS paints between the steps."""
    import traceback

    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    from qgis.PyQt.QtCore import QRect, QTimer
    from qgis.PyQt.QtGui import QColor, QGuiApplication
    from qgis.utils import iface, plugins

    state: dict = {"steps": []}

    def finish(error: str = "") -> None:
        if error:
            state["error"] = error
        with open(config["status"], "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False)
        QgsProject.instance().setDirty(False)
        QTimer.singleShot(200, lambda: os._exit(0))

    def guarded(func):
        def run() -> None:
            try:
                func()
            except Exception:  # noqa: BLE001 - report and leave QGIS
                finish(traceback.format_exc())
        return run

    def style(layer: QgsVectorLayer, outline: str, width: float, fill: str = "") -> None:
        symbol = layer.renderer().symbol()
        symbol.setColor(QColor(fill) if fill else QColor(0, 0, 0, 0))
        layer_symbol = symbol.symbolLayer(0)
        if hasattr(layer_symbol, "setStrokeColor"):
            layer_symbol.setStrokeColor(QColor(outline))
            layer_symbol.setStrokeWidth(width)
        layer.triggerRepaint()

    def load_layers() -> None:
        if not os.path.exists(config["sample"]):
            from citycomponents_plugin.sample.district import generate_sample_district

            generate_sample_district(config["sample"], scale=config["scale"], per_type_layers=False, seed=20130701)
        iface.mainWindow().setGeometry(QRect(0, 0, *SCREEN))
        project = QgsProject.instance()
        names = ["兴趣点", "参照物", "门址", "城市部件", "街道办事处", "监督员责任区", "社区居委会", "单元网格"]
        layers = {}
        for name in reversed(names):  # each new layer goes on top
            layer = QgsVectorLayer(f"{config['sample']}|layername={name}", name, "ogr")
            layers[name] = layer
            project.addMapLayer(layer)
        style(layers["单元网格"], "#b0b0b0", 0.1)
        style(layers["社区居委会"], "#3070c0", 0.4)
        style(layers["监督员责任区"], "#60a060", 0.3)
        style(layers["街道办事处"], "#202020", 0.9)
        layers["城市部件"].renderer().symbol().setSize(0.9)
        layers["城市部件"].renderer().symbol().setColor(QColor("#405070"))
        root = project.layerTreeRoot()
        for name in ("兴趣点", "参照物", "门址", "监督员责任区"):
            root.findLayer(layers[name].id()).setItemVisibilityChecked(False)
        iface.setActiveLayer(layers["城市部件"])
        iface.mapCanvas().setExtent(layers["单元网格"].extent())
        iface.mapCanvas().refresh()
        state["steps"].append("layers loaded")
        QTimer.singleShot(1500, guarded(open_dialog))

    def open_dialog() -> None:
        plugin = plugins.get("citycomponents_plugin")
        if plugin is None:
            import qgis.utils

            finish(f"the plugin is not loaded; available: {qgis.utils.available_plugins}, "
                   f"active: {qgis.utils.active_plugins}")
            return
        from qgis.PyQt.QtWidgets import QAction

        actions = [a.objectName() for a in iface.mainWindow().findChildren(QAction)]
        state["toolbar_action"] = "CityComponentsOpenDialog" in actions
        provider = QgsApplication.processingRegistry().providerById("citycomponents")
        state["algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else []
        plugin.open_dialog()
        dialog = plugin.dialog
        dialog.move(SCREEN[0] - dialog.width() - 10, 40)  # default size, to the right: the map shows on the left
        state["steps"].append("dialog open")
        QTimer.singleShot(500, guarded(lambda: pick_and_count(dialog)))

    def pick_and_count(dialog) -> None:
        from citycomponents_plugin.core.levels import Level

        index = dialog.ensure_index()
        if index is None:
            finish("the dialog could not build the index")
            return
        committee = config.get("committee")
        if committee:
            street = index.regions(Level.STREET)[int(index.grid_region(Level.STREET)[
                index.grid_region(Level.COMMITTEE) == index.find_region(Level.COMMITTEE, committee).index][0])]
        else:
            street = index.regions(Level.STREET)[0]
        dialog.streetCombo.setCurrentIndex(dialog.streetCombo.findText(street.key))  # as the operator does
        row = dialog.committeeCombo.findText(committee) if committee else 1
        dialog.committeeCombo.setCurrentIndex(row)
        state["street"], state["committee"] = street.key, dialog.committeeCombo.currentText()
        dialog.countButton.click()
        state["summary"] = dialog.summaryLabel.text()
        dialog.tabWidget.setCurrentIndex(config.get("tab", 0))
        state["steps"].append("counted")
        QTimer.singleShot(2500, guarded(lambda: shoot(dialog)))

    def shoot(dialog) -> None:
        QgsApplication.processEvents()
        dialog.grab().save(config["dialog_png"])
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(config["window_png"])
        state["dialog_png"], state["window_png"] = config["dialog_png"], config["window_png"]
        state["steps"].append("shot")
        finish()

    QTimer.singleShot(3000, guarded(load_layers))


if os.environ.get(ENV_KEY) and "qgis.utils" in sys.modules:
    _inside_qgis(json.loads(os.environ[ENV_KEY]))
elif __name__ == "__main__":
    sys.exit(main())
