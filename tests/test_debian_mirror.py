"""scripts/debian_mirror.py: the Debian archive for the QGIS 3.40 root, read from apt's own sources."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "debian_mirror.py"
spec = importlib.util.spec_from_file_location("debian_mirror", SCRIPT)
debian_mirror = importlib.util.module_from_spec(spec)
spec.loader.exec_module(debian_mirror)


def _etc(tmp_path: Path, sources_list: str = "", parts: dict = None) -> tuple:
    apt = tmp_path / "apt"
    (apt / "sources.list.d").mkdir(parents=True)
    (apt / "sources.list").write_text(sources_list, encoding="utf-8")
    for name, text in (parts or {}).items():
        (apt / "sources.list.d" / name).write_text(text, encoding="utf-8")
    os_release = tmp_path / "os-release"
    os_release.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n', encoding="utf-8")
    return apt, os_release


def test_deb822_sources_skip_security_and_third_party(tmp_path):
    apt, osr = _etc(tmp_path, parts={
        "debian.sources": "Types: deb\n# a comment\nURIs: http://mirror.example/debian-security\n"
                          "Suites: bookworm-security\nComponents: main\n\n"
                          "Types: deb deb-src\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\n"
                          "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
        "other.sources": "Types: deb\nURIs: https://packages.example/apt\nSuites: nodistro\nComponents: main\n",
        "ignored.sources.disabled": "Types: deb\nURIs: http://wrong.example/debian\nSuites: bookworm\n"})
    assert debian_mirror.debian_mirror(apt, osr) == "http://mirror.example/debian"


def test_one_line_sources_with_options_and_disabled_stanzas(tmp_path):
    apt, osr = _etc(tmp_path, "# deb http://commented.example/debian bookworm main\n"
                              "deb-src http://src.example/debian bookworm main\n"
                              "deb [arch=amd64 signed-by=/k.gpg] https://mirror.example/debian bookworm main contrib\n",
                    {"off.sources": "Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n",
                     "cloud.list": "deb https://packages.example/apt cloud-sdk-bookworm main\n"})
    assert debian_mirror.debian_mirror(apt, osr) == "https://mirror.example/debian"


def test_nothing_found(tmp_path):
    apt, osr = _etc(tmp_path, "deb http://mirror.example/debian bullseye main\n")
    assert debian_mirror.debian_mirror(apt, osr) is None
