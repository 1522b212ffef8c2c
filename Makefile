# Fieldnotes: `make run` installs and starts the app; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install system-deps test-system-deps browser-vendor run migrate test test-sqlite test-postgres lint format bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Fieldnotes needs Python 3.11"' \
	  || { echo "Python 3.11 is required (found $$($(PYTHON) --version))."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[dev]'
	# The speaker encoder's weights ship in resemblyzer; its own dependencies (torch,
	# librosa, webrtcvad) are not needed: research/speakers/ runs the model in numpy.
	$(BIN)/pip install --quiet --no-deps 'resemblyzer==0.1.4'
	touch $@

system-deps:
	@bash scripts/system-deps.sh ffmpeg

test-system-deps:
	@bash scripts/system-deps.sh ffmpeg chromium npm

# axe-core for the accessibility browser tests, from npm into tests/browser_vendor/.
browser-vendor:
	@bash scripts/browser-vendor.sh

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: install system-deps migrate
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@bash scripts/serve.sh $(HOST) $(PORT)

test: install test-system-deps browser-vendor lint test-sqlite
	@if [ -n "$$FIELDNOTES_REQUIRE_POSTGRES" ] || bash scripts/pg-ready.sh "$(PG_TEST_URL)"; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else \
	  echo "PostgreSQL is not reachable at $(PG_TEST_URL): PostgreSQL tests were SKIPPED (CI runs them)."; \
	fi

test-sqlite: install
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== Test suite on PostgreSQL ($(PG_TEST_URL)) =="
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
