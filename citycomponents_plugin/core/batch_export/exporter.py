"""The batch export run: plan every file, refuse to clobber, write atomically, manifest last (SPEC 6).

Per-component strings (xlsx rows, encoded txt/csv lines, display widths) are prepared once and
shared by all levels, so a level costs only the file writes. Nothing is kept per file: memory is the
prepared rows plus one workbook being streamed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from citycomponents_plugin.core.batch_export.ledger import LEDGER_XLSX_NAME, write_ledger_workbook
from citycomponents_plugin.core.batch_export.manifest import (
    MANIFEST_NAME,
    STATUS_CANCELLED,
    STATUS_COMPLETE,
    STATUS_FAILED,
    STATUS_RUNNING,
    new_manifest,
    region_entry,
    reserve_manifest_space,
    write_manifest,
)
from citycomponents_plugin.core.engine.district_index import DistrictIndex
from citycomponents_plugin.core.engine.inputs import ASSIGN_BY_STORED_CODE
from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.files.atomic import (
    atomic_file,
    prepare_folder,
    write_bytes_atomic,
    write_error,
)
from citycomponents_plugin.core.files.delimited import (
    LineEncoder,
    check_encoding,
    csv_line,
    text_file_chunks,
    txt_line,
)
from citycomponents_plugin.core.files.result_files import (
    STATISTICS_SUFFIX,
    TOTAL_LABEL,
    column_display_widths,
    statistics_headers,
    write_region_texts,
    write_region_workbook,
)
from citycomponents_plugin.core.files.run_lock import RunLock, report_lock
from citycomponents_plugin.core.files.safe_names import (
    contained_path,
    relative_posix,
    report_file_name,
    unique_bases,
)
from citycomponents_plugin.core.files.sanitize import Replacements
from citycomponents_plugin.core.files.workbook import (
    SheetData,
    display_width,
    prepare_row,
    write_workbook,
)
from citycomponents_plugin.core.levels import LEVEL_ORDER, Level
from citycomponents_plugin.core.messages import Message, warn

FORMATS = ("xlsx", "txt", "csv")
SUMMARY_NAME = "汇总.xlsx"
LEDGER_NAME = "部件总表.csv"
UNASSIGNED_SHEET = "未落入网格"
# Every suffix a region may write: names are reserved for all of them, so they do not depend on FORMATS.
FORMAT_SUFFIXES = {"xlsx": (".xlsx",), "txt": (".txt", STATISTICS_SUFFIX + ".txt"), "csv": (".csv",)}
REGION_SUFFIXES = tuple(s for f in FORMATS for s in FORMAT_SUFFIXES[f])


class _Feedback:
    """The feedback methods used here, taken from a QgsProcessingFeedback, a plain QgsFeedback (which has no
    setProgressText/pushInfo/pushWarning), anything alike, or None."""

    METHODS = ("setProgress", "setProgressText", "pushInfo", "pushWarning", "isCanceled")

    def __init__(self, feedback=None) -> None:
        for name in self.METHODS:
            method = getattr(feedback, name, None) if feedback is not None else None
            setattr(self, name, method or getattr(self, "_" + name))

    @staticmethod
    def _setProgress(_value: float) -> None:
        pass

    @staticmethod
    def _setProgressText(_text: str) -> None:
        pass

    @staticmethod
    def _pushInfo(_text: str) -> None:
        pass

    @staticmethod
    def _pushWarning(_text: str) -> None:
        pass

    @staticmethod
    def _isCanceled() -> bool:
        return False


@dataclass
class _LevelPlan:
    """One level: its regions, their members (detail order), file bases and planned paths."""

    level: Level
    folder: str
    regions: list
    members: list
    bases: list
    paths: list = field(default_factory=list)  # per region: list of absolute paths (empty for total 0)


@dataclass
class _Prepared:
    """Per-component strings shared by every level (None where a component is not exported)."""

    xlsx_rows: Optional[list]
    txt_lines: Optional[list]
    csv_lines: Optional[list]
    widths: list  # per detail column: np.ndarray of display widths


def export_district(index: DistrictIndex, output_folder: str, levels: Optional[Iterable[Level]] = None,
                    formats: Sequence[str] = ("xlsx", "txt"), encoding: str = "utf-8",
                    types: Optional[Sequence[str]] = None, overwrite: bool = False, feedback=None,
                    before_manifest: Optional[Callable[[str, dict], None]] = None, changes=None) -> dict:
    """Write every region of every level (SPEC 6) and return the manifest (also written as manifest.json).

    Raises CityComponentsError before writing anything when the request or the folder is unusable, or
    when OVERWRITE is off and an output already exists. A cancel (feedback.isCanceled()) stops between
    regions; the manifest then says "cancelled" and lists only finished regions and files.
    `before_manifest(folder, manifest)` runs when every region is written, before the manifest (the
    edition record uses it to add its file and its "edition" key). `changes` (core/editions/batch.py
    BatchChanges, from PREVIOUS_EDITION) adds a 变更 sheet per region workbook and change columns to 汇总.
    """
    fb = _Feedback(feedback)
    levels = _check_levels(index, levels)
    formats = _check_formats(formats)
    encoder = LineEncoder(check_encoding(encoding))
    tmask = index.type_mask(types)

    folder = os.path.abspath(output_folder)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CityComponentsError("folder_is_file", "OUTPUT_FOLDER", folder=folder)
    replacements = Replacements()
    encoder.replacements = replacements
    plans = [_plan_level(index, level, folder, formats, types, replacements) for level in levels]
    top_files = [SUMMARY_NAME, LEDGER_NAME] + ([LEDGER_XLSX_NAME] if "xlsx" in formats else [])
    prepare_folder(folder)
    with RunLock(folder, "batchexport") as lock:
        report_lock(fb, lock)
        _check_existing(folder, plans, top_files, overwrite)
        if overwrite:
            _remove_old_manifest(folder)
        for plan in plans:
            prepare_folder(contained_path(folder, plan.level.label))
        _check_names(index, formats, encoder.encoding, replacements)
        reserve = reserve_manifest_space(folder, plans, index)
        try:
            run = _Run(folder, new_manifest(index), replacements, reserve)
        except BaseException:
            reserve.release()
            raise
        try:
            return _export(index, plans, levels, formats, types, tmask, encoder, fb, run, before_manifest,
                           changes)
        except CityComponentsError as exc:
            run.fail(str(exc))
            raise
        except Exception as exc:  # noqa: BLE001 - disk full, permissions...: say so in the manifest, then report
            run.fail(str(exc))
            raise CityComponentsError("batch_stopped", reason=str(exc), manifest=MANIFEST_NAME) from exc
        finally:
            run.reserve.release()


class _Run:
    """The manifest of a run in progress: saved as "running" now and then, and its end written whatever happens.

    Why: a run killed outright (SIGKILL, power cut) cannot write anything at the end, so the folder must
    already say what it holds: manifest.json "running" (with a stale lock) lists complete files only.
    """

    SAVE_EVERY = 5.0  # seconds between "running" saves while regions are written, at least
    SAVE_SHARE = 20  # and at least this many times as long as a save takes (a 1,800-region manifest: 0.1 s)

    def __init__(self, folder: str, manifest: dict, replacements: Replacements, reserve) -> None:
        self.folder = folder
        self.manifest = manifest
        self.replacements = replacements
        self.reserve = reserve
        self.region_files: list = []  # files of the region being written, removed if it cannot finish
        self.saved = 0.0
        self.interval = self.SAVE_EVERY
        self.save(STATUS_RUNNING)

    def save(self, status: str) -> None:
        start = time.monotonic()
        # keys in the contract's order: ..., files, [error,] replacements, status, warnings, audit, edition
        tail = {key: self.manifest.pop(key) for key in ("warnings", "audit", "edition") if key in self.manifest}
        self.manifest.pop("status", None)
        self.manifest["replacements"] = self.replacements.manifest_entries()
        self.manifest["status"] = status
        self.manifest.update(tail)
        write_manifest(self.folder, self.manifest)
        self.saved = time.monotonic()
        self.interval = max(self.SAVE_EVERY, self.SAVE_SHARE * (self.saved - start))

    def save_now_and_then(self) -> None:
        if time.monotonic() - self.saved >= self.interval:
            self.save(STATUS_RUNNING)

    def finish(self, status: str) -> None:
        """The last manifest: the reserved space is given back first, so a full disk can still take it."""
        self.reserve.release()
        self.save(status)

    def fail(self, error: str) -> None:
        """A run that failed midway still says what it finished: status "failed", only complete files listed."""
        for path in self.region_files:  # an unfinished region lists no file: its finished ones go
            try:
                os.unlink(path)
            except OSError:
                pass
        self.region_files = []
        self.manifest["error"] = error
        try:
            self.finish(STATUS_FAILED)
        except Exception:  # noqa: BLE001 - the folder itself is failing: the original error is what matters
            pass


def _export(index: DistrictIndex, plans: list, levels: list, formats: list, types, tmask,
            encoder: LineEncoder, fb, run: _Run, before_manifest=None, changes=None) -> dict:
    folder, manifest, replacements = run.folder, run.manifest, run.replacements
    if _cancelled(fb, run):
        return manifest
    fb.setProgress(0)
    fb.setProgressText("Preparing rows")
    exported = (index.comp_grid >= 0) if tmask is None else ((index.comp_grid >= 0) & tmask)
    prepared = _prepare(index, np.nonzero(exported)[0], formats, encoder, replacements)
    if _cancelled(fb, run):
        return manifest

    fb.setProgress(3)
    fb.setProgressText(f"Writing {LEDGER_NAME}")
    _write_ledger(index, contained_path(folder, LEDGER_NAME))
    manifest["files"].append(LEDGER_NAME)
    if "xlsx" in formats:
        fb.setProgressText(f"Writing {LEDGER_XLSX_NAME}")
        write_ledger_workbook(contained_path(folder, LEDGER_XLSX_NAME), *_ledger_table(index))
        manifest["files"].append(LEDGER_XLSX_NAME)
    fb.setProgressText(f"Writing {SUMMARY_NAME}")
    _write_summary(index, levels, types, contained_path(folder, SUMMARY_NAME), fb, replacements, changes)
    manifest["files"].insert(0, SUMMARY_NAME)
    run.save(STATUS_RUNNING)
    fb.setProgress(8)

    work = sum(len(m) + 300 * bool(len(m)) for plan in plans for m in plan.members) or 1
    done = 0
    stat_headers = statistics_headers(index.kind)
    detail_headers = index.detail_headers()
    for plan in plans:
        entries = manifest["levels"][plan.level.value]
        codes = index.region_codes(plan.level)
        shown = 0.0
        for n, (region, members, paths) in enumerate(zip(plan.regions, plan.members, plan.paths)):
            if _cancelled(fb, run):
                return manifest
            stats = index.statistics(members)
            if len(members):
                # Every region of the upper levels; grids (1,600 of them) at most twice a second.
                now = time.monotonic()
                if plan.level != Level.GRID or now - shown >= 0.5 or n + 1 == len(plan.regions):
                    fb.setProgressText(f"{plan.level.label} {region.key} ({n + 1}/{len(plan.regions)})")
                    shown = now
                run.region_files = []
                extra = changes.region_sheet(plan.level, region.key) if changes is not None else None
                _write_region(paths, members, stats, stat_headers, detail_headers, prepared, encoder,
                              run.region_files, [extra] if extra is not None else [])
                run.region_files = []
            entries.append(region_entry(region.key, region.name, codes[region.index], len(members), dict(stats),
                                        [relative_posix(folder, p) for p in paths]))
            done += len(members) + 300 * bool(len(members))
            fb.setProgress(8 + 91 * done / work)
            run.save_now_and_then()
        empty = sum(1 for e in entries if not e["total"])
        fb.pushInfo(f"{plan.level.label}: {len(entries)} region(s), {sum(len(e['files']) for e in entries)} file(s)"
                    + (f"; {empty} region(s) without components have no files" if empty else ""))

    if encoder.issues:
        warn(fb, Message("unencodable_records", {"count": len(encoder.issues),
                                                  "encoding": encoder.encoding.upper(),
                                                  "examples": encoder.issue_summary()}, "ENCODING"))
    replacements.report(fb)
    if before_manifest is not None:  # the edition record (core/editions/folder.py): its file and key
        before_manifest(folder, manifest)
    run.finish(STATUS_COMPLETE)
    fb.setProgress(100)
    fb.pushInfo(f"Wrote {count_files(manifest)} file(s) and {MANIFEST_NAME} to {folder}")
    return manifest


def count_files(manifest: dict) -> int:
    """Files the manifest lists (top-level and per region), not counting manifest.json itself."""
    return len(manifest["files"]) + sum(len(e["files"]) for entries in manifest["levels"].values() for e in entries)


# ----- checks and planning ------------------------------------------------------------------------
def _check_levels(index: DistrictIndex, levels: Optional[Iterable[Level]]) -> list:
    wanted = set(levels) if levels else set(index.levels_present())
    for level in wanted:
        index.regions(level)  # raises with the parameter to set when the level's layer is missing
    return [lvl for lvl in LEVEL_ORDER if lvl in wanted]


def _check_formats(formats: Sequence[str]) -> list:
    chosen = [str(f).lower().lstrip(".") for f in formats or ()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise CityComponentsError("formats_unknown", "FORMATS", formats=", ".join(unknown) or "-",
                                  known=", ".join(FORMATS))
    return [f for f in FORMATS if f in chosen]


def _plan_level(index: DistrictIndex, level: Level, folder: str, formats: list, types,
                replacements: Replacements) -> _LevelPlan:
    regions = index.regions(level)
    members = index.members_by_region(level, types)
    bases = unique_bases([r.key for r in regions], REGION_SUFFIXES)
    for region, m in zip(regions, members):
        if len(m):
            report_file_name(replacements, ("region", level.label, region.key), region.key)
    plan = _LevelPlan(level, level.label, regions, members, bases)
    suffixes = [s for f in formats for s in FORMAT_SUFFIXES[f]]
    plan.paths = [[contained_path(folder, level.label, base + s) for s in suffixes] if len(m) else []
                  for base, m in zip(bases, members)]
    return plan


def _check_existing(folder: str, plans: list, top_files: list, overwrite: bool) -> None:
    """OVERWRITE off: refuse when any output name is taken, before anything is written."""
    if overwrite or not os.path.isdir(folder):
        return
    names = [MANIFEST_NAME] + top_files
    taken = [n for n in names if os.path.lexists(os.path.join(folder, n))]
    for plan in plans:
        if len(taken) >= 5:
            break
        taken += [relative_posix(folder, p) for paths in plan.paths for p in paths if os.path.lexists(p)][:5]
    if taken:
        raise CityComponentsError("results_exist", "OVERWRITE", folder=folder,
                                  files=", ".join(taken[:5]) + (", ..." if len(taken) > 5 else ""))


def _remove_old_manifest(folder: str) -> None:
    """An overwrite run drops the previous manifest first: a failed run must not look complete."""
    path = os.path.join(folder, MANIFEST_NAME)
    if os.path.isfile(path):
        try:
            os.unlink(path)
        except OSError as exc:
            raise write_error(path, exc) from exc


def _cancelled(fb, run: _Run) -> bool:
    if not fb.isCanceled():
        return False
    run.finish(STATUS_CANCELLED)
    warn(fb, Message("batch_cancelled", {"manifest": MANIFEST_NAME, "count": count_files(run.manifest)}))
    return True


# ----- per-component preparation ------------------------------------------------------------------
def _check_names(index: DistrictIndex, formats: list, encoding: str, replacements: Replacements) -> None:
    """Type and layer names, once: they reach the xlsx files (statistics, 汇总.xlsx) and the text files."""
    for name in index.type_names:
        replacements.check_xlsx(("type", name), [name])
        if encoding != "utf-8" and ("txt" in formats or "csv" in formats):
            replacements.check_text(("type", name), [name], encoding)
    for info in index.layers:
        replacements.check_xlsx(("layer", info.name), [info.name])


def _prepare(index: DistrictIndex, comps: np.ndarray, formats: list, encoder: LineEncoder,
             replacements: Replacements) -> _Prepared:
    """Rows, encoded lines and widths for the exported components, once for every level."""
    n = index.components_read
    rows = index.detail_rows(comps)
    owners = index.comp_id[comps].tolist()
    order = comps.tolist()
    xlsx_rows = txt_lines = csv_lines = None
    if "xlsx" in formats:
        xlsx_rows = [None] * n
        for i, row, owner in zip(order, rows, owners):
            xlsx_rows[i] = prepare_row(row, replacements, ("component", owner))
    if "txt" in formats:
        txt_lines = [None] * n
        for i, row, owner in zip(order, rows, owners):
            txt_lines[i] = encoder.encode(txt_line(row), owner, row, ("component", owner))
    if "csv" in formats:
        csv_lines = [None] * n
        for i, row, owner in zip(order, rows, owners):
            csv_lines[i] = encoder.encode(csv_line(row), owner, row, ("component", owner))
    widths = []
    for column in column_display_widths(rows, len(index.detail_headers())) if xlsx_rows is not None else []:
        w = np.zeros(n, dtype=np.int32)
        w[comps] = column
        widths.append(w)
    return _Prepared(xlsx_rows, txt_lines, csv_lines, widths)


# ----- region files --------------------------------------------------------------------------------
def _write_region(paths: list, members: np.ndarray, stats: list, stat_headers: tuple, detail_headers: list,
                  prepared: _Prepared, encoder: LineEncoder, finished: list, extra_sheets: Sequence = ()) -> None:
    """The region's files, in the order of `paths` (xlsx, txt, 统计结果.txt, csv as chosen); each complete
    file is appended to `finished` (a region that cannot finish removes them). `extra_sheets` go into the
    workbook after 统计 and 明细 (the 变更 sheet of an edition comparison)."""
    ids = members.tolist()
    todo = list(paths)
    if prepared.xlsx_rows is not None:
        finished.append(todo.pop(0))
        write_region_workbook(finished[-1], stat_headers, stats, detail_headers,
                              map(prepared.xlsx_rows.__getitem__, ids), len(ids),
                              [w[members] for w in prepared.widths], extra_sheets)
    if prepared.txt_lines is not None:
        finished.extend(todo[:2])
        write_region_texts(todo.pop(0), todo.pop(0), encoder, detail_headers,
                           map(prepared.txt_lines.__getitem__, ids), stat_headers, stats)
    if prepared.csv_lines is not None:
        header = encoder.encode(csv_line(detail_headers))
        finished.append(todo.pop(0))
        write_bytes_atomic(finished[-1], text_file_chunks(encoder.bom, header,
                                                          map(prepared.csv_lines.__getitem__, ids)))


def _write_xlsx(path: str, sheets: list) -> None:
    with atomic_file(path) as fh:
        write_workbook(fh, sheets)


# ----- 部件总表.csv ---------------------------------------------------------------------------------
def _ledger_table(index: DistrictIndex) -> tuple:
    """(headers, rows) of the ledger: every component read, in detail order, with its grid and regions."""
    order = index.detail_order
    rows = index.detail_rows(order)
    layer_names = [info.name for info in index.layers]
    layers = [layer_names[i] for i in index.comp_layer[order].tolist()]
    uppers = [index.region_key_of(lvl, order) if lvl in index.levels else [""] * len(order)
              for lvl in (Level.COMMITTEE, Level.STREET, Level.SUPERVISOR)]
    headers = index.detail_headers()[:-1] + ["图层", "单元网格", "社区居委会", "街道", "监督员责任区"]
    return headers, [row[:-1] + (layer, row[-1], committee, street, supervisor)
                     for row, layer, committee, street, supervisor in zip(rows, layers, *uppers)]


def _write_ledger(index: DistrictIndex, path: str) -> None:
    """部件总表.csv ('' where a component has no grid or region): UTF-8 with BOM, codes as plain digits.

    Plain text for tools (pandas, ogr2ogr, a database's COPY): Excel opening it by double-click turns a
    16-digit 标识码 into 1.10101E+15, so 部件总表.xlsx (codes as text cells) is the ledger for Excel.
    """
    headers, rows = _ledger_table(index)

    def lines():
        yield "\ufeff" + csv_line(headers)
        for row in rows:
            yield csv_line(row)

    chunk: list = []
    chunks: list = []
    for line in lines():
        chunk.append(line)
        if len(chunk) == 20000:
            chunks.append("".join(chunk).encode("utf-8"))
            chunk = []
    chunks.append("".join(chunk).encode("utf-8"))
    write_bytes_atomic(path, chunks)


# ----- 汇总.xlsx -------------------------------------------------------------------------------------
def _write_summary(index: DistrictIndex, levels: list, types, path: str, fb, replacements: Replacements,
                   changes=None) -> None:
    """One cross-tab sheet per level (代码, 名称, 合计, one column per type, totals row) and 未落入网格;
    with `changes`, the columns 新增, 删除, 移位, 变更 after the type columns."""
    tmask = index.type_mask(types)
    assigned = index.comp_grid >= 0
    exported = assigned if tmask is None else assigned & tmask
    type_order = _type_order(index, exported, tmask)
    type_names = [index.type_names[t] for t in type_order]
    sheets = []
    for level in levels:
        table = index.crosstab(level, types)[:, type_order]
        codes = index.region_codes(level)
        rows = [prepare_row((code, r.key, int(counts.sum()), *counts.tolist()), replacements,
                            ("region", level.label, r.key))
                for r, code, counts in zip(index.regions(level), codes, table)]
        col_totals = np.sum([r[3:] for r in rows], axis=0).tolist() if rows and type_names else [0] * len(type_names)
        footer = ("", TOTAL_LABEL, int(sum(r[2] for r in rows)), *col_totals)
        headers = ["代码", "名称", TOTAL_LABEL] + type_names
        widths = [max([display_width(headers[0])] + [display_width(r[0]) for r in rows]),
                  max([display_width(headers[1])] + [display_width(r[1]) for r in rows]),
                  8] + [max(display_width(t), 6) for t in type_names]
        if changes is not None:
            keys = [r.key for r in index.regions(level)]  # the (不属于任何…) pseudo-region is one of them
            rows, headers, widths, footer = _with_change_columns(changes, level, rows, keys, headers, widths, footer)
        sheets.append(SheetData(level.label, headers, rows, len(rows), widths,
                                count_columns=tuple(range(2, len(headers))), footer=footer))
    sheets.append(_unassigned_sheet(index, replacements))
    _write_xlsx(path, sheets)


def _with_change_columns(changes, level: Level, rows: list, keys: list, headers: list, widths: list,
                         footer: tuple) -> tuple:
    """The summary rows (one per key) with the region's change counts appended."""
    from citycomponents_plugin.core.editions.batch import SUMMARY_HEADERS

    out = [prepare_row((*row, *changes.summary_columns(level, key))) for row, key in zip(rows, keys)]
    totals = np.sum([r[-4:] for r in out], axis=0).tolist() if out else [0] * 4
    return (out, headers + list(SUMMARY_HEADERS), widths + [6] * 4, (*footer, *[int(t) for t in totals]))


def _type_order(index: DistrictIndex, exported: np.ndarray, tmask: Optional[np.ndarray]) -> list:
    """Type columns: most numerous first (like the statistics), then the types with no assigned component."""
    counts = np.bincount(index.comp_type[exported], minlength=len(index.type_names))
    allowed = np.ones(len(index.type_names), dtype=bool)
    if tmask is not None:
        allowed[:] = False
        allowed[np.unique(index.comp_type[tmask])] = True
    order = [t for t in range(len(index.type_names)) if allowed[t]]
    return sorted(order, key=lambda t: (-int(counts[t]), index.type_names[t]))


def _unassigned_sheet(index: DistrictIndex, replacements: Replacements) -> SheetData:
    """未落入网格: every component in no grid, with the reason."""
    order = index.detail_order
    unassigned = order[index.comp_grid[order] < 0]
    rows = index.detail_rows(unassigned)
    layer_names = [info.name for info in index.layers]
    stored = index.assign_by == ASSIGN_BY_STORED_CODE
    untransformable = set(index.report.untransformable.tolist())
    out = []
    for i, row in zip(unassigned.tolist(), rows):
        if stored:
            reason = "所在单元网格为空或不是网格编码"
        elif i in untransformable:
            reason = "坐标无法转换到网格坐标系"
        else:
            reason = "无几何" if not index.comp_valid[i] else "不在任何网格内"
        out.append(prepare_row((row[0], row[1], layer_names[index.comp_layer[i]], reason), replacements,
                               ("component", row[0])))
    headers = index.detail_headers()[:2] + ["图层", "原因"]
    widths = [max([display_width(headers[c])] + [display_width(r[c]) for r in out]) for c in range(4)]
    return SheetData(UNASSIGNED_SHEET, headers, out, len(out), widths)
