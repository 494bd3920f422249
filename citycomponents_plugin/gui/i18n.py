"""One translation context for every string the dialog's Python code shows."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication

CONTEXT = "CityComponentsDialog"


def tr(text: str) -> str:
    """Translate through the shipped .ts (context CityComponentsDialog); scripts/update_translations.py finds these."""
    return QCoreApplication.translate(CONTEXT, text)
