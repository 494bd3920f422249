"""Run the algorithms on PostGIS layers that log in through an authcfg, in a QGIS of its own.

python tests/postgis_authcfg_run.py PORT CONFIG_DIR OUT_DIR

A fresh process with its own QGIS settings folder (QGIS_CUSTOM_CONFIG_PATH): the authentication
database, its master password and the authcfg are made here, as an operator makes them once. Writes
the outputs, every log line (log.txt) and a project (project.qgz) to OUT_DIR.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

port, config_dir, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = config_dir
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "scripts")]
from qgis_headless import start_qgis  # noqa: E402

app = start_qgis()
import postgis_server as ps  # noqa: E402
import processing  # noqa: E402
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProcessingFeedback, QgsProject  # noqa: E402

manager = QgsApplication.authManager()
assert manager.setMasterPassword("citycomponents-tests", True)
config = QgsAuthMethodConfig("Basic")
config.setName("city reader")
config.setConfig("username", ps.READER)
config.setConfig("password", ps.READER_PASSWORD)
stored = manager.storeAuthenticationConfig(config)
authcfg = config.id() if isinstance(stored, bool) else stored[1].id()
assert authcfg


class Feedback(QgsProcessingFeedback):
    lines: list = []

    def pushInfo(self, text):  # noqa: N802
        self.lines.append(text)

    def pushWarning(self, text):  # noqa: N802
        self.lines.append(text)

    def reportError(self, text, fatalError=False):  # noqa: N802,N803
        self.lines.append(text)

    def setProgressText(self, text):  # noqa: N802
        self.lines.append(text)


server = ps.Server(Path("."), Path("."), int(port), False)
names = {"GRIDS": "单元网格", "COMMITTEES": "社区居委会", "STREETS": "街道办事处", "SUPERVISORS": "监督员责任区"}
params = {p: ps.postgres_layer(server, n, n, schema="hand", authcfg=authcfg) for p, n in names.items()}
params["COMPONENTS"] = [ps.postgres_layer(server, "城市部件", "城市部件", schema="hand", authcfg=authcfg)]
assert all(layer.isValid() for layer in [*params["COMPONENTS"], params["GRIDS"]])
feedback = Feedback()
processing.run("citycomponents:batchexport", {**params, "FORMATS": [0, 1, 2], "OUTPUT_FOLDER": str(out)},
               feedback=feedback)
processing.run("citycomponents:booklet", {**params, "OUTPUT_FOLDER": str(out / "booklets")}, feedback=feedback)
res = processing.run("citycomponents:regionstatistics", {**params, "LEVEL": 0, "REGION": "东华门",
                                                         "STATISTICS": str(out / "s.gpkg"),
                                                         "DETAILS": str(out / "d.csv")}, feedback=feedback)
assert res["TOTAL"] == 8
project = QgsProject()
for layer in [*params["COMPONENTS"], *(v for k, v in params.items() if k != "COMPONENTS")]:
    project.addMapLayer(layer.clone())
assert project.write(str(out / "project.qgz"))
(out / "log.txt").write_text("\n".join(feedback.lines) + "\n", encoding="utf-8")
(out / "authcfg.txt").write_text(authcfg, encoding="utf-8")
os._exit(0)  # QGIS's teardown can crash at exit; everything is written
