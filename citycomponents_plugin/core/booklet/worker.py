"""One booklet worker process (started by core/booklet/parallel.py; not a command for users).

It starts QGIS without a display, loads the job file once (the district index and the areas), then
reads area numbers on standard input, one a line, and answers `done <n> <seconds>` once that
booklet is in place, or `failed <reason>`; it ends when its input is closed.
"""

from __future__ import annotations

import pickle
import sys
import time
import traceback


def main(job_file: str) -> int:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from citycomponents_plugin.core.booklet import pdf_compact
    from citycomponents_plugin.core.booklet.booklet_export import BookletWriter
    from citycomponents_plugin.core.booklet.parallel import DONE, FAILED, restore_index

    with open(job_file, "rb") as fh:
        job = pickle.load(fh)
    index = restore_index(job["index"])
    pdf_compact.IN_THIS_PROCESS = True
    writer = BookletWriter(index, job["page_size"], job["family"], job.get("marks"), job.get("cover_lines"))
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        n = int(line)
        region, target = job["jobs"][n]
        start = time.perf_counter()
        try:
            writer.write(region, target)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it for the user
            sys.stderr.write(traceback.format_exc())
            print(f"{FAILED} {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
            return 1
        print(f"{DONE} {n} {time.perf_counter() - start:.3f}", flush=True)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
