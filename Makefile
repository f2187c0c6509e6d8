# The two commands: `make demo` and `make test`. Both create .venv when it is missing and
# reinstall the project only when pyproject.toml changed, so repeated runs are quick.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
OUT ?= demo-output

export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test lint typecheck pytest examples docs bench clean help

help:
	@echo "make demo   - run the demonstration on the built-in reference data (writes $(OUT)/)"
	@echo "make test   - ruff, import contract, mypy --strict and typing_tests, pytest, examples, docs"
	@echo "make bench  - run the benchmarks in benchmarks/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fullstack demo --out $(OUT)

test: lint typecheck pytest examples docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy typing_tests

pytest: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

examples: $(STAMP)
	@set -e; for f in examples/*.py; do echo "example: $$f"; MPLBACKEND=Agg $(BIN)/python $$f > /dev/null; done

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site

bench: $(STAMP)
	@set -e; for f in benchmarks/*.py; do $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache .hypothesis
