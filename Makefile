# auth0-m2m developer loop. CI runs `bash .ci/run`, which calls the same targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Built engine binaries and the venv's console scripts come first on PATH for every target.
export PATH := $(CURDIR)/.engine/bin:$(CURDIR)/$(VENV)/bin:$(PATH)
# Offline-safe Pulumi defaults: never phone home, never download plugins.
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_HOME ?= $(CURDIR)/.pulumi-home

.PHONY: venv engine engine-clean unit lint test demo

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

## Fast loop: no engine, no e2e.
unit: venv
	$(PY) -m pytest -q -m "not e2e"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## Every test, the engine ones included (CI runs exactly this).
test: venv engine
	CI=$${CI:-} $(PY) -m pytest -q

## Pulumi engine: reuse your pulumi / pulumi-resource-auth0, else build pulumi into a cache outside the repo
## (engine/README.md). Exposes .engine/bin (already first on PATH here) and the sourceable .engine/env.
engine:
	VENV=$(VENV) bash engine/build.sh

## Remove .engine (the exposed links and env); the build cache outside the repo stays.
engine-clean:
	rm -rf .engine
