"""The plugin as QGIS loads it: initGui adds the toolbar button, the Vector menu entry and the provider;
unload removes every one of them (and the dialog's traces on the map)."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProcessingRegistry
from qgis.PyQt.QtCore import QCoreApplication, QEvent
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

    action.trigger()  # the toolbar button opens the non-modal dialog
    dialog = plugin.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    action.trigger()
    assert plugin.dialog is dialog  # one dialog, raised again

    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # what the event loop does with deleteLater
    assert registry.providerById("citycomponents") is None
    assert vector_menu == []
    assert plugin.toolbar is None and plugin.dialog is None and plugin.actions == []
    assert _is_deleted(action) and _is_deleted(toolbar) and _is_deleted(dialog)
    assert _toolbars(qgis_iface) == []


def test_unload_without_opening_the_dialog(qgis_iface, registry, vector_menu):
    plugin = CityComponentsPlugin(qgis_iface)
    plugin.initGui()
    plugin.unload()
    assert registry.providers() == [] and vector_menu == []


def _is_deleted(obj) -> bool:
    from qgis.PyQt import sip

    return sip.isdeleted(obj)
