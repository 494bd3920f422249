"""The panel's own message line: wraps inside the dock, names the control to change, gone when fixed.

A long message (a layer name, a list of close matches, a file path) must never widen the panel: the label
wraps at any width (Chinese between characters, paths at any character via zero-width spaces) and its
horizontal size policy is Ignored, so the dock's width decides and the text takes more lines.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton

from citycomponents_plugin.gui.i18n import tr

ICONS = {Qgis.MessageLevel.Critical: "/mIconWarning.svg", Qgis.MessageLevel.Warning: "/mIconWarning.svg",
         Qgis.MessageLevel.Info: "/mIconInfo.svg", Qgis.MessageLevel.Success: "/mIconSuccess.svg"}
COLOURS = {Qgis.MessageLevel.Critical: ("#fde7e7", "#c62828"), Qgis.MessageLevel.Warning: ("#fff4d6", "#b26a00"),
           Qgis.MessageLevel.Info: ("#e8f0fb", "#2f5f9e"), Qgis.MessageLevel.Success: ("#e6f4e6", "#2e7d32")}


def breakable(text: str) -> str:
    """Zero-width spaces after path and code separators, so a long path or list wraps anywhere."""
    for sep in ("/", "\\", "_", ",", "，", "、"):
        text = text.replace(sep, sep + "\u200b")
    return text


class MessageArea(QFrame):
    """One message at a time (the latest problem), with a close button; hidden when empty."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("messageArea")
        self.level = Qgis.MessageLevel.Info
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # its lines, no more
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 2, 4)
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.icon)
        self.label = QLabel(self)
        self.label.setObjectName("messageLabel")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        policy.setHorizontalStretch(1)
        policy.setHeightForWidth(True)
        self.label.setSizePolicy(policy)
        layout.addWidget(self.label, 1)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.setIcon(QgsApplication.getThemeIcon("/mIconClose.svg"))
        self.close_button.setIconSize(QSize(12, 12))
        self.close_button.setToolTip(tr("Hide this message"))
        self.close_button.clicked.connect(self.clear)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, level: int = Qgis.MessageLevel.Critical) -> None:
        self.level = level
        background, border = COLOURS.get(level, COLOURS[Qgis.MessageLevel.Info])
        self.setStyleSheet(f"#messageArea {{ background: {background}; border: 1px solid {border}; "
                           f"border-radius: 3px; }} #messageLabel {{ color: #202020; }}")
        self.icon.setPixmap(QgsApplication.getThemeIcon(ICONS.get(level, ICONS[Qgis.MessageLevel.Info]))
                            .pixmap(16, 16))
        self.label.setText(breakable(text))
        self.label.setToolTip(text)
        self.show()

    def text(self) -> str:
        """The message as given (without the wrap hints)."""
        return self.label.text().replace("\u200b", "")

    def clear(self) -> None:
        self.label.clear()
        self.label.setToolTip("")
        self.hide()
