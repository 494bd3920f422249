"""Messages as data: the engine says what is wrong with an id and values; the shells say it in words.

Why: the same error reaches an operator through Processing (who changes a parameter such as
GRID_CODE_FIELD) and through the dialog (who changes a box on a tab), in the UI language. So the
engine never builds the sentence itself. A message carries its id, a template (English, the
translation source) and its values; `render` translates the template and the terms among the
values, and asks the shell how to name the control to change (`{control}` in a template).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "CityComponentsMessages"

# id -> English template. QT_TRANSLATE_NOOP marks each for scripts/update_translations.py; placeholders
# are the message's values, and {control} is the shell's name for what the operator changes.
TEMPLATES = {
    "layer_missing": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No {role} layer was given. Choose the polygon layer of the {role} with {control}."),
    "layer_unreadable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' could not be read from '{source}'. Check that the file exists and is readable, "
        "or choose another layer with {control}."),
    "layer_not_polygon": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' has {geometry} geometries; the {role} must be a polygon layer. Choose another with "
        "{control}."),
    "layer_not_point": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' has {geometry} geometries; component, address and POI layers must be point layers. "
        "Choose point layers with {control}."),
    "layer_no_crs": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' has no defined CRS ({crs}). Set it in QGIS with Layer Properties > Source > Assigned "
        "Coordinate Reference System (or Processing's Assign projection tool, which writes it to the file) and run "
        "again."),
    "layer_empty": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Layer '{layer}' has no features. Choose another layer with {control}."),
    "no_component_layers": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No component layers were given. Choose one or more point layers with {control}."),
    "component_layers_empty": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "The component layers ({layers}) have no features. Choose layers that hold components with {control}."),
    "field_not_found": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' has no field '{field}' for the {role} (chosen with {control}). Its fields are: {fields}."),
    "field_not_detected": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': no field for the {role} could be detected. Tried: {tried}. Its fields are: {fields}. "
        "Choose the field with {control}."),
    "empty_region_keys": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': {count} feature(s) have an empty {role} in field '{field}' (feature ids {fids}). "
        "Fill them in, or choose another field with {control}."),
    "duplicate_region_keys": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': {count} duplicate value(s) in field '{field}' ({role} must be unique): {examples}. "
        "Merge or rename those features, or choose another field with {control}."),
    "region_untransformable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': feature {fid} ({key}) could not be transformed to {crs} ({reason}). Check the layer's CRS."),
    "source_unopenable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Layer '{layer}' could not be opened from {source}."),
    "level_missing": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No {level} layer was given: choose it with {control} to query this level."),
    "region_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No {level} named '{value}' in layer '{layer}'."),
    "region_unknown_close": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No {level} named '{value}' in layer '{layer}'. Did you mean: {close}?"),
    "grid_short_ambiguous": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The short grid code '{value}' names {count} grids in layer '{layer}': {grids}. "
        "Give the whole grid code, or choose the street office first."),
    "types_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown component type(s): {unknown}. Known types: {known}."),
    "cancelled": QT_TRANSLATE_NOOP("CityComponentsMessages", "Cancelled while {step}."),
    # outputs
    "folder_is_file": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' is an existing file, not a folder. Choose a folder "
        "with {control}."),
    "folder_uncreatable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' cannot be created ({reason}). Choose a folder you "
        "can write to with {control}."),
    "folder_unwritable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' is not writable ({reason}). Choose a folder you "
        "can write to with {control}."),
    "disk_full": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Could not write '{path}': {reason}. The disk is full: free space or choose "
        "another folder with {control}."),
    "write_failed": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Could not write '{path}': {reason}. Check that the folder is writable, or "
        "choose another folder with {control}."),
    "file_locked": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Cannot replace '{path}' ({reason}). Close it if it is open in another program "
        "(Excel, WPS, Word, a PDF viewer) and run again."),
    "path_outside_folder": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Refusing to write '{path}': it would be outside the output folder '{folder}'."),
    "results_exist": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' already holds results of a batch export "
        "({files}). Allow replacing them with {control}, or choose an empty folder."),
    "booklets_exist": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "{count} booklet(s) already exist in '{folder}': {files}. Choose another "
        "folder, delete them, or allow replacing them with {control}."),
    "formats_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown or no file format(s) {formats}: choose one or more of {known} with "
        "{control}."),
    "page_size_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown page size {value}: use 0 (A6) or 1 (A5) with {control}."),
    "booklet_needs_components": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Booklets list city components: addresses, reference objects and POIs have "
        "no 标识码 to print. Choose components with {control}."),
    "booklet_unwritable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Could not write the booklet '{path}'. Check that the folder is writable and "
        "the disk is not full."),
    "booklet_worker_failed": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "A booklet worker process stopped while writing the booklet of '{area}': "
        "{reason}. The booklets already written are complete; run again, or set {control} to 1 to write the "
        "booklets in QGIS's own process."),
    "layout_rows_lost": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Internal layout error: a table shows {shown} of {expected} rows. Please "
        "report this."),
    "batch_stopped": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The batch export stopped: {reason}. The files listed in {manifest} (status "
        "failed) are complete."),
    "encoding_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown text encoding '{value}': use UTF-8 or GBK with {control}."),
    "no_output_folder": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No output folder was given. Choose a folder for the booklets with {control}."),
    "row_taller_than_page": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "A table row is taller than a whole page; choose a larger page size with "
        "{control}."),
    "cover_does_not_fit": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Internal layout error: the cover table does not fit. Please report this."),
    # editions (compareeditions, PREVIOUS_EDITION)
    "edition_missing": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "No earlier edition was given. Choose its component layers or a batch-export "
        "folder that records an edition with {control}."),
    "edition_twice": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The earlier edition was given twice (layers and a folder). Keep one of them, "
        "with {control}."),
    "edition_folder_unusable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The folder '{folder}' does not record an edition ({reason}). Choose the folder "
        "of a batch export made with this version of the plugin with {control}."),
    "comparison_exists": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' already holds a comparison ({files}). Allow "
        "replacing it with {control}, or choose another folder."),
    "tolerance_negative": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The move tolerance must be 0 m or more, not {value}. Set it with {control}."),
    # warnings
    "unencodable_records": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "{count} record(s) have characters {encoding} cannot encode; they were written "
        "as '?': {examples}. Choose UTF-8 with {control} to keep them."),
    "batch_cancelled": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Cancelled: {manifest} lists the {count} file(s) finished."),
    # damaged and inconsistent inputs (SPEC 4.4-4.6, 8)
    "short_read": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': only {read} of its {expected} features could be read ({reason}). The file is probably "
        "damaged: check it with ogrinfo -al -so \"{source}\", restore it from a backup or repair it (for "
        "example copy the layer with ogr2ogr or Export > Save Features As), and run again. Nothing was counted."),
    "geometries_unreadable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': the geometries of {count} of its {read} features could not be read ({reason}). The "
        "file is probably damaged or cut short (a .shp copied half-way): check it with ogrinfo -al -so "
        "\"{source}\", restore it from a backup, and run again. Nothing was counted."),
    "dbf_missing": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' is a shapefile without its attribute table: '{dbf}' is missing, so the layer has no "
        "fields. Copy the .dbf file (and .cpg, .prj, .shx) beside the .shp and run again, or choose another "
        "layer with {control}."),
    "crs_incompatible": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' ({crs}) cannot be transformed to the CRS of the unit grids ({grid_crs}). Set the right "
        "CRS of each layer with Layer Properties > Source > Assigned Coordinate Reference System (or Processing's "
        "Assign projection tool) and run again."),
    "few_in_grids": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Only {assigned} of {located} components with a location ({share}) lie in a unit grid. A wrong CRS is "
        "the likely cause: the unit grids '{grid_layer}' are in {grid_crs} with extent {grid_extent}; the component "
        "layers (CRS; extent in their CRS): {layers}. "
        "Check each layer's CRS (Layer Properties > Source > Assigned Coordinate Reference System)."),
    "components_in_several_grids": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "{count} component(s) lie inside two or more unit grids of layer '{layer}' (grids that overlap or are "
        "duplicated); each was counted once, in the grid with the smallest code. For example: {examples}. Fix "
        "the grid layer so that grids do not overlap."),
    "overlapping_grids": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "{count} pair(s) of unit grids in layer '{layer}' overlap by more than {tolerance} of the smaller grid. "
        "For example: {examples}. Fix the grid layer so that grids do not overlap."),
    "numeric_code_field": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': the {role} field '{field}' is a number field ({type}); its values were read as digit "
        "strings (for example {example}). Codes belong in text fields: a number field loses leading zeros and "
        "cannot hold every long code. Convert it to a text field (Refactor Fields, or the Field Calculator with "
        "to_string())."),
    "dbf_not_utf8": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}' is a shapefile without a .cpg file and {count} of its {checked} text values checked are "
        "not UTF-8 (for example in field {field}); it is probably GBK. Set its encoding in QGIS with Layer "
        "Properties > Source > Data source encoding (GBK), or open it with the ENCODING open option "
        "('{source}|option:ENCODING=GBK'), or put a file '{cpg}' holding GBK beside it, and run again."),
    "fields_garbled": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "Layer '{layer}': no field for the {role} could be detected, and its field names are not valid text "
        "({fields}): it is a shapefile without a .cpg file, probably in GBK. Set its encoding with Layer "
        "Properties > Source > Data source encoding (GBK), or open it as '{source}|option:ENCODING=GBK', and run "
        "again."),
    "grids_outside_level": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "{count} unit grid(s) lie in no region of layer '{layer}' (for example {examples}); they are listed as "
        "the {level} region {pseudo}, with their {components} component(s), so the totals of every level still "
        "add up."),
    "grids_without_region": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "{count} component(s) lie in grids that belong to no {level} region; {summary} "
        "lists them in a separate row."),
    # runs that end early, concurrent runs, values no format can hold, lists (issue 11)
    "folder_locked": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' is in use by another run ({tool}, process {pid} "
        "on {host}, started {started}). Wait for it to finish or choose another folder with {control}. If no "
        "such run is going on any more, delete the file {lock} in that folder."),
    "lock_taken_over": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The output folder '{folder}' was held by a run that is no longer running "
        "(process {pid}, started {started}); this run took it over."),
    "temporary_files_removed": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Removed {count} temporary file(s) left in '{folder}' by an interrupted run."),
    "run_cancelled": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The run was cancelled: {manifest} (status cancelled) lists the {count} "
        "file(s) that were finished."),
    "booklets_cancelled": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The run was cancelled: {count} booklet(s) were completed in '{folder}'; no "
        "partial file was left."),
    "value_replaced_component": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Component {id}: the value '{value}' is written as '{became}' in {target}."),
    "value_replaced_region": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "{level} '{region}': the value '{value}' is written as '{became}' in {target}."),
    "value_replaced_name": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The name '{value}' is written as '{became}' in {target}."),
    "values_replaced_more": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "{count} more value(s) were replaced; manifest.json lists every one under "
        "\"replacements\"."),
    "list_value_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown value '{value}' for {control}. Choose from: {known}."),
    "layer_source_unknown": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "'{value}' in {control} is not a layer QGIS can open. Give one layer source per "
        "value, repeated or separated by commas (path|layername=layer)."),
    "list_value_unknown_close": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Unknown value '{value}' for {control}. Did you mean: {close}? Choose from: "
        "{known}."),
    # database (SPEC 11): errors name the database, never a password
    "database_unreachable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The database server of '{database}' cannot be reached ({reason}). Check that "
        "it runs and that host and port of the connection are right, then run again."),
    "database_login_failed": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The database '{database}' refused the login ({reason}). Check the user and "
        "password of the connection or its authentication configuration (Settings > Options > Authentication)."),
    "database_no_postgis": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The database '{database}' has no PostGIS extension. Ask its administrator to "
        "run CREATE EXTENSION postgis, or export the layers to a GeoPackage."),
    "database_no_privilege": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The database user may not read table '{table}' in '{database}' ({reason}). "
        "Ask the administrator for SELECT on it, or choose another layer with {control}."),
    "database_connection_lost": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The connection to the database '{database}' was lost during the run ({reason}). "
        "Nothing was written; run again when the server is back."),
    "database_error": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "The database '{database}' reported an error: {reason}"),
    "database_layer_unreadable": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Layer '{layer}' (table {table} in database '{database}') could not be read. "
        "Check the connection in the Browser panel, or choose another layer with {control}."),
    "engine_postgis": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: postgis (assignment and placement in the database '{database}', "
        "PostGIS {version})."),
    "engine_local": QT_TRANSLATE_NOOP("CityComponentsMessages", "Engine: local."),
    "engine_local_chosen": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (chosen with CITYCOMPONENTS_ENGINE=local)."),
    "engine_local_sources": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (the layers are not all in one PostGIS database)."),
    "engine_local_no_driver": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (the Python module psycopg2 is not installed)."),
    "engine_local_query_layer": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (a layer is an SQL query or has no single key column)."),
    "engine_local_edits": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (a layer has unsaved edits the database does not see)."),
    "engine_local_key": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (a table's key column is not an integer)."),
    "engine_local_crs": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "Engine: local (a layer's CRS was set by hand and differs from its table's SRID)."),
    "text": "{text}",  # a sentence made elsewhere (kept for callers not yet given ids)
    "audit_bad_tolerance": QT_TRANSLATE_NOOP(
        "CityComponentsMessages",
        "The edge tolerance {value} is negative. Give a distance in metres of 0 or more with {control}."),
}

# Words that appear inside messages as values (roles, steps): translated with the template.
TERMS = {
    "unit grids": QT_TRANSLATE_NOOP("CityComponentsMessages", "unit grids"),
    "grid code": QT_TRANSLATE_NOOP("CityComponentsMessages", "grid code"),
    "grid code (网格编码)": QT_TRANSLATE_NOOP("CityComponentsMessages", "grid code (网格编码)"),
    "street office name": QT_TRANSLATE_NOOP("CityComponentsMessages", "street office name"),
    "supervisor area name": QT_TRANSLATE_NOOP("CityComponentsMessages", "supervisor area name"),
    "community committee name": QT_TRANSLATE_NOOP("CityComponentsMessages", "community committee name"),
    "street code": QT_TRANSLATE_NOOP("CityComponentsMessages", "street code"),
    "supervisor code": QT_TRANSLATE_NOOP("CityComponentsMessages", "supervisor code"),
    "committee code": QT_TRANSLATE_NOOP("CityComponentsMessages", "committee code"),
    "identifier": QT_TRANSLATE_NOOP("CityComponentsMessages", "identifier"),
    "category": QT_TRANSLATE_NOOP("CityComponentsMessages", "category"),
    "name": QT_TRANSLATE_NOOP("CityComponentsMessages", "name"),
    "address": QT_TRANSLATE_NOOP("CityComponentsMessages", "address"),
    "component identifier (标识码)": QT_TRANSLATE_NOOP("CityComponentsMessages", "component identifier (标识码)"),
    "component type name": QT_TRANSLATE_NOOP("CityComponentsMessages", "component type name"),
    "stored grid code (所在单元网格)": QT_TRANSLATE_NOOP("CityComponentsMessages", "stored grid code (所在单元网格)"),
    "reading components": QT_TRANSLATE_NOOP("CityComponentsMessages", "reading components"),
    "placing grids in their regions": QT_TRANSLATE_NOOP("CityComponentsMessages", "placing grids in their regions"),
    "assigning components to grids": QT_TRANSLATE_NOOP("CityComponentsMessages", "assigning components to grids"),
    "GDAL reported no error": QT_TRANSLATE_NOOP("CityComponentsMessages", "GDAL reported no error"),
    "undefined": QT_TRANSLATE_NOOP("CityComponentsMessages", "undefined"),
    "xlsx files (characters XML cannot hold)": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "xlsx files (characters XML cannot hold)"),
    "text files (characters the encoding lacks)": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "text files (characters the encoding lacks)"),
    "file names (characters or names Windows does not allow)": QT_TRANSLATE_NOOP(
        "CityComponentsMessages", "file names (characters or names Windows does not allow)"),
    "checking the data": QT_TRANSLATE_NOOP("CityComponentsMessages", "checking the data"),
}


@dataclass(frozen=True)
class Term:
    """A value that is a word of ours (a role, a step), not data: it is translated like the template."""

    text: str

    def __post_init__(self) -> None:
        if self.text not in TERMS:
            raise KeyError(f"unknown message term {self.text!r}: add it to TERMS")


def term(text: str):
    """`text` as a Term when it is one of ours, else as it is (a Chinese level label, a layer name)."""
    return Term(text) if text in TERMS else text


@dataclass(frozen=True)
class Message:
    """One message: its id, its values, and the parameter whose control fixes it ('' for none)."""

    id: str
    values: dict = field(default_factory=dict)
    parameter: str = ""

    def __post_init__(self) -> None:
        if self.id not in TEMPLATES:
            raise KeyError(f"unknown message id {self.id!r}: add it to TEMPLATES")


Translate = Callable[[str, str], str]


def warn(feedback, message: Message) -> None:
    """A warning in the run's log, in the UI language; a shell may set `feedback.message_control`."""
    if feedback is not None:
        feedback.pushWarning(translated(message, getattr(feedback, "message_control", processing_control)))


