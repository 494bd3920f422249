"""Plugin lifecycle: register the Processing provider, the toolbar button, the menu entry and the dock panel."""

from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMainWindow

from citycomponents_plugin.core.compat import qt_translations_folder
from citycomponents_plugin.processing_provider.provider import CityComponentsProvider

PLUGIN_DIR = os.path.dirname(__file__)
MENU_NAME = "&City Components"


def icon_path(name: str) -> str:
    """Icons are loaded by path (no .qrc)."""
    return os.path.join(PLUGIN_DIR, "resources", "icons", name)


# QGIS names Simplified Chinese "zh-Hans" in its language list; Qt and our files use zh_CN.
LOCALE_ALIASES = {"zh-hans": "zh_CN", "zh_hans": "zh_CN", "zh-cn": "zh_CN", "zh": "zh_CN", "zh-sg": "zh_CN"}


def translation_file(locale: str) -> str:
    """The shipped .qm for a QGIS locale name ('' when there is none: English)."""
    name = LOCALE_ALIASES.get(locale.strip().lower(), locale.strip())
    for candidate in (name, name[:5], name[:2]):
        qm = os.path.join(PLUGIN_DIR, "i18n", f"citycomponents_{candidate}.qm")
        if candidate and os.path.exists(qm):
            return qm
    return ""


class CityComponentsPlugin:
    """What QGIS creates through classFactory; everything added here is removed in unload()."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: Optional[CityComponentsProvider] = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.panel = None
        self.translator: Optional[QTranslator] = None
        self.qt_translator: Optional[QTranslator] = None
        self._install_translator()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CityComponentsPlugin", text)

    def _install_translator(self) -> None:
        """Load the zh_CN (or other) translation matching QGIS's locale, if shipped."""
        locale = str(QSettings().value("locale/userLocale", QLocale().name()) or "en")
        qm = translation_file(locale)
        if qm:
            self.translator = QTranslator()
            if self.translator.load(qm):
                QCoreApplication.installTranslator(self.translator)
                self._install_qt_translator(locale)
            else:
                self.translator = None

    def _install_qt_translator(self, locale: str) -> None:
        """Qt's own translation where QGIS misses it, so Qt's file dialogs match our dialog.

        QGIS 3.22 names Simplified Chinese "zh-Hans" and looks for Qt's translation under that name,
        while Qt ships qt_zh_CN.qm: in QGIS's Chinese, Qt's file dialogs and standard buttons stay
        English even where Qt's translations are installed (Debian: qttranslations5-l10n). With a
        name Qt knows (zh_CN), QGIS loads Qt's file itself and nothing is done here.
        """
        qt_name = LOCALE_ALIASES.get(locale.strip().lower())
        if not qt_name or qt_name == locale.strip():
            return
        translator = QTranslator()
        if translator.load(f"qt_{qt_name}", qt_translations_folder()):
            QCoreApplication.installTranslator(translator)
            self.qt_translator = translator

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API name
        self.provider = CityComponentsProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS API name
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(self.tr("City Components"))
        self.toolbar.setObjectName("CityComponentsToolbar")
        action = QAction(QIcon(icon_path("citycomponents.svg")), self.tr("City Components Statistics"),
                         self.iface.mainWindow())
        action.setObjectName("CityComponentsOpenDialog")
        action.setStatusTip(self.tr("Count and list city components by street, supervisor area, committee or grid"))
        action.triggered.connect(self.open_panel)
        self.toolbar.addAction(action)
        self.iface.addPluginToVectorMenu(MENU_NAME, action)
        self.actions.append(action)

    def open_panel(self) -> None:
        """Show the statistics panel beside the map (created once, docked where it was left last time)."""
        from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

        if self.panel is None:
            self.panel = StatisticsPanel(self.iface, parent=self.iface.mainWindow())
            area = StatisticsPanel.saved_area()
            self.iface.addDockWidget(area, self.panel)
            main = self.iface.mainWindow()
            if isinstance(main, QMainWindow) and main.dockWidgetArea(self.panel) == Qt.DockWidgetArea.NoDockWidgetArea:
                main.addDockWidget(area, self.panel)  # an iface that does not dock (a test double)
            self.panel.restore_floating()
            if isinstance(main, QMainWindow) and not self.panel.isFloating():  # room for the region lists
                main.resizeDocks([self.panel], [max(380, main.width() // 4)], Qt.Orientation.Horizontal)
        self.panel.setUserVisible(True)
        self.panel.raise_()

    def unload(self) -> None:
        for action in self.actions:
            self.iface.removePluginVectorMenu(MENU_NAME, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.panel is not None:
            self.panel.close_and_cleanup()
            if hasattr(self.iface, "removeDockWidget"):
                self.iface.removeDockWidget(self.panel)
            else:
                self.iface.mainWindow().removeDockWidget(self.panel)
            self.panel.deleteLater()
            self.panel = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        for translator in (self.translator, self.qt_translator):
            if translator is not None:
                QCoreApplication.removeTranslator(translator)
        self.translator = self.qt_translator = None
