"""Keep citycomponents_plugin/i18n/*.ts complete: every tr()/translate() string of the Python code and every
<string> of the .ui files, with the translations already made kept (there is no Python lupdate for PyQt5).

    python3 scripts/update_translations.py            # update the .ts files in place
    python3 scripts/update_translations.py --check    # exit 1 when a string is missing or untranslated

Contexts are found the way Qt finds them at run time: QCoreApplication.translate("Ctx", "text") gives Ctx;
tr("text") gives the context of the `tr` function in scope (a module function, an imported one, or the
class's `tr` method whose body calls translate with a literal context); a .ui string gives the .ui's class.
tr(name) with a variable resolves when the variable runs over a literal list or tuple (e.g.
`[tr(o) for o in KIND_OPTIONS]`). Strings no longer in the code are kept as "vanished" (lrelease skips them).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "citycomponents_plugin"
PLUGIN_DIR = os.path.join(ROOT, PACKAGE)
I18N_DIR = os.path.join(PLUGIN_DIR, "i18n")
LANGUAGES = ("zh_CN",)
TRANSLATE_NAMES = {"translate", "QT_TRANSLATE_NOOP"}  # QCoreApplication.translate, and marked templates


@dataclass
class Message:
    source: str
    locations: list = field(default_factory=list)  # (relative filename, line)


@dataclass
class Extraction:
    messages: dict = field(default_factory=dict)  # context -> {source: Message}
    unresolved: list = field(default_factory=list)  # "file:line: why"

    def add(self, context: str, source: str, filename: str, line: int) -> None:
        msgs = self.messages.setdefault(context, {})
        msg = msgs.setdefault(source, Message(source))
        msg.locations.append((filename, line))


# ----- Python ---------------------------------------------------------------------------------------
def _literal_strings(node: ast.AST) -> Optional[list]:
    """Strings of a literal list/tuple (of strings, or of tuples: returned as lists of their items)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                out.append(elt.value)
            elif isinstance(elt, (ast.Tuple, ast.List)):
                out.append([e.value if isinstance(e, ast.Constant) else None for e in elt.elts])
            else:
                return None
        return out
    return None


