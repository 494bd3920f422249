"""Write one booklet PDF per supervisor area: validated first, then each file written atomically.

Why atomic: a cancelled or failed run must never leave a half-written PDF that looks like a booklet,
and an existing booklet is only replaced when the user asked for it (SPEC 6, 8).
"""

from __future__ import annotations

import os
import time
from typing import Iterable, Optional, Sequence

from qgis.core import QgsLayoutExporter
from qgis.PyQt.QtCore import QMarginsF, QSizeF
from qgis.PyQt.QtGui import QFontDatabase, QPageLayout, QPageSize, QPainter, QPdfWriter

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.booklet import parallel, pdf_compact
from citycomponents_plugin.core.booklet.booklet_content import area_content
from citycomponents_plugin.core.booklet.booklet_layers import GridBoxes
from citycomponents_plugin.core.booklet.booklet_layout import PAGE_SIZES, build_booklet_layout
from citycomponents_plugin.core.booklet.pdf_unicode import fix_pdf_text
from citycomponents_plugin.core.codes import load_classification
from citycomponents_plugin.core.editions.marks import area_change_counts, change_marks, cover_line
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.atomic import atomic_path, prepare_folder
from citycomponents_plugin.core.files.run_lock import RunLock, report_lock
from citycomponents_plugin.core.files.safe_names import contained_path, report_file_name, unique_bases
from citycomponents_plugin.core.files.sanitize import Replacements
from citycomponents_plugin.core.levels import Level

PREFERRED_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei",
                   "微软雅黑", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                   "SimHei", "黑体", "SimSun", "宋体", "Noto Sans CJK TC", "Noto Sans CJK JP"]


def choose_font_family() -> tuple:
    """(family, warning or None): Noto Sans CJK SC when installed, else another font with Chinese glyphs."""
    families = compat.font_families()
    present = set(families)
    if PREFERRED_FONTS[0] in present:
        return PREFERRED_FONTS[0], None
    for fam in PREFERRED_FONTS[1:]:
        if fam in present:
            return fam, f"The font '{PREFERRED_FONTS[0]}' is not installed; booklets use '{fam}' instead."
    chinese = compat.font_families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if chinese:
        return chinese[0], (f"The font '{PREFERRED_FONTS[0]}' is not installed; booklets use '{chinese[0]}' "
                            "instead.")
    fallback = families[0] if families else "Sans Serif"
    return fallback, (f"No font with Chinese characters was found; Chinese text in the booklets may not show. "
                      f"Install '{PREFERRED_FONTS[0]}' (package fonts-noto-cjk) and run again.")


def booklet_file_names(names: Sequence[str]) -> list:
    """`<area name>.pdf`, filename-safe (the batch export's rule) and distinct case-insensitively."""
    return [base + ".pdf" for base in unique_bases(names, (".pdf",))]


def _prepare_folder(folder: str) -> None:
    if not folder:
        raise CityComponentsError("no_output_folder", "OUTPUT_FOLDER")
    prepare_folder(folder)


def resolve_areas(index, areas: Optional[Iterable] = None) -> list:
    """Supervisor-area Regions for names (None or empty: all areas, sorted by name).

    "All areas" are the supervisors' areas: the (不属于任何监督员责任区) pseudo-region (SPEC 4.4) has
    no supervisor to carry a booklet, so it is written only when named.
    """
    regions = index.regions(Level.SUPERVISOR)  # raises a clear error when SUPERVISORS was not given
    if not areas:
        return [r for r in regions if not r.pseudo]
    chosen, seen = [], set()
    for a in areas:
        region = a if hasattr(a, "key") else index.find_region(Level.SUPERVISOR, str(a))
        if region.index not in seen:
            seen.add(region.index)
            chosen.append(region)
    return chosen


def export_booklets(index, areas: Optional[Iterable] = None, page_size: int = 0, output_folder: str = "",
                    overwrite: bool = False, feedback=None, timings: Optional[list] = None,
                    workers: int = 0, changes=None) -> list:
    """Write `<area>.pdf` for each area, holding the folder's run lock (one run per folder, SPEC 6)."""
    _prepare_folder(output_folder)
    with RunLock(output_folder, "booklet") as lock:
        report_lock(feedback, lock)
        return _export_booklets(index, areas, page_size, output_folder, overwrite, feedback, timings, workers,
                                changes)


