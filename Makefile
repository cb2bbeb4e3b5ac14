# zhijian — two commands on a fresh machine: `make up` runs the hub, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: up up-split test lint typecheck imports install install-test browser clean console test-console triton train-models manifests

# The officers' console (console/): Node and npm from the machine, packages from console/package-lock.json.
NPM ?= npm
CONSOLE := console
CONSOLE_MODULES := $(CONSOLE)/node_modules/.package-lock.json
CONSOLE_DIST := $(CONSOLE)/dist/index.html
CONSOLE_SOURCES := $(shell find $(CONSOLE)/src $(CONSOLE)/scripts -type f -not -path '*/src/gql/*' \
	-not -path '*/src/generated/*' 2>/dev/null) $(wildcard $(CONSOLE)/*.ts $(CONSOLE)/*.json $(CONSOLE)/index.html) \
	schema/supergraph.graphql $(shell find hub gateway subgraphs identity kernel -name '*.toml' 2>/dev/null)
CHROMIUM := /usr/bin/chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# The edge-ingestion gRPC code, generated from its .proto by grpcio-tools (not kept in git).
PROTO := adapters/ingest/proto/ingest.proto
GENERATED := adapters/ingest/proto/ingest_pb2_grpc.py

$(GENERATED): $(PROTO) $(STAMP)
	$(BIN)/python -m adapters.ingest.codegen

install: $(STAMP) $(GENERATED)

# Triton Inference Server in its own environment: the CPU build inside the nvidia-pytriton wheel pins NumPy 1.x.
TRITON_VENV := .venv-triton
TRITON_STAMP := $(TRITON_VENV)/.installed

$(TRITON_STAMP):
	$(PYTHON) -m venv $(TRITON_VENV)
	$(TRITON_VENV)/bin/pip install -q --upgrade pip
	$(TRITON_VENV)/bin/pip install -q "nvidia-pytriton==0.7.0" "onnxruntime>=1.20,<1.23" "numpy<2"
	touch $@

## triton: install Triton Inference Server (CPU build) for `zhijian triton up` and the tests
triton: $(TRITON_STAMP)

## train-models: retrain the kitchen detector (PyTorch CPU, fixed seeds) and export it to inference/models/
train-models: $(STAMP) $(GENERATED)
	$(BIN)/pip install -q -e '.[test,train]'
	$(BIN)/python -m inference.training.train

$(CONSOLE_MODULES): $(CONSOLE)/package.json $(CONSOLE)/package-lock.json
	cd $(CONSOLE) && $(NPM) ci --no-audit --no-fund
	touch $@

## console: build the officers' console when its built files are missing or older than its sources
$(CONSOLE_DIST): $(CONSOLE_MODULES) $(CONSOLE_SOURCES)
	cd $(CONSOLE) && $(NPM) run build
	touch $@

console: $(CONSOLE_DIST)

# Debian's Chromium for the console's and the sign-in page's browser tests (never a browser downloaded by a test tool);
# CJK fonts for screenshots.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei

## up: install, migrate, seed the demo data on first run, build the console if stale, and serve the hub on 127.0.0.1
up: $(STAMP) $(GENERATED) $(CONSOLE_DIST)
	$(BIN)/zhijian up

## test-console: the console's type check, unit tests, build, budget and browser tests against a real hub
test-console: $(STAMP) $(GENERATED) $(CONSOLE_MODULES) | $(CHROMIUM)
	cd $(CONSOLE) && $(NPM) test

lint: $(STAMP) $(GENERATED)
	$(BIN)/ruff check .

## manifests: regenerate deploy/ (Kubernetes base, compose file) from hub/deployment.py after adding a component
manifests: $(STAMP)
	$(BIN)/python -m hub.manifests .

## imports: the import contracts of pyproject.toml (kernel <- components <- hub; no subgraph imports another)
imports: $(STAMP) $(GENERATED)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP) $(GENERATED)
	$(BIN)/mypy kernel hub gateway subgraphs identity adapters inference benchmarks tests

## browser: Debian's headless Chromium, for the console's browser tests and the provider's sign-in page checks
browser: | $(CHROMIUM)

## test: install what tests need, then lint, type-check and run the suite on real PostgreSQL and Redis
test: $(STAMP) $(GENERATED) $(TRITON_STAMP) lint imports typecheck | $(CHROMIUM)
	$(BIN)/pytest -q
	$(MAKE) test-console

clean:
	rm -rf $(VENV) $(TRITON_VENV) .mypy_cache .ruff_cache .pytest_cache $(CONSOLE)/node_modules $(CONSOLE)/dist

## up-split: the split topology on this machine (every component its own process, two gateways behind a front);
## needs ZHIJIAN_DATABASE_URL (PostgreSQL) and ZHIJIAN_REDIS_URL
up-split: $(STAMP) $(GENERATED)
	$(BIN)/zhijian up --split
