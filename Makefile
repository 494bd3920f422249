# City Components: developer commands. Every target installs what it needs first
# (Debian packages, then the venv) and is quick when everything is already there.

SHELL := /bin/bash
ROOT := $(abspath .)
# The QGIS 3.40 suite runs this Makefile again inside its Debian 13 root with its own venvs
# (.venv-3.40, .venv-tools-3.40), so the host's and the root's never overwrite each other.
VENV ?= $(ROOT)/.venv
PY := $(VENV)/bin/python
TOOLS_VENV ?= $(ROOT)/.venv-tools
PYTEST_CACHE ?= $(ROOT)/.pytest_cache
# Where the QGIS 3.40 root lives (outside the checkout: CI clones afresh, the root is reused).
QGIS340_ROOT ?= /var/cache/citycomponents/debian13-qgis340
# Each suite's qgis_process results (JSON), compared by `make test-versions`.
VERSIONS_DIR ?= $(ROOT)/build/qgis-versions
BENCH_VENV := $(ROOT)/.venv-bench
SAMPLE ?= $(ROOT)/sample/dongcheng.gpkg
SCALE ?= 1.0
# `make bench BOOKLET_AREAS=10`: only that many booklets, spread over the area sizes (0: all areas).
BOOKLET_AREAS ?= 0
DEMO_OUT ?= $(ROOT)/demo_output
export QT_QPA_PLATFORM ?= offscreen
export PYTHONPATH := $(ROOT)$(if $(PYTHONPATH),:$(PYTHONPATH))
export PYTHONDONTWRITEBYTECODE := 1

DEBIAN_PACKAGES := python3-qgis qgis qgis-providers python3-openpyxl python3-venv \
	xvfb xauth fonts-noto-cjk poppler-utils qttools5-dev-tools qttranslations5-l10n \
	python3-pikepdf
# PostGIS (SPEC 11): the driver, and the server the tests start themselves; the meta packages pull
# PostgreSQL 15 + PostGIS 3.3 on Debian 12 and PostgreSQL 17 + PostGIS 3.5 on Debian 13.
DEBIAN_PACKAGES += python3-psycopg2 postgresql postgresql-postgis gdal-bin
# Inside the Debian 13 root: the same, plus what debootstrap's minbase lacks to run this Makefile.
QGIS340_PACKAGES := $(DEBIAN_PACKAGES) make git

.PHONY: help setup system-packages venv test test-3.22 test-3.40 test-versions suite lint demo sample bench \
	package deploy translations clean

help:
	@echo "make demo     generate the sample district and run the main jobs on it"
	@echo "make test     the test suite on QGIS 3.22 (this machine), then on QGIS 3.40 (Debian 13 root),"
	@echo "              then the qgis_process results of both compared"
	@echo "make test-3.22 / test-3.40   one of the two suites"
	@echo "make bench    benchmarks against GeoPandas and QGIS native algorithms"
	@echo "make package  build the installable plugin zip (qgis-plugin-ci)"
	@echo "make deploy   symlink the plugin into the default QGIS profile"
	@echo "make sample   write the sample district GeoPackage (SCALE=$(SCALE))"

setup: system-packages venv

system-packages:
	@bash scripts/install_system_packages.sh $(DEBIAN_PACKAGES)

$(VENV)/.stamp: requirements-dev.txt
	@rm -rf $(VENV)
	/usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: system-packages $(VENV)/.stamp

translations: venv
	@bash scripts/build_translations.sh

lint: venv
	$(VENV)/bin/ruff check citycomponents_plugin tests bench scripts

# Both suites, then the comparison. Each part runs even when an earlier one failed (every result
# is shown); the target fails when any part failed.
test:
	@rm -rf $(VERSIONS_DIR)
	@failed=""; times=""; \
	for step in test-3.22 test-3.40 test-versions; do \
		start=$$SECONDS; \
		$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
		times="$$times $$step $$((SECONDS - start)) s;"; \
	done; \
	echo "make test:$$times"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: both suites passed and agree"

# The suite on this machine's QGIS (3.22 on Debian 12), after the linter.
test-3.22: venv
	$(VENV)/bin/ruff check citycomponents_plugin tests bench scripts
	@$(MAKE) --no-print-directory suite

# The same suite on QGIS 3.40 in a Debian 13 root (built on first use, then reused).
test-3.40:
	@bash scripts/install_system_packages.sh debootstrap
	@QGIS340_ROOT="$(QGIS340_ROOT)" QGIS340_PACKAGES="$(QGIS340_PACKAGES)" bash scripts/qgis340_root.sh run \
		make --no-print-directory suite VENV=$(ROOT)/.venv-3.40 TOOLS_VENV=$(ROOT)/.venv-tools-3.40 \
		PYTEST_CACHE=$(ROOT)/.pytest_cache-3.40 VERSIONS_DIR=$(VERSIONS_DIR)

# The suite itself, on whichever QGIS runs it. pytest's exit code 5 (no test collected) fails too.
suite: venv translations $(TOOLS_VENV)/.stamp
	CITYCOMPONENTS_TOOLS_VENV=$(TOOLS_VENV) CITYCOMPONENTS_VERSIONS_DIR=$(VERSIONS_DIR) \
		$(PY) -m pytest -q -m "not versions" -o cache_dir=$(PYTEST_CACHE) tests

# The qgis_process results of the 3.22 and 3.40 suites must be the same.
test-versions: venv
	CITYCOMPONENTS_VERSIONS_DIR=$(VERSIONS_DIR) CITYCOMPONENTS_EXPECT_VERSIONS="3.22 3.40" \
		$(PY) -m pytest -q -m versions -o cache_dir=$(PYTEST_CACHE) tests/test_versions_agree.py

sample: venv
	$(PY) scripts/run_algorithm.py citycomponents:generatesample SCALE=$(SCALE) OUTPUT=$(SAMPLE)

demo: venv translations
	$(PY) scripts/demo.py --sample $(SAMPLE) --output $(DEMO_OUT)

$(TOOLS_VENV)/.stamp: requirements-tools.txt
	@rm -rf $(TOOLS_VENV)
	/usr/bin/python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-tools.txt
	@touch $@

package: venv translations $(TOOLS_VENV)/.stamp
	@bash scripts/package.sh $(TOOLS_VENV)

$(BENCH_VENV)/.stamp: requirements-bench.txt
	@rm -rf $(BENCH_VENV)
	/usr/bin/python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: venv translations $(BENCH_VENV)/.stamp
	$(PY) bench/run_bench.py --bench-python $(BENCH_VENV)/bin/python --booklet-areas $(BOOKLET_AREAS)

deploy: venv translations
	@bash scripts/deploy.sh

clean:
	rm -rf build dist demo_output .pytest_cache .pytest_cache-3.40 .ruff_cache