def _translate_context(func: ast.AST, strings: Optional[dict] = None) -> Optional[str]:
    """The context of a `def tr(...)` whose body calls translate("Ctx", ...) (or translate(CONSTANT, ...))."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and _call_name(node) in TRANSLATE_NAMES and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
            if isinstance(first, ast.Name) and strings and first.id in strings:
                return strings[first.id]
    return None


def _is_parameter(name: str, call: ast.AST, parents: dict) -> bool:
    """True when `name` is a parameter of the function around `call` (translate(ctx, text) inside a tr helper)."""
    node = call
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            return name in {a.arg for a in node.args.args + node.args.kwonlyargs}
    return False


def _call_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


class ModuleInfo:
    """What one module says about translation: its tr contexts and module-level literal lists."""

    def __init__(self, path: str) -> None:
        self.path = path
        with open(path, encoding="utf-8") as fh:
            self.tree = ast.parse(fh.read(), path)
        self.tr_context: Optional[str] = None
        self.imported_tr: Optional[str] = None  # module the `tr` function comes from
        self.imports: dict = {}  # name -> module it is imported from
        self.constants: dict = {}  # module-level literal lists/tuples
        self.strings: dict = {}  # module-level string constants
        tr_def = None
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "tr":
                tr_def = node
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if not alias.asname:
                        self.imports[alias.name] = node.module
                if any(a.name == "tr" and not a.asname for a in node.names):
                    self.imported_tr = node.module
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    self.strings[target] = node.value.value
                values = _literal_strings(node.value)
                if values is not None:
                    self.constants[target] = values
        if tr_def is not None:
            self.tr_context = _translate_context(tr_def, self.strings)


class PythonExtractor:
    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.modules: dict = {}

    def module(self, path: str) -> ModuleInfo:
        if path not in self.modules:
            self.modules[path] = ModuleInfo(path)
        return self.modules[path]

    def module_tr_context(self, info: ModuleInfo) -> Optional[str]:
        if info.tr_context:
            return info.tr_context
        if info.imported_tr:
            path = os.path.join(ROOT, *info.imported_tr.split(".")) + ".py"
            if os.path.exists(path):
                return self.module_tr_context(self.module(path))
        return None

    def _constant(self, info: ModuleInfo, name: str) -> Optional[list]:
        """A literal list defined in the module or imported from one of the plugin's modules."""
        if name in info.constants:
            return info.constants[name]
        module = info.imports.get(name)
        if module and module.startswith(PACKAGE):
            path = os.path.join(ROOT, *module.split(".")) + ".py"
            if os.path.exists(path):
                return self._constant(self.module(path), name)
        return None

    def extract(self, path: str) -> None:
        info = self.module(path)
        rel = os.path.relpath(path, I18N_DIR)
        parents: dict = {}
        for node in ast.walk(info.tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(info.tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name in TRANSLATE_NAMES and len(node.args) >= 2:
                ctx = node.args[0]
                text = node.args[1]
                if isinstance(text, ast.Name) and _is_parameter(text.id, node, parents):
                    continue  # the translate() inside a tr() helper: its callers are extracted instead
                if isinstance(ctx, ast.Constant) and isinstance(ctx.value, str):
                    self._add_texts(info, node, text, ctx.value, rel, parents)
                elif isinstance(ctx, ast.Name) and ctx.id in info.strings:
                    self._add_texts(info, node, text, info.strings[ctx.id], rel, parents)
                else:
                    self.extraction.unresolved.append(f"{rel}:{node.lineno}: translate() context is not a literal")
            elif name == "tr" and node.args:
                context = self._tr_context(info, node, parents)
                if context is None:
                    self.extraction.unresolved.append(f"{rel}:{node.lineno}: tr() with no known context")
                    continue
                self._add_texts(info, node, node.args[0], context, rel, parents)

    def _tr_context(self, info: ModuleInfo, call: ast.Call, parents: dict) -> Optional[str]:
        if isinstance(call.func, ast.Attribute):  # self.tr(...): the class's own tr method
            node = call
            while node in parents:
                node = parents[node]
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, ast.FunctionDef) and item.name == "tr":
                            return _translate_context(item, info.strings)
                    return node.name  # QObject.tr: the class name
            return None
        return self.module_tr_context(info)

    def _add_texts(self, info: ModuleInfo, call: ast.Call, arg: ast.AST, context: str, rel: str,
                   parents: dict) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            self.extraction.add(context, arg.value, rel, call.lineno)
            return
        if isinstance(arg, ast.Name):
            values = self._loop_values(info, call, arg.id, parents)
            if values is not None:
                for v in values:
                    self.extraction.add(context, v, rel, call.lineno)
                return
        self.extraction.unresolved.append(f"{rel}:{call.lineno}: translated text is not a literal")

    def _loop_values(self, info: ModuleInfo, call: ast.Call, name: str, parents: dict) -> Optional[list]:
        """Values a loop variable takes when it runs over a literal list (directly or a module constant)."""
        node = call
        while node in parents:
            node = parents[node]
            generators = []
            if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                generators = [(g.target, g.iter) for g in node.generators]
            elif isinstance(node, ast.For):
                generators = [(node.target, node.iter)]
            for target, iterable in generators:
                values = _literal_strings(iterable)
                if values is None and isinstance(iterable, ast.Name):
                    values = self._constant(info, iterable.id)
                if values is None:
                    continue
                if isinstance(target, ast.Name) and target.id == name:
                    return [v for v in values if isinstance(v, str)]
                if isinstance(target, ast.Tuple):
                    names = [e.id if isinstance(e, ast.Name) else None for e in target.elts]
                    if name in names:
                        k = names.index(name)
                        return [v[k] for v in values if isinstance(v, list) and len(v) > k and v[k]]
        return None


# ----- .ui ---------------------------------------------------------------------------------------
def extract_ui(path: str, extraction: Extraction) -> None:
    tree = ET.parse(path)
    root = tree.getroot()
    context = root.findtext("class") or os.path.splitext(os.path.basename(path))[0]
    rel = os.path.relpath(path, I18N_DIR)
    for string in root.iter("string"):
        if string.get("notr") == "true" or not (string.text or "").strip():
            continue
        extraction.add(context, string.text, rel, 0)


def extract_all() -> Extraction:
    extraction = Extraction()
    py = PythonExtractor(extraction)
    for folder, dirs, files in os.walk(PLUGIN_DIR):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".py"):
                py.extract(path)
            elif name.endswith(".ui"):
                extract_ui(path, extraction)
    return extraction


