"""Start QGIS without a display, with the citycomponents provider (and Processing), for scripts and bench."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def start_qgis(processing: bool = True):
    """A QgsApplication with our provider registered, and QGIS's Processing plugin initialised.

    processing=False leaves the Processing plugin out (its import and provider set-up are about
    0.7 s of a one-shot script's start): our algorithms need only the C++ Processing API.
    """
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    if processing:
        initialize_processing()
    from citycomponents_plugin.processing_provider.provider import CityComponentsProvider

    provider = CityComponentsProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    app._citycomponents_provider = provider  # keep a reference for the app's lifetime
    return app


def initialize_processing() -> None:
    """QGIS's Processing plugin with its providers (native, GDAL, ...), for processing.run()."""
    plugins = "/usr/share/qgis/python/plugins"
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    Processing.initialize()


class PrintingFeedback:
    """Build a QgsProcessingFeedback that prints progress text and messages to the terminal."""

    @staticmethod
    def create():
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def setProgressText(self, text):  # noqa: N802 - Qt name
                print(f"  {text}", flush=True)

            def pushInfo(self, info):  # noqa: N802 - Qt name
                if not info.startswith("Results: "):  # Processing's one-line dump of the results dict
                    print(f"  {info}", flush=True)

            def pushWarning(self, warning):  # noqa: N802 - Qt name
                print(f"  WARNING: {warning}", flush=True)

            def reportError(self, error, fatalError=False):  # noqa: N802,N803 - Qt names
                print(f"  ERROR: {error}", flush=True)

        return _Feedback()
