"""Shared fixtures: QGIS (through pytest-qgis), the provider, and the sample district at SCALE=0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def provider(qgis_processing):
    """Register the citycomponents provider once for the whole session."""
    from qgis.core import QgsApplication

    from citycomponents_plugin.processing_provider.provider import CityComponentsProvider

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("citycomponents")
    if existing is not None:
        yield existing
        return
    prov = CityComponentsProvider()
    registry.addProvider(prov)
    yield prov
    registry.removeProvider(prov)


@pytest.fixture(scope="session")
def sample_gpkg(tmp_path_factory, qgis_app) -> Path:
    """The sample district at SCALE=0.1 (full hierarchy, a tenth of the components)."""
    from citycomponents_plugin.sample.district import generate_sample_district

    path = tmp_path_factory.mktemp("sample") / "sample_0_1.gpkg"
    generate_sample_district(str(path), scale=0.1, per_type_layers=False, seed=20130701)
    return path
