"""Layer sources without their secrets: what may be written to a manifest, a log or a message."""

from __future__ import annotations

import re

_PASSWORD = re.compile(r"""(?i)\b(password|passwd|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;|]*)\s*""")
_URI_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*):[^@/\s]*@")


def redact_source(source: str) -> str:
    """The layer source as QGIS gives it, minus any password (key=value or in a URI's user:pass@)."""
    text = _PASSWORD.sub("", source or "")
    return _URI_PASSWORD.sub(r"\1@", text).strip()


def scrub(text: str, secrets: tuple = ()) -> str:
    """A server's or driver's message with every known secret and password=... removed."""
    out = redact_source(str(text))
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out
