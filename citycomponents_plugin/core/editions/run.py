"""One comparison run: check the folder, compare, write 变更.xlsx and changes.json (never clobbering)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from citycomponents_plugin.core.editions.compare import Comparison, compare_editions
from citycomponents_plugin.core.editions.edition import Edition
from citycomponents_plugin.core.editions.outputs import (
    JSON_NAME,
    WORKBOOK_NAME,
    change_record,
    change_rows,
    comparison_json,
    write_json,
    write_workbook_file,
)
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.atomic import prepare_folder


@dataclass
class ComparisonResult:
    comparison: Comparison
    rows: list  # comparison rows that are changes
    records: list  # change_record of each
    files: list  # paths written


def run_comparison(earlier: Edition, later: Edition, regions: dict, folder: str, tolerance: float = 1.0,
                   overwrite: bool = False, feedback=None) -> ComparisonResult:
    """Compare and write both files into `folder`; existing results are kept unless `overwrite`."""
    if not tolerance >= 0:
        raise CityComponentsError("tolerance_negative", "MOVE_TOLERANCE", value=tolerance)
    prepare_folder(folder)
    existing = [n for n in (WORKBOOK_NAME, JSON_NAME) if os.path.exists(os.path.join(folder, n))]
    if existing and not overwrite:
        raise CityComponentsError("comparison_exists", "OVERWRITE", folder=folder, files=", ".join(existing))
    comparison = compare_editions(earlier, later, tolerance)
    rows = change_rows(comparison)
    records = [change_record(comparison, r) for r in rows]
    files = [write_json(folder, comparison_json(comparison, regions, records))]
    files.append(write_workbook_file(folder, comparison, regions, records))
    return ComparisonResult(comparison, rows, records, files)
