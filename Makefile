# drainwatch: `make demo` and `make test` are all a newcomer needs.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing drainwatch and its pinned dependencies into $(VENV)/ ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]' \
		2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
	@touch $(STAMP)

venv: $(STAMP) ## Create or refresh the virtual environment .venv/

demo: venv ## Run the whole pipeline twice on the bundled offline sample news site
	$(BIN)/drainwatch demo

test: venv ## Run the test suite (slow soak tests excluded)
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: venv ## Run only the slow tests (the soak, serve on a real Prefect server)
	$(BIN)/python -m pytest -q -m slow

test-all: venv ## Run every test, the slow ones too
	$(BIN)/python -m pytest -q

bench: venv ## Benchmarks: the pipeline against bare trafilatura, then the extractors alone
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_extractors.py

lock: venv ## Re-pin dependencies into constraints.txt from the current .venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean: ## Remove the virtual environment and demo output
	rm -rf $(VENV) .demo .pytest_cache

.PHONY: help venv demo test test-slow test-all bench lock clean
