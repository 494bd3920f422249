"""Run an algorithm from the shell: run_algorithm.py ALG KEY=VALUE ... (lists: a;b).

Our own algorithms (citycomponents:...) run through QGIS's C++ Processing API, as processing.run()
would run them (the same parameter check, context and exceptions), without loading QGIS's Processing
plugin; any other algorithm id loads it and goes through processing.run().
"""

from __future__ import annotations

import json
import sys

from qgis_headless import PrintingFeedback, start_qgis

OURS = "citycomponents:"


def run_ours(algorithm_id: str, params: dict, feedback) -> dict:
    """processing.run() for our algorithms: check the parameters, then run, raising on failure."""
    from qgis.core import (
        QgsApplication,
        QgsExpressionContext,
        QgsExpressionContextUtils,
        QgsFeatureRequest,
        QgsProcessingContext,
        QgsProcessingException,
        QgsProject,
    )

    alg = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    if alg is None:
        raise QgsProcessingException(f"Algorithm {algorithm_id} not found")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    context.setFeedback(feedback)
    # processing.run()'s defaults (dataobjects.createContext): abort on an invalid geometry.
    context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryAbortOnInvalid)
    expressions = QgsExpressionContext()
    expressions.appendScopes([QgsExpressionContextUtils.globalScope(),
                              QgsExpressionContextUtils.projectScope(QgsProject.instance())])
    context.setExpressionContext(expressions)
    ok, message = alg.checkParameterValues(params, context)
    if not ok:
        feedback.reportError(f"Unable to execute algorithm\n{message}")
        raise QgsProcessingException(f"Unable to execute algorithm\n{message}")
    if not alg.validateInputCrs(params, context):
        feedback.pushInfo("Warning: Not all input layers use the same CRS.\nThis can cause unexpected results.")
    results, ok = alg.run(params, context, feedback, {}, False)
    if not ok:
        raise QgsProcessingException("There were errors executing the algorithm.")
    return results


def main(argv: list) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    algorithm_id = argv[1]
    app = start_qgis(processing=not algorithm_id.startswith(OURS))  # noqa: F841 - alive while it runs
    from qgis.core import QgsProcessingException

    params = {}
    for arg in argv[2:]:
        key, _, value = arg.partition("=")
        params[key] = value.split(";") if ";" in value else value
    feedback = PrintingFeedback.create()
    try:
        if algorithm_id.startswith(OURS):
            results = run_ours(algorithm_id, params, feedback)
        else:
            import processing

            results = processing.run(algorithm_id, params, feedback=feedback)
    except QgsProcessingException as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in results.items() if isinstance(v, (str, int, float, list, dict))},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
