"""`make package`: the zip qgis-plugin-ci builds holds what QGIS needs and nothing else."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOLS = Path(os.environ.get("CITYCOMPONENTS_TOOLS_VENV") or REPO / ".venv-tools") / "bin" / "qgis-plugin-ci"


@pytest.mark.skipif(not TOOLS.exists() or shutil.which("git") is None, reason="make builds .venv-tools first")
def test_package_zip_contents():
    out = subprocess.run(["bash", "scripts/package.sh", str(TOOLS.parent.parent)], cwd=REPO, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr + out.stdout
    zip_path = Path(out.stdout.strip().splitlines()[-1])
    version = re.search(r"## (\d+\.\d+\.\d+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8")).group(1)
    assert zip_path.name == f"citycomponents_plugin.{version}.zip"
    names = zipfile.ZipFile(zip_path).namelist()
    top = "citycomponents_plugin/"
    for required in ("metadata.txt", "__init__.py", "LICENSE", "plugin.py"):
        assert top + required in names, required
    assert any(n.startswith(top + "ui/") and n.endswith(".ui") for n in names)
    assert any(n.startswith(top + "resources/icons/") for n in names)
    assert top + "i18n/citycomponents_zh_CN.qm" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n or "/tests/" in n
                or n.startswith(top + "test")]
    metadata = zipfile.ZipFile(zip_path).read(top + "metadata.txt").decode("utf-8")
    assert f"version={version}" in metadata
    assert "hasProcessingProvider=yes" in metadata and "qgisMinimumVersion=3.22" in metadata
