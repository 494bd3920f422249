"""The plugin as QGIS loads it: initGui adds the toolbar button, the Vector menu entry and the provider;
unload removes every one of them (and the dialog's traces on the map)."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProcessingRegistry
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtWidgets import QToolBar

from citycomponents_plugin.plugin import MENU_NAME, CityComponentsPlugin


@pytest.fixture()
def registry(monkeypatch, qgis_app):
    """A registry of our own: the session's provider fixture may hold the real one's "citycomponents" id."""
    fresh = QgsProcessingRegistry()
    monkeypatch.setattr(QgsApplication, "processingRegistry", staticmethod(lambda: fresh))
    return fresh


@pytest.fixture()
def vector_menu(qgis_iface, monkeypatch) -> list:
    """pytest-qgis's iface has no Vector menu: record what the plugin puts there and takes away."""
    entries: list = []
    monkeypatch.setattr(qgis_iface, "addPluginToVectorMenu",
                        lambda name, action: entries.append((name, action)), raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginVectorMenu",
                        lambda name, action: entries.remove((name, action)), raising=False)
    return entries


def _toolbars(qgis_iface) -> list:
    return [tb for tb in qgis_iface.mainWindow().findChildren(QToolBar) if tb.objectName() == "CityComponentsToolbar"]


def test_init_gui_and_unload(qgis_iface, qgis_new_project, registry, vector_menu):
    plugin = CityComponentsPlugin(qgis_iface)
    plugin.initGui()
    provider = registry.providerById("citycomponents")
    assert provider is not None and provider is plugin.provider
    assert {"regionstatistics", "batchexport", "booklet"} <= {a.name() for a in provider.algorithms()}
    toolbar = plugin.toolbar
    assert toolbar is not None and toolbar.objectName() == "CityComponentsToolbar"
    action = toolbar.actions()[0]
    assert action.objectName() == "CityComponentsOpenDialog" and not action.icon().isNull()
    assert vector_menu == [(MENU_NAME, action)]

    action.trigger()  # the toolbar button opens the panel, docked on the right
    panel = plugin.panel
    assert panel is not None and not panel.isHidden()
    assert qgis_iface.mainWindow().dockWidgetArea(panel) == Qt.DockWidgetArea.RightDockWidgetArea
    assert panel.objectName() == "CityComponentsStatisticsPanel"  # QGIS remembers its place by this name
    panel.close()  # closed with its title bar button: the toolbar button shows it again
    assert panel.isHidden()
    action.trigger()
    assert plugin.panel is panel and not panel.isHidden()  # one panel, shown again

    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # what the event loop does with deleteLater
    assert registry.providerById("citycomponents") is None
    assert vector_menu == []
    assert plugin.toolbar is None and plugin.panel is None and plugin.actions == []
    assert _is_deleted(action) and _is_deleted(toolbar) and _is_deleted(panel)
    assert _toolbars(qgis_iface) == []


def test_unload_without_opening_the_panel(qgis_iface, registry, vector_menu):
    plugin = CityComponentsPlugin(qgis_iface)
    plugin.initGui()
    plugin.unload()
    assert registry.providers() == [] and vector_menu == []


def _is_deleted(obj) -> bool:
    from qgis.PyQt import sip

    return sip.isdeleted(obj)
