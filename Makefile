# zhijian — two commands on a fresh machine: `make up` runs the hub, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: up test lint typecheck imports install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## up: install, migrate, seed the demo data on first run, and serve the hub on 127.0.0.1
up: $(STAMP)
	$(BIN)/zhijian up

lint: $(STAMP)
	$(BIN)/ruff check .

## imports: the import contracts of pyproject.toml (kernel <- components <- hub; no subgraph imports another)
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy kernel hub gateway subgraphs identity adapters inference benchmarks tests

## test: install what tests need, then lint, type-check and run the suite on real PostgreSQL and Redis
test: $(STAMP) lint imports typecheck
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
