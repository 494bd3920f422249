"""In a Chinese QGIS, Qt's own dialogs (file dialogs, standard buttons) speak Chinese with the plugin's dialog.

QGIS 3.22 calls Simplified Chinese "zh-Hans" and looks for Qt's translation as qt_zh-Hans.qm, which Qt does
not ship (its file is qt_zh_CN.qm): without the plugin's help Qt's dialogs stay English there, even with
Qt's translations installed (Debian: qttranslations5-l10n).
"""

from __future__ import annotations

import os

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QSettings

from citycomponents_plugin.core.compat import qt_translations_folder
from citycomponents_plugin.plugin import CityComponentsPlugin


@pytest.fixture()
def qgis_locale(qgis_app):
    """Set QGIS's UI locale for one test, as Settings > Options > General does."""
    settings = QSettings()
    old = settings.value("locale/userLocale")

    def set_locale(name: str) -> None:
        settings.setValue("locale/userLocale", name)

    yield set_locale
    if old is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", old)


def _look_in() -> str:
    return QCoreApplication.translate("QFileDialog", "Look in:")


@pytest.mark.skipif(not os.path.exists(os.path.join(qt_translations_folder(), "qt_zh_CN.qm")),
                    reason="Qt's translations are not installed (Debian: qttranslations5-l10n)")
def test_chinese_qgis_gets_qt_in_chinese_too(qgis_iface, qgis_locale):
    if _look_in() != "Look in:":
        pytest.skip("Qt is already translated in this session")
    qgis_locale("zh-Hans")
    plugin = CityComponentsPlugin(qgis_iface)
    try:
        assert plugin.translator is not None and plugin.qt_translator is not None
        assert _look_in() == "查找范围："
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        plugin.unload()
    assert plugin.qt_translator is None
    assert _look_in() == "Look in:"  # unloading the plugin takes Qt's translation away again


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_qt_is_left_alone_where_qgis_loads_it(qgis_iface, qgis_locale, locale):
    """English needs no Qt translation; with zh_CN QGIS finds qt_zh_CN.qm itself."""
    qgis_locale(locale)
    plugin = CityComponentsPlugin(qgis_iface)
    try:
        assert plugin.qt_translator is None
        assert (plugin.translator is not None) == (locale == "zh_CN")
    finally:
        plugin.unload()
