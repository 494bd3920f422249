"""Operator-facing messages in the QGIS message bar: plain words, never a traceback."""

from __future__ import annotations

import traceback
from typing import Callable, Optional

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtWidgets import QPushButton

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import translated
from citycomponents_plugin.gui.i18n import tr

LOG_TAG = "City Components"


def dialog_control(parameter: str) -> str:
    """The dialog's own name for what a Processing parameter sets: the box on the tab to change."""
    names = {
        "GRIDS": tr("the Unit grids layer box on the Layers tab"),
        "COMMITTEES": tr("the Committees layer box on the Layers tab"),
        "STREETS": tr("the Street offices layer box on the Layers tab"),
        "SUPERVISORS": tr("the Supervisor areas layer box on the Layers tab"),
        "COMPONENTS": tr("the point layer list on the Layers tab"),
        "GRID_CODE_FIELD": tr("the Unit grids field box on the Layers tab"),
        "COMMITTEE_NAME_FIELD": tr("the Committees field box on the Layers tab"),
        "STREET_NAME_FIELD": tr("the Street offices field box on the Layers tab"),
        "SUPERVISOR_NAME_FIELD": tr("the Supervisor areas field box on the Layers tab"),
        "ID_FIELD": tr("the Identifier field box on the Layers tab"),
        "TYPE_FIELD": tr("the Type field box on the Layers tab"),
        "GRID_ATTR_FIELD": tr("the Stored grid code field box on the Layers tab"),
        "REGION": tr("the region lists on the Query tab"),
        "TYPES": tr("the component type tree on the Query tab"),
        "KIND": tr("the Query object buttons"),
        "OUTPUT_FOLDER": tr("the Folder box on the Batch tab"),
        "OVERWRITE": tr("Replace existing files on the Batch tab"),
        "FORMATS": tr("the Formats boxes on the Batch tab"),
        "ENCODING": tr("the Text encoding box on the Batch tab"),
        "PAGE_SIZE": tr("the Page size box on the Batch tab"),
        "WORKERS": tr("WORKERS of the Supervisor booklets algorithm in the Processing Toolbox"),
    }
    return names.get(parameter, tr("the Layers tab") if parameter else "")


def save_control(parameter: str) -> str:
    """Saving one result: the folder comes from the Save result... button's file dialog, not the Batch tab."""
    if parameter == "OUTPUT_FOLDER":
        return tr("the file dialog of the Save result... button")
    return dialog_control(parameter)


def describe(exc: CityComponentsError, control: Callable[[str], str] = dialog_control) -> str:
    """An engine error in the UI language, naming the panel's control instead of a parameter."""
    return translated(exc.message, control)


def describe_message(message) -> str:
    """A core.messages.Message (a warning kept on the index) in the UI language, with the dialog's controls."""
    return translated(message, dialog_control)


def title() -> str:
    """The plugin's name (城市部件档案统计): never mistaken for a layer such as 城市部件."""
    return tr("City Components Statistics")


def push(iface, text: str, level: int = Qgis.MessageLevel.Info, duration: int = 8):
    """A message in QGIS's bar; returns its item (to remove it once fixed) where the bar makes items."""
    bar = iface.messageBar()
    if hasattr(bar, "createMessage") and hasattr(bar, "pushItem"):
        item = bar.createMessage(title(), text)
        item.setLevel(level)
        item.setDuration(duration)
        bar.pushItem(item)
        return item
    bar.pushMessage(title(), text, level, duration)  # test doubles
    return None


def pop(iface, item) -> None:
    """Remove a message pushed earlier (it may be gone already: closed or timed out)."""
    bar = iface.messageBar()
    try:
        if hasattr(bar, "popWidget"):
            bar.popWidget(item)
    except RuntimeError:  # deleted with its bar
        pass


def error(iface, text: str):
    return push(iface, text, Qgis.MessageLevel.Critical, 0)


def warning(iface, text: str):
    return push(iface, text, Qgis.MessageLevel.Warning, 10)


def success(iface, text: str):
    return push(iface, text, Qgis.MessageLevel.Success, 8)


def unexpected_text(exc: BaseException) -> str:
    return tr("Unexpected error: {0}. The details are in the Log Messages panel ({1} tab).").format(exc, LOG_TAG)


def unexpected(iface, exc: BaseException) -> None:
    """A bug, not bad input: one readable line in the bar, the traceback only in the log panel."""
    QgsMessageLog.logMessage("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
                             LOG_TAG, Qgis.MessageLevel.Critical)
    error(iface, unexpected_text(exc))


def with_button(iface, text: str, button_text: str, callback: Callable[[], None],
                level: int = Qgis.MessageLevel.Success, duration: int = 0) -> Optional[QPushButton]:
    """A message with one action button (e.g. open the output folder); plain message where the bar has no widgets."""
    bar = iface.messageBar()
    if not hasattr(bar, "createMessage") or not hasattr(bar, "pushWidget"):
        push(iface, text, level, duration)
        return None
    item = bar.createMessage(title(), text)
    button = QPushButton(button_text, item)
    button.clicked.connect(callback)
    item.layout().addWidget(button)
    bar.pushWidget(item, level, duration)
    return button
