# evidence-pipeline: the commands a data engineer and a reviewer need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANIFEST ?= corpus_manifest.yaml
DATA ?= data
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup ingest test test-unit test-corpus test-slow eval bench lint clean

setup: $(BIN)/evidence

$(BIN)/evidence: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/evidence

ingest: setup
	$(BIN)/evidence ingest --manifest $(MANIFEST) --data $(DATA)

test: setup
	$(BIN)/pytest -q

test-unit: setup
	$(BIN)/pytest -q -m "not corpus and not slow"

test-corpus: setup
	$(BIN)/pytest -q -m "corpus and not slow"

test-slow: setup
	$(BIN)/pytest -q -m slow

eval: setup
	$(BIN)/evidence eval --data $(DATA)

bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(DATA) .pytest_cache .ruff_cache
