#!/usr/bin/env python3
"""Print the Debian archive this machine's apt already uses (for debootstrap), read from its sources.

Reads /etc/apt/sources.list and /etc/apt/sources.list.d/*.list (one-line format) and *.sources
(deb822), the files apt itself reads. The archive is the first enabled `deb` entry whose suite is
this machine's release codename exactly (`bookworm`, not `bookworm-security` or `bookworm-updates`),
so security, backports and third-party repositories are never picked. DEBIAN_MIRROR overrides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

Entry = Tuple[List[str], List[str], List[str]]  # types, URIs, suites


def one_line_entries(text: str) -> Iterator[Entry]:
    """`deb [opt=val ...] URI suite [component ...]` lines."""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, _, rest = line.partition(" ")
        rest = rest.strip()
        if rest.startswith("["):
            options, _, rest = rest[1:].partition("]")
            if any(opt.strip().lower() in ("enabled=no", "enabled=false") for opt in options.split()):
                continue
        words = rest.split()
        if len(words) >= 2:
            yield [kind], [words[0]], [words[1]]


def deb822_entries(text: str) -> Iterator[Entry]:
    """Stanzas of `Types:`, `URIs:`, `Suites:` fields separated by blank lines."""
    stanzas, fields, last = [], {}, None
    for raw in text.splitlines() + [""]:
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if fields:
                stanzas.append(fields)
            fields, last = {}, None
            continue
        if raw[0] in " \t" and last:  # continuation line
            fields[last] += " " + raw.strip()
            continue
        key, _, value = raw.partition(":")
        last = key.strip().lower()
        fields[last] = value.strip()
    for f in stanzas:
        if f.get("enabled", "yes").lower() in ("no", "false"):
            continue
        yield f.get("types", "").split(), f.get("uris", "").split(), f.get("suites", "").split()


def source_entries(etc_apt: Path) -> Iterator[Entry]:
    files = [etc_apt / "sources.list"]
    parts = etc_apt / "sources.list.d"
    if parts.is_dir():
        files += sorted(p for p in parts.iterdir() if p.suffix in (".list", ".sources"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        yield from (deb822_entries(text) if path.suffix == ".sources" else one_line_entries(text))


def codename(os_release: Path) -> Optional[str]:
    try:
        for line in os_release.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key == "VERSION_CODENAME" and value.strip('"'):
                return value.strip('"')
    except OSError:
        pass
    return None


def debian_mirror(etc_apt: Path = Path("/etc/apt"), os_release: Path = Path("/etc/os-release")) -> Optional[str]:
    release = codename(os_release)
    for types, uris, suites in source_entries(etc_apt):
        if "deb" not in types or release not in suites:
            continue
        for uri in uris:
            if uri.split(":", 1)[0] in ("http", "https", "ftp", "file"):
                return uri.rstrip("/")
    return None


def main() -> int:
    mirror = os.environ.get("DEBIAN_MIRROR") or debian_mirror()
    if not mirror:
        print("No Debian archive found in the apt sources: set DEBIAN_MIRROR", file=sys.stderr)
        return 1
    print(mirror)
    return 0


if __name__ == "__main__":
    sys.exit(main())