def info(feedback, message: Message) -> None:
    """A line of the run's log (not a warning), in the UI language."""
    if feedback is not None:
        feedback.pushInfo(translated(message, getattr(feedback, "message_control", processing_control)))


def processing_control(parameter: str) -> str:
    """How Processing and qgis_process name what to change: the parameter."""
    if not parameter:
        return ""
    return QCoreApplication.translate("CityComponentsMessages", "the {0} parameter").format(parameter)


def _no_translation(_context: str, text: str) -> str:
    return text


def render(message: Message, control: Callable[[str], str] = processing_control,
           translate: Optional[Translate] = None) -> str:
    """The message in words: translated template and terms, data values as they are, the control named."""
    say = translate or _no_translation
    values = {k: say(CONTEXT, v.text) if isinstance(v, Term) else v for k, v in message.values.items()}
    values["control"] = control(message.parameter)
    return say(CONTEXT, TEMPLATES[message.id]).format(**values)


def english(message: Message) -> str:
    """The untranslated text with Processing's control names: str() of an error, logs, tests."""
    return render(message, lambda p: f"the {p} parameter" if p else "", _no_translation)


def translated(message: Message, control: Callable[[str], str] = processing_control) -> str:
    """The text in the UI language (QGIS's translator is installed by the plugin)."""
    return render(message, control, QCoreApplication.translate)
