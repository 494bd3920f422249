"""Operator-facing messages in the QGIS message bar: plain words, never a traceback."""

from __future__ import annotations

import traceback
from typing import Callable, Optional

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtWidgets import QPushButton

from citycomponents_plugin.gui.i18n import tr

LOG_TAG = "City Components"


def title() -> str:
    return tr("City Components")


def push(iface, text: str, level: int = Qgis.MessageLevel.Info, duration: int = 8) -> None:
    """pushMessage works on QGIS's bar and on test doubles alike (pushCritical etc. are not always there)."""
    iface.messageBar().pushMessage(title(), text, level, duration)


def error(iface, text: str) -> None:
    push(iface, text, Qgis.MessageLevel.Critical, 0)


def warning(iface, text: str) -> None:
    push(iface, text, Qgis.MessageLevel.Warning, 10)


def success(iface, text: str) -> None:
    push(iface, text, Qgis.MessageLevel.Success, 8)


def unexpected(iface, exc: BaseException) -> None:
    """A bug, not bad input: one readable line in the bar, the traceback only in the log panel."""
    QgsMessageLog.logMessage("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
                             LOG_TAG, Qgis.MessageLevel.Critical)
    error(iface, tr("Unexpected error: {0}. The details are in the Log Messages panel ({1} tab).").format(
        exc, LOG_TAG))


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
