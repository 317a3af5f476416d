# evidence-pipeline: the commands a data engineer and a reviewer need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANIFEST ?= corpus_manifest.yaml
DATA ?= data
# `make bench BENCH_BASELINE=<revision>` also times the default corpus's ingest by that earlier
# revision, alternated with this tree, and reports the ratio.
BENCH_BASELINE ?=
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup browser ocr ingest test test-unit test-corpus test-slow eval bench lint clean

INT8_MODEL := $(VENV)/share/evidence-pipeline/minilm-int8/model.onnx

setup: $(BIN)/evidence $(INT8_MODEL) browser ocr

# The int8 ONNX all-MiniLM-L6-v2 that ingest embeds with, built from the packaged weights (no download).
$(INT8_MODEL): $(BIN)/evidence index/onnx_export.py index/int8_smoothing.py index/int8_calibration.txt
	$(BIN)/python -m index.onnx_export

# Headless Chromium and its driver from Debian, for the browser tests of the report and `evidence serve`.
# Installed only where missing and where apt-get can run; elsewhere those tests skip with a reason.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
		|| echo "note: chromium could not be installed; browser tests will be skipped"; \
	else echo "note: chromium not installed; browser tests will be skipped"; fi

# Tesseract OCR and its English model from Debian, for PDF pages that have no text layer.
# Installed only where missing and where apt-get can run; elsewhere such pages fail with a clear message.
ocr:
	@if command -v tesseract >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null) \
		|| echo "note: tesseract could not be installed; scanned pages will not be read"; \
	else echo "note: tesseract not installed; scanned pages will not be read"; fi

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
	$(BIN)/evidence eval
	$(BIN)/evidence eval --generic-schemes
	$(BIN)/evidence eval --entities
	$(BIN)/evidence eval --entities --no-gazetteer
	$(BIN)/evidence eval-themes --data $(DATA)
	$(BIN)/evidence eval-coding --per-theme --data $(DATA)

bench: setup
	$(BIN)/python bench/run.py $(if $(BENCH_BASELINE),--baseline $(BENCH_BASELINE))

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(DATA) .pytest_cache .ruff_cache .mypy_cache