def _export_booklets(index, areas: Optional[Iterable] = None, page_size: int = 0, output_folder: str = "",
                     overwrite: bool = False, feedback=None, timings: Optional[list] = None,
                     workers: int = 0, changes=None) -> list:
    """Write `<area>.pdf` for each area; returns the paths written (only complete files), in area order.

    Everything that can be checked is checked before the first PDF: the areas, the folder, and that
    no existing booklet would be replaced without `overwrite`. Cancelling (feedback) stops between
    areas. `timings`, if given, receives (area name, seconds) per booklet. `workers` processes write
    the booklets (0: one per processor core; 1: all in this process); the pages are the same.
    `changes` (a comparison with a previous edition, core/editions) marks new and changed components
    and puts the counts on the cover.
    """
    if page_size not in range(len(PAGE_SIZES)):
        raise CityComponentsError("page_size_unknown", "PAGE_SIZE", value=page_size)
    if index.kind == KIND_ADDRESSES:
        raise CityComponentsError("booklet_needs_components", "KIND")
    regions = resolve_areas(index, areas)
    _prepare_folder(output_folder)
    names = booklet_file_names([r.key for r in regions])
    replacements = Replacements()
    for region in regions:
        report_file_name(replacements, ("region", Level.SUPERVISOR.label, region.key), region.key)
    if hasattr(feedback, "pushWarning"):
        replacements.report(feedback)
    targets = [contained_path(output_folder, n) for n in names]
    existing = [os.path.basename(t) for t in targets if os.path.exists(t)]
    if existing and not overwrite:
        shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise CityComponentsError("booklets_exist", "OVERWRITE", count=len(existing), folder=output_folder,
                                  files=shown)
    family, warning = choose_font_family()
    if warning and hasattr(feedback, "pushWarning"):  # a QgsProcessingFeedback; a plain QgsFeedback has no log
        feedback.pushWarning(warning)
    done: dict = {}
    started = [0]

    def cancelled() -> bool:
        return feedback is not None and feedback.isCanceled()

    def on_start(n: int) -> None:
        if feedback is not None and hasattr(feedback, "setProgressText"):
            started[0] += 1
            feedback.setProgressText(f"{regions[n].key} ({started[0]}/{len(regions)})")

    def on_done(n: int, seconds: float) -> None:
        done[n] = seconds
        if feedback is not None:
            feedback.setProgress(100.0 * len(done) / max(len(regions), 1))

    marks, cover_lines = None, None
    if changes is not None:  # what changed since the previous edition: marks on the pages, counts on the cover
        marks = change_marks(changes)
        cover_lines = {key: cover_line(counts) for key, counts in area_change_counts(changes).items()}
        cover_lines.update({r.key: cover_line({}) for r in regions if r.key not in cover_lines})
    count = parallel.worker_count(workers, len(regions))
    python = parallel.python_interpreter() if count > 1 else None
    if python is None:
        writer = BookletWriter(index, page_size, family, marks, cover_lines)
        for n, (region, target) in enumerate(zip(regions, targets)):
            if cancelled():
                break
            on_start(n)
            start = time.perf_counter()
            writer.write(region, target)
            on_done(n, time.perf_counter() - start)
    else:
        weights = [len(m) for m in index.members_by_region(Level.SUPERVISOR)]
        jobs = [(r, t, weights[r.index]) for r, t in zip(regions, targets)]
        def on_tick() -> None:  # the dialog's feedback lets events through on every progress call
            if feedback is not None:
                feedback.setProgress(100.0 * len(done) / max(len(regions), 1))

        parallel.write_in_workers(index, jobs, count, python, on_start, on_done, cancelled,
                                  {"page_size": page_size, "family": family, "marks": marks,
                                   "cover_lines": cover_lines}, on_tick)
    if timings is not None:
        timings.extend((regions[n].key, done[n]) for n in sorted(done))
    if feedback is not None and not feedback.isCanceled():
        feedback.setProgress(100.0)
    return [targets[n] for n in sorted(done)]


class BookletWriter:
    """What every booklet of a run shares (classification, grid boxes, members per area), set up once."""

    def __init__(self, index, page_size: int, family: str, marks=None, cover_lines: Optional[dict] = None) -> None:
        self.index = index
        self.marks = marks  # per component: its change mark since the previous edition, or None
        self.cover_lines = cover_lines or {}  # area key -> the cover's line of changes
        self.spec = PAGE_SIZES[page_size]
        self.family = family
        self.table = load_classification()
        self.boxes = GridBoxes.of(index.grid_geometries)
        self.members = index.members_by_region(Level.SUPERVISOR)

    def write(self, region, target: str) -> None:
        content = area_content(self.index, region, self.table, self.members[region.index], self.marks,
                               self.cover_lines.get(region.key, ""))
        write_booklet(self.index, content, self.spec, self.family, self.boxes, target)


def write_booklet(index, content, spec, family: str, boxes: GridBoxes, target: str) -> None:
    """Lay out one booklet, render it into a temporary PDF, then move it into place."""
    builder = build_booklet_layout(index, content, spec, family, boxes)
    try:
        with atomic_path(target, ".pdf") as tmp:  # the PDF writer creates the file: usual permissions
            render_pdf(builder, tmp, f"{content.region.key} 监督员手册")
            fix_pdf_text(tmp, family)
            pdf_compact.compact(tmp)
    finally:
        builder.release()


def render_pdf(builder, path: str, title: str) -> None:
    """Every page of every section layout, in order, into one PDF (vector maps, text as text).

    This is what QgsLayoutExporter.exportToPdf does for one layout (a QPainter on a PDF device, one
    renderPage per page), done across the booklet's section layouts; a page of text only has no
    layout page and is painted directly (booklet_canvas).
    """
    spec = builder.spec
    writer = QPdfWriter(path)
    writer.setTitle(title)
    writer.setCreator("City Components (城市部件档案统计)")
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QSizeF(spec.width, spec.height), QPageSize.Unit.Millimeter, spec.name,
                                 QPageSize.SizeMatchPolicy.ExactMatch))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(writer):
        raise CityComponentsError("booklet_unwritable", path=path)
    try:
        exporters: dict = {}
        k = writer.resolution() / 25.4  # the painter's units on the PDF device: dots
        for n, ((layout, page), text) in enumerate(zip(builder.pages, builder.texts)):
            if n:
                writer.newPage()
            if layout is None:  # a page of text only: painted straight into the PDF
                text.paint(painter, k)
                continue
            exporter = exporters.get(id(layout))
            if exporter is None:
                exporter = exporters[id(layout)] = QgsLayoutExporter(layout)
            exporter.renderPage(painter, page)
    finally:
        painter.end()
