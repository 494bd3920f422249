# City Components: developer commands. Every target installs what it needs first
# (Debian packages, then the venv) and is quick when everything is already there.

SHELL := /bin/bash
ROOT := $(abspath .)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
TOOLS_VENV := $(ROOT)/.venv-tools
BENCH_VENV := $(ROOT)/.venv-bench
SAMPLE ?= $(ROOT)/sample/dongcheng.gpkg
SCALE ?= 1.0
DEMO_OUT ?= $(ROOT)/demo_output
export QT_QPA_PLATFORM ?= offscreen
export PYTHONPATH := $(ROOT)$(if $(PYTHONPATH),:$(PYTHONPATH))
export PYTHONDONTWRITEBYTECODE := 1

DEBIAN_PACKAGES := python3-qgis qgis qgis-providers python3-openpyxl python3-venv \
	xvfb xauth fonts-noto-cjk poppler-utils qttools5-dev-tools qttranslations5-l10n

.PHONY: help setup system-packages venv test lint demo sample bench package deploy translations clean

help:
	@echo "make demo     generate the sample district and run the main jobs on it"
	@echo "make test     run the test suite (installs what is missing first)"
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

test: venv translations $(TOOLS_VENV)/.stamp
	$(VENV)/bin/ruff check citycomponents_plugin tests bench scripts
	$(PY) -m pytest -q tests

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
	$(PY) bench/run_bench.py --bench-python $(BENCH_VENV)/bin/python

deploy: venv translations
	@bash scripts/deploy.sh

clean:
	rm -rf build dist demo_output .pytest_cache .ruff_cache
