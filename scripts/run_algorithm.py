"""Run a citycomponents algorithm from the shell: run_algorithm.py ALG KEY=VALUE ... (lists: a;b)."""

from __future__ import annotations

import json
import sys

from qgis_headless import PrintingFeedback, start_qgis


def main(argv: list) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    app = start_qgis()  # noqa: F841 - must stay alive while the algorithm runs
    import processing
    from qgis.core import QgsProcessingException

    params = {}
    for arg in argv[2:]:
        key, _, value = arg.partition("=")
        params[key] = value.split(";") if ";" in value else value
    try:
        results = processing.run(argv[1], params, feedback=PrintingFeedback.create())
    except QgsProcessingException as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in results.items() if isinstance(v, (str, int, float, list, dict))},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
