"""Pocket booklets (监督员手册): one PDF per supervisor area, built as a QGIS print layout (SPEC 7)."""
