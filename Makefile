# Keel's two commands: `make run` and `make test`. Both build the virtualenv they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test lint typecheck pytest fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP)
	./scripts/run

test: $(DEV_STAMP) lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: $(DEV_STAMP)
	$(BIN)/mypy .

pytest: $(DEV_STAMP)
	$(BIN)/pytest

# The API fuzzer: schemathesis over the served schema, on PostgreSQL (DATABASE_URL); see
# docs/api.md, "Fuzzing the API".
fuzz: $(DEV_STAMP)
	./scripts/fuzz

bench: $(DEV_STAMP)
	@for script in bench/*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
