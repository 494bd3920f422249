"""The plugin's version, read from metadata.txt (the single source qgis-plugin-ci also writes)."""

from __future__ import annotations

import configparser
import os
from functools import lru_cache


@lru_cache(maxsize=1)
def plugin_version() -> str:
    parser = configparser.ConfigParser()
    parser.read(os.path.join(os.path.dirname(os.path.dirname(__file__)), "metadata.txt"), encoding="utf-8")
    return parser.get("general", "version", fallback="0.0.0")


def generator_string() -> str:
    """The manifest's "generator" value."""
    return f"citycomponents_plugin {plugin_version()}"
