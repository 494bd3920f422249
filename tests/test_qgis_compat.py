"""The plugin's code runs unchanged on QGIS 3.22 and 3.40 and is ready for Qt6 (PyQt6).

Checked on whichever QGIS runs the suite (make test runs it on both):
- no direct PyQt5/PyQt6 import, no exec_(), no QVariant.<type> (QVariant.Type is gone in PyQt6);
- every Qt or QGIS enum member is reached through its enum (`Qt.AlignmentFlag.AlignLeft`), the only
  spelling PyQt6 accepts; found by resolving each `Name.Member...` chain of the source in this QGIS;
- no enum of the `Qgis` class is reached through an old home (`QgsWkbTypes.GeometryType...`,
  `QgsPalLayerSettings.OverPoint`): those are the names that moved, handled by core/compat.py;
- only core/compat.py looks at the QGIS or Qt version.
"""

from __future__ import annotations

import ast
import enum
import importlib
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent / "citycomponents_plugin"
COMPAT = PLUGIN / "core" / "compat.py"
SOURCES = sorted(PLUGIN.rglob("*.py"))
QT_MODULES = ("qgis.core", "qgis.gui", "qgis.PyQt.QtCore", "qgis.PyQt.QtGui", "qgis.PyQt.QtWidgets")


def _rel(path: Path) -> str:
    return str(path.relative_to(PLUGIN.parent))


def _imported_names(tree: ast.AST) -> dict:
    """Names bound by `from qgis... import X` -> the object, for the modules above."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in QT_MODULES:
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    names[alias.asname or alias.name] = getattr(module, alias.name)
    return names


def _chains(tree: ast.AST):
    """Outermost `Name.attr.attr...` chains: (line, [names])."""
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        parts, cur = [], node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if isinstance(cur, ast.Name):
            yield node.lineno, [cur.id] + parts[::-1]


def _is_enum_member(value) -> bool:
    if isinstance(value, enum.Enum):
        return True
    meta = type(type(value))
    return meta.__name__ == "enumtype" and meta.__module__.endswith("sip")  # PyQt5 / sip enums


def test_no_direct_pyqt_imports_no_exec_underscore_no_qvariant_types():
    problems = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                problems += [f"{_rel(path)}:{node.lineno} imports {m}" for m in modules
                             if m.split(".")[0] in ("PyQt5", "PyQt6", "sip")]
            if isinstance(node, ast.Attribute) and node.attr == "exec_":
                problems.append(f"{_rel(path)}:{node.lineno} exec_() (use exec())")
        if path != COMPAT:
            for line, chain in _chains(tree):
                if chain[0] == "QVariant" and len(chain) > 1 and chain[1][:1].isupper():
                    problems.append(f"{_rel(path)}:{line} {'.'.join(chain)} (use compat.string_field/int_field)")
    assert not problems, "\n".join(problems)


def test_enums_are_scoped_and_moved_ones_go_through_compat():
    from qgis.core import Qgis

    unscoped, moved, unknown = [], [], []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _imported_names(tree)
        for line, chain in _chains(tree):
            if chain[0] not in names:
                continue
            value, ok = names[chain[0]], True
            for attr in chain[1:]:
                try:
                    value = getattr(value, attr)
                except AttributeError:
                    ok = False
                    break
            where = f"{_rel(path)}:{line} {'.'.join(chain)}"
            if not ok:
                if path != COMPAT:  # compat names the API of other versions on purpose
                    unknown.append(where)
                continue
            if not _is_enum_member(value) or len(chain) < 2:
                continue
            enum_name = type(value).__name__
            in_qgis = chain[0] != "Qgis" and getattr(Qgis, enum_name, None) is type(value)
            if path == COMPAT and in_qgis:
                continue  # an old name, for the QGIS versions without the new one (checked on those)
            if chain[-2] != enum_name:
                unscoped.append(f"{where} (write {'.'.join(chain[:-1])}.{enum_name}.{chain[-1]}"
                                f"{' or use compat' if in_qgis else ''})")
            elif in_qgis:
                moved.append(f"{where} (now Qgis.{enum_name}: use compat)")
    assert not unknown, "names this QGIS does not have:\n" + "\n".join(unknown)
    assert not unscoped, "enum members not reached through their enum (PyQt6 needs it):\n" + "\n".join(unscoped)
    assert not moved, "enums that moved to Qgis, used through their old home:\n" + "\n".join(moved)


def test_only_compat_looks_at_versions():
    words = ("QGIS_VERSION", "QT_VERSION", "PYQT_VERSION", "Qgis.version", "qVersion")
    found = [f"{_rel(p)}: {w}" for p in SOURCES if p != COMPAT for w in words
             if w in p.read_text(encoding="utf-8")]
    assert not found, "\n".join(found)


def test_core_compat_imports_no_widgets():
    tree = ast.parse(COMPAT.read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "qgis.gui" not in modules and "qgis.PyQt.QtWidgets" not in modules


def test_compat_picks_the_newest_names(qgis_app):
    """On a QGIS that has the Qgis.* enums, compat uses them (no deprecated alias)."""
    from qgis.core import Qgis

    from citycomponents_plugin.core import compat

    if hasattr(Qgis, "LabelPlacement"):
        assert type(compat.LABEL_OVER_POINT) is Qgis.LabelPlacement
    if hasattr(Qgis, "GeometryType"):
        assert type(compat.POLYGON_GEOMETRY) is Qgis.GeometryType
    field = compat.string_field("a")
    assert field.name() == "a" and field.typeName() in ("", "String", "string", "text")
    assert compat.int_field("n").isNumeric()


@pytest.mark.parametrize("family_filter", [None, "SimplifiedChinese"])
def test_font_families(qgis_app, family_filter):
    from qgis.PyQt.QtGui import QFontDatabase

    from citycomponents_plugin.core import compat

    ws = getattr(QFontDatabase.WritingSystem, family_filter) if family_filter else None
    assert isinstance(compat.font_families(ws), list)
