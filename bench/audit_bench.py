"""The data-quality audit against the index build, in the same process and run (SPEC 10; target: <= 2x).

Both read every layer from scratch each time (the audit does the build's reads, placement and
location, then its own checks), so the ratio is what an operator waits for a check after a count.
"""

from __future__ import annotations

import time

from qgis.core import QgsVectorLayer

from citycomponents_plugin.core.audit.run import run_audit
from citycomponents_plugin.core.codes import load_profiles
from citycomponents_plugin.core.engine.build import build_index
from citycomponents_plugin.core.engine.inputs import DistrictInputs

LAYERS = ("单元网格", "社区居委会", "街道办事处", "监督员责任区", "城市部件")


def _inputs(sample: str) -> DistrictInputs:
    lyr = {n: QgsVectorLayer(f"{sample}|layername={n}", n, "ogr") for n in LAYERS}
    return DistrictInputs(grids=lyr["单元网格"], components=[lyr["城市部件"]], committees=lyr["社区居委会"],
                          streets=lyr["街道办事处"], supervisors=lyr["监督员责任区"])


def run_audit_bench(sample: str, repeats: str = "3") -> dict:
    """Best of `repeats` runs each, alternating build and audit so both see the same machine load.

    Wall-clock and CPU seconds (this process, all threads): on a shared machine the CPU time is the
    steadier measure of the work done.
    """
    profiles = load_profiles()
    builds, audits, build_cpu, audit_cpu = [], [], [], []
    result = None
    for _ in range(int(repeats)):
        t, c = time.perf_counter(), time.process_time()
        index = build_index(_inputs(sample))
        builds.append(time.perf_counter() - t)
        build_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        result = run_audit(_inputs(sample), profiles.ids[0], profiles.grids[0])
        audits.append(time.perf_counter() - t)
        audit_cpu.append(time.process_time() - c)
    return {"grids": len(index.grids), "components": int(index.components_read), "build_s": min(builds),
            "audit_s": min(audits), "ratio": min(audits) / min(builds), "build_cpu_s": min(build_cpu),
            "audit_cpu_s": min(audit_cpu), "cpu_ratio": min(audit_cpu) / min(build_cpu),
            "problems": {k: v for k, v in result.counts().items() if v}}