# ----- .ts ---------------------------------------------------------------------------------------
def read_ts(path: str) -> dict:
    """{(context, source): (translation, type)} of an existing .ts."""
    if not os.path.exists(path):
        return {}
    found = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr_el = msg.find("translation")
            text = (tr_el.text or "") if tr_el is not None else ""
            kind = tr_el.get("type", "") if tr_el is not None else "unfinished"
            found[(name, source)] = (text, kind)
    return found


def write_ts(path: str, language: str, extraction: Extraction, old: dict) -> tuple:
    """Write the .ts; returns (messages, untranslated)."""
    root = ET.Element("TS", version="2.1", language=language)
    current = {(c, s) for c, msgs in extraction.messages.items() for s in msgs}
    contexts = sorted(set(extraction.messages) | {c for c, _s in old})
    total = untranslated = 0
    for context in contexts:
        ctx_el = ET.SubElement(root, "context")
        ET.SubElement(ctx_el, "name").text = context
        msgs = extraction.messages.get(context, {})
        for source in sorted(msgs):
            msg = msgs[source]
            m = ET.SubElement(ctx_el, "message")
            for filename, line in sorted(set(msg.locations))[:3]:
                attrs = {"filename": filename.replace(os.sep, "/")}
                if line:
                    attrs["line"] = str(line)
                ET.SubElement(m, "location", attrs)
            ET.SubElement(m, "source").text = source
            text, _kind = old.get((context, source), ("", ""))
            t = ET.SubElement(m, "translation")
            total += 1
            if text:
                t.text = text
            else:
                t.set("type", "unfinished")
                untranslated += 1
        for (c, source), (text, _kind) in sorted(old.items()):
            if c == context and (c, source) not in current and text:
                m = ET.SubElement(ctx_el, "message")
                ET.SubElement(m, "source").text = source
                ET.SubElement(m, "translation", type="vanished").text = text
        if not len(ctx_el.findall("message")):
            root.remove(ctx_el)
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    return total, untranslated


def check(extraction: Extraction, old: dict) -> list:
    """Strings of the code with no translation in the .ts."""
    missing = []
    for context, msgs in sorted(extraction.messages.items()):
        for source in sorted(msgs):
            text, kind = old.get((context, source), ("", "unfinished"))
            if not text.strip() or kind in ("unfinished", "vanished", "obsolete"):
                missing.append(f"[{context}] {source!r}")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report missing translations (exit 1 if any)")
    args = parser.parse_args()
    extraction = extract_all()
    for note in extraction.unresolved:
        print(f"note: {note}", file=sys.stderr)
    status = 0
    for language in LANGUAGES:
        path = os.path.join(I18N_DIR, f"citycomponents_{language}.ts")
        old = read_ts(path)
        if args.check:
            missing = check(extraction, old)
            for m in missing:
                print(f"{language}: untranslated {m}")
            status |= 1 if missing else 0
            continue
        total, untranslated = write_ts(path, language, extraction, old)
        print(f"{os.path.relpath(path, ROOT)}: {total} strings, {untranslated} to translate")
    return status


if __name__ == "__main__":
    sys.exit(main())
