# Two commands for a fresh machine: `make run` (the demo on embedded defaults) and `make test`.
# Both build .venv from PyPI themselves; the stamp re-installs when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench browser mosquitto clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	VOICE_DEMO_DEMO_WEEK=$${VOICE_DEMO_DEMO_WEEK:-current} $(BIN)/voice-demo serve --demo

browser:
	@scripts/ensure-chromium.sh

mosquitto:
	@scripts/ensure-mosquitto.sh

test: $(STAMP) browser mosquitto
	$(BIN)/ruff check skill tests benchmarks scripts
	$(BIN)/ruff format --check skill tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check skill tests benchmarks scripts
	$(BIN)/ruff format --check skill tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP) mosquitto
	$(BIN)/python benchmarks/run.py --readme

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build
