"""Values no format can hold (SPEC 8): what each writer cannot take, what it becomes, and who is told.

Why one module: a committee name holding U+FFFF once stopped a whole batch ("All strings must be XML
compatible", from lxml under openpyxl) with no hint of which name. Every writer now replaces what its
format cannot hold with the rules below (xlsx: XML-illegal characters and noncharacters; GBK text: the
characters GBK lacks; file names: safe_names, built on the character classes here), and the run
records each replaced value with the component (标识码) or region it came from (`Replacements`): the
log shows them, manifest.json lists them all, and the run goes on.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

REPLACEMENT = "?"
# Character classes (regex ranges), one copy for every writer.
C0_CONTROLS = "\x00-\x1f"
C1_CONTROLS = "\x7f-\x9f"  # DEL and C1
XML_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 but tab, LF, CR: not in XML 1.0's Char production
# Bidirectional controls make "abc\u202etxt.exe" display as another name than the one written.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
SURROGATES = "\ud800-\udfff"  # lone ones cannot be encoded at all
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
XLSX_UNSAFE = re.compile("[" + XML_CONTROLS + SURROGATES + NONCHARACTERS + "]")
_SHOWN_AS_ESCAPE = re.compile("[" + C0_CONTROLS + C1_CONTROLS + BIDI_CONTROLS + SURROGATES + NONCHARACTERS + "]")

# Where a value went: the message terms (core/messages.py TERMS) for each target.
TARGET_XLSX = "xlsx files (characters XML cannot hold)"
TARGET_TEXT = "text files (characters the encoding lacks)"
TARGET_FILE_NAME = "file names (characters or names Windows does not allow)"
LOG_SHOWN = 20  # replacements named one by one in the log; the manifest lists every one


def xlsx_text(value: str) -> str:
    """`value` as an xlsx cell can hold it: XML-illegal characters and noncharacters become '?'."""
    return XLSX_UNSAFE.sub(REPLACEMENT, value) if XLSX_UNSAFE.search(value) else value


def encodable_text(value: str, encoding: str) -> str:
    """`value` with each character `encoding` cannot hold as '?' (what the text writers write)."""
    try:
        value.encode(encoding)
        return value
    except UnicodeEncodeError:
        return value.encode(encoding, "replace").decode(encoding)


def shown(value: str) -> str:
    """A value for a message: controls, bidi controls and noncharacters as \\uXXXX, so the log reads as written."""
    return _SHOWN_AS_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", value)


class Replacements:
    """Every value some writer could not hold, once per (owner, value, target), in the order found.

    `owner` is ("component", 标识码), ("region", level label, key), ("type", name) or ("layer", name).
    """

    def __init__(self) -> None:
        self.items: list = []
        self._seen: set = set()

    def add(self, owner: tuple, value: str, became: str, target: str) -> None:
        key = (owner, value, target)
        if value != became and key not in self._seen:
            self._seen.add(key)
            self.items.append((owner, value, became, target))

    def check_xlsx(self, owner: tuple, values: Sequence) -> None:
        for v in values:
            if isinstance(v, str) and XLSX_UNSAFE.search(v):
                self.add(owner, v, xlsx_text(v), TARGET_XLSX)

    def check_text(self, owner: tuple, values: Sequence, encoding: str) -> None:
        for v in values:
            if isinstance(v, str):
                self.add(owner, v, encodable_text(v, encoding), TARGET_TEXT)

    def __len__(self) -> int:
        return len(self.items)

    def manifest_entries(self) -> list:
        """manifest.json's `replacements`: where, value, written as, and in which files."""
        out = []
        for owner, value, became, target in self.items:
            entry = {"component": owner[1]} if owner[0] == "component" else \
                {"level": owner[1], "region": owner[2]} if owner[0] == "region" else {owner[0]: owner[1]}
            entry.update({"value": value, "written": became, "in": target.split(" (", 1)[0]})
            out.append(entry)
        return out

    def report(self, feedback, limit: int = LOG_SHOWN) -> None:
        """One warning per replaced value (the first `limit`), then how many more the manifest lists."""
        from citycomponents_plugin.core.messages import Message, term, warn

        for owner, value, became, target in self.items[:limit]:
            values = {"value": shown(value), "became": shown(became), "target": term(target)}
            if owner[0] == "component":
                warn(feedback, Message("value_replaced_component", dict(values, id=owner[1])))
            elif owner[0] == "region":
                warn(feedback, Message("value_replaced_region", dict(values, level=owner[1], region=shown(owner[2]))))
            else:
                warn(feedback, Message("value_replaced_name", values))
        if len(self.items) > limit:
            warn(feedback, Message("values_replaced_more", {"count": len(self.items) - limit}))


def owner_of_component(component_id: Optional[str]) -> tuple:
    return ("component", shown(component_id or "-"))
