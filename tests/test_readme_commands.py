"""The README's command-line blocks, run exactly as written, in a fresh folder holding only the plugin.

The blocks are read from README.md (the bash fences of the section "Command line"), so the README cannot
drift from what works: a new user pasting the set-up, then the runs, gets every command to exit 0, and
can paste the runs again.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Command line"


def readme_command_blocks(text: str) -> list:
    """The ```bash fences of the README's command-line section, in order."""
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end if end >= 0 else len(text)]
    return re.findall(r"^```bash\n(.*?)^```", section, flags=re.S | re.M)


def test_the_blocks_are_found():
    blocks = readme_command_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) == 2  # the set-up, then the runs
    assert "plugins enable" in blocks[0]
    script = "\n".join(blocks)
    assert "/tmp" not in script and "mktemp" not in script  # paths stay inside the working folder
    for alg in ("generatesample", "regionstatistics", "batchexport", "booklet"):
        assert f"citycomponents:{alg}" in script


@pytest.mark.skipif(shutil.which("qgis_process.bin") is None, reason="qgis_process.bin not installed")
def test_readme_commands_run_as_written(tmp_path):
    setup, runs = readme_command_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    work = tmp_path / "checkout"
    shutil.copytree(REPO / "citycomponents_plugin", work / "citycomponents_plugin",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QGIS_", "QT_QPA"))}
    started = time.perf_counter()
    # One shell, as a user pastes: the set-up once, then the runs twice (the second shows they can be
    # repeated: OVERWRITE=true). -e stops at the first command that fails, -o pipefail also inside
    # `list | grep`, -x shows which command it was.
    script = "\n".join([setup, runs, runs])
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-x", "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.stderr.count("+ qgis_process.bin run ") == 8  # every command ran: 4 algorithms, twice
    out = work / "demo_output" / "cli"
    with open(out / "王府井东统计结果.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["部件名称", "部件总数"] and len(rows) > 5
    assert not (out / "王府井东.gpkg").exists()  # DETAILS was not asked for
    manifest = json.loads((out / "部件档案" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert len(manifest["levels"]["street"]) == 10 and len(manifest["levels"]["supervisor"]) == 92
    assert manifest["levels"]["grid"] == [] and manifest["levels"]["committee"] == []
    assert (out / "手册" / "王府井东.pdf").stat().st_size > 10_000
    print(f"README blocks (runs twice): {time.perf_counter() - started:.1f} s")
