# Lodestar: `make run` serves the app (and runs its background jobs), `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: running needs only the package; the test tools come with `make test`.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-monday clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/lodestar migrate --no-input
	$(BIN)/lodestar demo
	@# One job worker beside the server (roll-up, webhooks, reminders, syncs, imports), stopped with it.
	$(BIN)/lodestar worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/lodestar runserver $(HOST):$(PORT)

test: $(TEST_STAMP)
	$(BIN)/python scripts/run_tests.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

SIZE ?= small
DB ?= sqlite
bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py --size $(SIZE) --db $(DB)

# Readers of every kind while check-ins arrive at 0, 1 and 5 a second (README, Scale).
bench-monday: $(TEST_STAMP)
	$(BIN)/python bench/monday.py --size $(SIZE) --db $(DB)

clean:
	rm -rf $(VENV) var build *.egg-info
