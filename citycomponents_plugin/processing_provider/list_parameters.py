"""Parameters that take several names: `NAME=a,b` and `NAME=a NAME=b` mean the same, an unknown name is an error.

Why: QGIS 3.22's qgis_process passes a repeated argument as a string list. A string parameter then
read as "" (every area: 22 booklets where 2 were asked), and an enum parameter failed QGIS's own check
with "Incorrect parameter value". These helpers read the raw value (a string, a number, or a list of
them, from qgis_process, processing.run or the dialog), split each item at the separators, and map
enum items by index or by name; anything unknown is refused naming the value and the close matches.
"""

from __future__ import annotations

import difflib
import re
from typing import Optional, Sequence

from qgis.core import QgsProcessingException, QgsProcessingUtils

from citycomponents_plugin.core.messages import Message, translated

NAME_SEPARATORS = r"[,，;；\n]"  # area names keep 、 (东四六条、东四七条)
TYPE_SEPARATORS = r"[,，、;；\n]"  # type names never hold 、


def list_items(parameters: dict, name: str, separators: str = NAME_SEPARATORS, algorithm=None, context=None) -> list:
    """The items of a list parameter, in order, stripped, empty ones dropped (unset: []).

    A value that is no string, number or list (a QgsProperty from the model designer) is read with
    `algorithm.parameterAsString`, when an algorithm is given.
    """
    value = parameters.get(name) if parameters else None
    if value is None:
        return []
    if not isinstance(value, (str, int, float, list, tuple)) and algorithm is not None:
        value = algorithm.parameterAsString(parameters, name, context)
    values = value if isinstance(value, (list, tuple)) else [value]
    items = []
    for v in values:
        if v is None:
            continue
        text = str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v))
        items += [p.strip() for p in re.split(separators, text) if p.strip()]
    return items


def names_or_none(parameters: dict, name: str, separators: str = NAME_SEPARATORS, algorithm=None,
                  context=None) -> Optional[list]:
    """Names of a string list parameter (SUPERVISOR_AREAS, TYPES); None when none were given (= all)."""
    return list_items(parameters, name, separators, algorithm, context) or None


def _unknown(name: str, value: str, known: Sequence[str]) -> QgsProcessingException:
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.5)
    values = {"value": value, "known": ", ".join(known)}
    if close:
        message = Message("list_value_unknown_close", dict(values, close=", ".join(close)), name)
        return QgsProcessingException(translated(message))
    return QgsProcessingException(translated(Message("list_value_unknown", values, name)))


def enum_items(parameters: dict, name: str, options: Sequence[str], aliases: Sequence[Sequence[str]] = ()) -> list:
    """Indexes of an enum list parameter given by index ("0,2", [0, 2], "0" "2") or by name ("xlsx", "街道").

    `aliases[i]` are other names of option i (case-insensitive). Duplicates are dropped, order kept.
    Raises QgsProcessingException naming the parameter, the value and the close matches.
    """
    lookup = {}
    for i, option in enumerate(options):
        lookup[str(option).casefold()] = i
        for alias in (aliases[i] if i < len(aliases) else ()):
            lookup[str(alias).casefold()] = i
    chosen: list = []
    for item in list_items(parameters, name):
        if re.fullmatch(r"\d+", item):
            index = int(item)
            if index >= len(options):
                raise _unknown(name, item, [f"{i} ({o})" for i, o in enumerate(options)])
        elif item.casefold() in lookup:
            index = lookup[item.casefold()]
        else:
            names = [str(o) for o in options] + [str(a) for group in aliases for a in group]
            raise _unknown(name, item, names)
        if index not in chosen:
            chosen.append(index)
    return chosen


def check_enum_lists(algorithm, parameters: dict, specs: dict) -> tuple:
    """For checkParameterValues: (ok, message) for the enum lists in `specs` {name: (options, aliases)},
    and the parameters with those lists as index lists, which QGIS's own check accepts."""
    fixed = dict(parameters)
    for name, (options, aliases) in specs.items():
        if parameters.get(name) in (None, "", []):
            continue
        try:
            fixed[name] = enum_items(parameters, name, options, aliases)
        except QgsProcessingException as exc:
            return False, str(exc), fixed
    return True, "", fixed


def component_layers_value(parameters: dict, name: str, context):
    """COMPONENTS as QGIS takes it: a list (repeated arguments) as it is; a comma-separated string that is
    not itself a layer source split into its layers. A part that is no layer is refused by name."""
    value = parameters.get(name) if parameters else None
    if not isinstance(value, str) or "," not in value or \
            QgsProcessingUtils.mapLayerFromString(value, context) is not None:
        return value
    parts = [p.strip() for p in value.split(",") if p.strip()]
    project = context.project() if context is not None else None
    known = sorted(layer.name() for layer in project.mapLayers().values()) if project is not None else []
    for part in parts:
        if QgsProcessingUtils.mapLayerFromString(part, context) is None:
            if known:
                raise _unknown(name, part, known)
            raise QgsProcessingException(translated(Message("layer_source_unknown", {"value": part}, name)))
    return parts
