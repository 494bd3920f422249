"""Batch export (SPEC section 6): every region of every level to xlsx/txt/csv, with a manifest.

Pure core: no Qt widgets, only the district index; the Processing algorithm and the dialog call
`export_district`.
"""

from citycomponents_plugin.core.batch_export.exporter import (
    FORMATS,
    LEDGER_NAME,
    MANIFEST_NAME,
    SUMMARY_NAME,
    export_district,
)

__all__ = ["FORMATS", "LEDGER_NAME", "MANIFEST_NAME", "SUMMARY_NAME", "export_district"]
