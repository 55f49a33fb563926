# drainwatch: `make demo` and `make test` are all a newcomer needs.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
# uv is the installer; it is itself installed from the registry into .tools/, so a
# fresh machine needs nothing but python3. The machine's own pip configuration (local
# wheel folders, constraints) is ignored, so what installs here installs everywhere.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
# Where PYTHONDONTWRITEBYTECODE is set (this CI machine, many container images), Python never
# caches bytecode, and every process (each run, its temporary Prefect server, each extraction
# worker, each test subprocess) recompiled Prefect and its stack from source: about 3 s of
# every start. Under make, bytecode is written (into .venv/ and the ignored __pycache__/).
unexport PYTHONDONTWRITEBYTECODE

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	@echo "installing uv $(UV_VERSION) into $(TOOLS)/ ..."
	@$(PYTHON) -m venv $(TOOLS)
	@env -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
		$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): $(UV) pyproject.toml uv.lock
	@echo "installing drainwatch and its locked dependencies into $(VENV)/ ..."
	@$(UV) sync --locked --quiet --python $(PYTHON)
	@touch $(STAMP)

venv: $(STAMP) ## Create or refresh the virtual environment .venv/ from uv.lock

demo: venv ## Run the whole pipeline twice on the bundled offline sample news site
	$(BIN)/drainwatch demo

lint: venv ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint ## Lint, then the test suite (slow soak tests excluded)
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: venv ## Run only the slow tests (the soak, serve on a real Prefect server)
	$(BIN)/python -m pytest -q -m slow

test-all: lint ## Lint, then every test, the slow ones too
	$(BIN)/python -m pytest -q

bench: venv ## Benchmarks: the pipeline against bare trafilatura, then the extractors alone
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_extractors.py

lock: $(UV) ## Re-resolve uv.lock from pyproject.toml (registry packages only)
	$(UV) lock --python $(PYTHON)

clean: ## Remove the virtual environments and demo output
	rm -rf $(VENV) $(TOOLS) .demo .pytest_cache .mypy_cache .ruff_cache

.PHONY: help venv demo lint test test-slow test-all bench lock clean
