"""The shipped Simplified Chinese translation covers every UI string, compiles, and is what the dialog shows."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "citycomponents_plugin" / "i18n" / "citycomponents_zh_CN.ts"


def _updater():
    spec = importlib.util.spec_from_file_location("update_translations", REPO / "scripts" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_string_in_the_code_has_a_chinese_translation():
    upd = _updater()
    extraction = upd.extract_all()
    assert extraction.unresolved == []  # every tr()/translate() call was understood
    contexts = set(extraction.messages)
    assert {"StatisticsDialog", "CityComponentsDialog", "CityComponentsPlugin", "CityComponentsAlgorithm"} <= contexts
    assert "&Count" in extraction.messages["StatisticsDialog"]  # .ui strings
    assert "Total count" in extraction.messages["CityComponentsDialog"]  # the dialog's Python strings
    assert "Components (部件查询)" in extraction.messages["CityComponentsAlgorithm"]  # tr(o) for o in KIND_OPTIONS
    missing = upd.check(extraction, upd.read_ts(str(TS)))
    assert missing == [], "run scripts/update_translations.py and translate:\n" + "\n".join(missing)


def test_extractor_finds_new_and_dynamic_strings(tmp_path):
    upd = _updater()
    source = tmp_path / "mod.py"
    source.write_text(
        "from qgis.PyQt.QtCore import QCoreApplication\n"
        "CTX = 'Ctx'\n"
        "OPTIONS = ['one', 'two']\n"
        "def tr(text):\n    return QCoreApplication.translate(CTX, text)\n"
        "LABELS = [tr(o) for o in OPTIONS]\n"
        "for name, label in (('A', 'first label'), ('B', 'second label')):\n    tr(label)\n"
        "class Box:\n"
        "    def tr(self, text):\n        return QCoreApplication.translate('BoxCtx', text)\n"
        "    def show(self):\n        return self.tr('Hello ' 'box')\n"
        "QCoreApplication.translate('Direct', 'direct text')\n", encoding="utf-8")
    extraction = upd.Extraction()
    upd.PythonExtractor(extraction).extract(str(source))
    found = {c: sorted(m) for c, m in extraction.messages.items()}
    assert found == {"Ctx": ["first label", "one", "second label", "two"], "BoxCtx": ["Hello box"],
                     "Direct": ["direct text"]}
    assert len(upd.check(extraction, {})) == 6  # none of them translated: the completeness test would fail


def test_ui_strings_are_extracted_with_the_ui_class_as_context(tmp_path):
    upd = _updater()
    ui = tmp_path / "x.ui"
    ui.write_text('<ui version="4.0"><class>XDialog</class><widget class="QDialog" name="XDialog">'
                  '<property name="windowTitle"><string>Title</string></property>'
                  '<property name="text"><string notr="true">skip me</string></property></widget></ui>',
                  encoding="utf-8")
    extraction = upd.Extraction()
    upd.extract_ui(str(ui), extraction)
    assert {c: sorted(m) for c, m in extraction.messages.items()} == {"XDialog": ["Title"]}


@pytest.fixture()
def chinese(tmp_path, qgis_app):
    """The .ts compiled with lrelease and installed, as plugin.py does for a Chinese QGIS."""
    lrelease = shutil.which("lrelease") or ("/usr/lib/qt5/bin/lrelease" if Path("/usr/lib/qt5/bin/lrelease").exists()
                                            else None)
    if lrelease is None:
        pytest.skip("lrelease (qttools5-dev-tools) is not installed")
    qm = tmp_path / "citycomponents_zh_CN.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_compiled_translation_is_used(chinese):
    def tr(context, text):
        return QCoreApplication.translate(context, text)

    assert tr("StatisticsDialog", "&Count") == "统计(&C)"
    assert tr("CityComponentsPlugin", "City Components Statistics") == "城市部件档案统计"
    assert tr("CityComponentsAlgorithm", "Region statistics (区域部件统计)") == "区域部件统计"
    assert tr("CityComponentsDialog", "Total count") == "部件总数"


def test_dialog_in_chinese(chinese, qgis_iface, qgis_new_project):
    from citycomponents_plugin.gui.statistics_panel import StatisticsPanel

    dlg = StatisticsPanel(qgis_iface)
    try:
        assert dlg.windowTitle() == "城市部件档案统计"
        assert (dlg.countButton.text(), dlg.componentsRadio.text(), dlg.addressesRadio.text()) == \
            ("统计(&C)", "部件查询(&C)", "地址查询(&A)")
        assert dlg.statistics_model.headerData(1, 1) == "部件总数"
        assert dlg.queryLevelLabel.text() == "请选择街道、监督员责任区、社区居委会或单元网格。"
        assert dlg.tabWidget.tabText(0) == "查询"
    finally:
        dlg.close_and_cleanup()
        dlg.deleteLater()


def test_qgis_chinese_locale_names_find_the_translation():
    """QGIS 3.22 stores Simplified Chinese as zh-Hans; Qt-style zh_CN works too; English has none."""
    from citycomponents_plugin.plugin import translation_file

    for name in ("zh-Hans", "zh_CN", "zh", "zh_Hans"):
        assert translation_file(name).endswith("citycomponents_zh_CN.qm"), name
    assert translation_file("en_US") == ""
