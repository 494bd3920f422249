"""Messages as data: the engine raises ids and values; Processing names parameters, the dialog its controls."""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_translations import chinese  # noqa: F401 - the compiled zh_CN translator, installed

from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs
from citycomponents_plugin.core.errors import CancelledError, CityComponentsError
from citycomponents_plugin.core.messages import CONTEXT, TEMPLATES, TERMS, Message, Term, english, render, translated

import district_fixtures as dfx

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "citycomponents_plugin" / "i18n" / "citycomponents_zh_CN.ts"


def _placeholders(text: str) -> set:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_translation_keeps_the_placeholders_of_its_template():
    root = ET.parse(TS).getroot()
    ctx = next(c for c in root.iter("context") if c.findtext("name") == CONTEXT)
    translations = {m.findtext("source"): m.findtext("translation") for m in ctx.iter("message")}
    for msg_id, template in TEMPLATES.items():
        if msg_id == "text":
            continue
        assert template in translations, msg_id
        assert _placeholders(translations[template]) == _placeholders(template), msg_id
    for term in TERMS:
        assert translations.get(term), term


def test_unknown_ids_are_refused_and_sentences_stay_text():
    with pytest.raises(KeyError):
        Message("no_such_message")
    assert CancelledError("reading components").message.id == "cancelled"
    assert CancelledError("Generating the sample was cancelled.").message.id == "text"
    assert str(CancelledError("Generating the sample was cancelled.")) == "Generating the sample was cancelled."


def test_processing_names_the_parameter_and_the_dialog_its_control(qgis_app):
    from citycomponents_plugin.gui.messages import describe

    exc = CityComponentsError("field_not_detected", "GRID_CODE_FIELD", layer="网格", role="grid code",
                              tried="网格编码, BGID", fields="FID, 面积")
    assert str(exc) == ("Layer '网格': no field for the grid code could be detected. Tried: 网格编码, BGID. "
                        "Its fields are: FID, 面积. Choose the field with the GRID_CODE_FIELD parameter.")
    assert describe(exc).endswith("Choose the field with the Unit grids field box on the Layers tab.")
    assert "GRID_CODE_FIELD" not in describe(exc)


def test_in_chinese_the_operator_reads_chinese_with_the_data_values_as_they_are(chinese):  # noqa: F811
    from citycomponents_plugin.gui.messages import describe

    exc = CityComponentsError("field_not_detected", "GRID_CODE_FIELD", layer="网格", role=Term("grid code (网格编码)"),
                              tried="网格编码, BGID", fields="FID, area")
    said = "图层“网格”：未能识别网格编码字段。已尝试：网格编码, BGID。该图层的字段有：FID, area。"
    assert translated(exc.message) == said + "请在参数 GRID_CODE_FIELD中选择字段。"
    assert describe(exc) == said + "请在“图层”页上单元网格的字段框中选择字段。"
    assert not re.search(r"[A-Za-z]{4,}", describe(exc).replace("BGID", "").replace("area", ""))
    assert translated(CancelledError("reading components").message) == "已取消（读取部件时）。"


def test_engine_errors_carry_ids(tmp_path, qgis_app):
    layers = dfx.load_layers(dfx.write_district(tmp_path / "d.gpkg"))
    with pytest.raises(CityComponentsError) as info:
        build_index(DistrictInputs(grids=layers["单元网格"], components=[], committees=layers["社区居委会"]))
    assert info.value.message.id == "no_component_layers" and info.value.message.parameter == "COMPONENTS"
    with pytest.raises(CityComponentsError) as info:
        build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]], grid_code_field="X"))
    assert info.value.message.id == "field_not_found"
    assert info.value.message.values["layer"] == "单元网格" and info.value.message.values["field"] == "X"
    index = build_index(DistrictInputs(grids=layers["单元网格"], components=[layers["城市部件"]]))
    with pytest.raises(CityComponentsError) as info:
        index.find_region(index.levels_present()[0], "1101010010010")
    assert info.value.message.id == "region_unknown_close" and dfx.G1 in info.value.message.values["close"]


def test_no_core_module_builds_an_error_sentence():
    """Every CityComponentsError raised in core/ names a message id (an f-string would bypass it)."""
    core = REPO / "citycomponents_plugin" / "core"
    offenders = []
    for path in core.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(CityComponentsError|CancelledError)\(\s*(f?[\"'])", text):
            literal = text[m.end(2) - 1:].split(m.group(2)[-1], 2)[1]
            if m.group(2).startswith("f") or literal not in TEMPLATES and literal not in TERMS:
                offenders.append(f"{path.name}: {literal[:40]}")
        offenders += [f"{path.name}: pushWarning(f...)" for _ in re.finditer(r"pushWarning\(f", text)]
    assert offenders == []


def test_render_leaves_braces_in_data_alone():
    msg = Message("layer_empty", {"layer": "{图层}"}, "GRIDS")
    assert english(msg) == "Layer '{图层}' has no features. Choose another layer with the GRIDS parameter."
    assert render(msg, lambda p: "X") == "Layer '{图层}' has no features. Choose another layer with X."
