# PCN Portal — the verbs a newcomer needs. `make run` and `make test` work from a fresh clone.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
# .python-version picks the Python; a version a parent process exported (pyenv's shims
# export PYENV_VERSION to their children) must not override it.
unexport PYENV_VERSION
export UV_PROJECT_ENVIRONMENT := .venv
# Local development runs with DEBUG on unless the environment or .env says otherwise.
export DEBUG ?= true
PORT ?= 8000

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
WITH_DB := scripts/with-db
UV := $(shell command -v uv 2>/dev/null || echo .tools/uv/bin/uv)

.PHONY: help install run run-national test check fix lint migrate migrations bench-import bench-audit bench-tables bench-hostile bench-admin bench-pages bench-load bench-races bench-arrears fuzz-forms shell dbshell db-start db-stop vendor vendor-chartjs clean

help: ## List the make targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Installs only when pyproject.toml or uv.lock changed since the last install.
$(VENV)/.installed: pyproject.toml uv.lock .python-version
	@scripts/ensure-uv
	$(UV) sync --frozen
	@touch $@

install: $(VENV)/.installed ## Install Python dependencies into .venv (skipped when nothing changed)

run: install ## Start the database, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
	$(WITH_DB) scripts/serve $(PORT)

run-national: install ## Serve on the national data set (database pcn_portal_national, built once)
	$(WITH_DB) scripts/serve-national $(PORT)

test: install ## Lint, check and run the whole test suite, browser tests included
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_DB) scripts/test-all

check: install ## Lint and Django checks without the tests
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_DB) bash -c '$(MANAGE) check && $(MANAGE) makemigrations --check --dry-run'

fix: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install ## Apply database migrations
	$(WITH_DB) $(MANAGE) migrate

migrations: install ## Write migrations for model changes
	$(WITH_DB) $(MANAGE) makemigrations

shell: install ## Django shell on the development database
	$(WITH_DB) $(MANAGE) shell

dbshell: install ## psql on the development database
	$(WITH_DB) $(MANAGE) dbshell

bench-import: install ## Benchmark: import the national ODS files from empty, then unchanged
	$(WITH_DB) scripts/bench scripts/bench_import.py

bench-hostile: install ## Benchmark: decompression bombs, a million rows and 10,000 hostile files per reader test
	$(WITH_DB) scripts/bench scripts/bench_hostile.py

bench-audit: install ## Benchmark: the admin's audit history pages over two million changes
	$(WITH_DB) scripts/bench scripts/bench_audit.py

bench-tables: install ## Benchmark: peak memory of CSV and XLSX downloads of 200,000 rows
	$(WITH_DB) scripts/bench scripts/bench_tables.py

bench-pages: install ## Benchmark: every page as its persona, demo against national data set
	$(WITH_DB) scripts/bench-pages

fuzz-forms: install ## Fuzz: every manager and approver form with hypothesis for FUZZ_MINUTES (10); fails on any server error
	$(WITH_DB) scripts/bench scripts/fuzz_forms.py

bench-load: install ## Benchmark: pages per second under gunicorn, then a 5-minute load test
	$(WITH_DB) scripts/bench-load

bench-races: install ## Benchmark: every add form sent 10 times at once by two users; fails on a lost, doubled or 5xx
	$(WITH_DB) scripts/bench-races

bench-arrears: install ## Benchmark: arrears of a backdated change of every maximum in a year, for every network
	$(WITH_DB) scripts/bench-arrears

db-start: ## Start the project-local PostgreSQL cluster and leave it running
	scripts/pg start

db-stop: ## Stop the project-local PostgreSQL cluster
	scripts/pg stop

vendor: ## Refresh the vendored NHS.UK frontend (VERSION=10 by default), htmx 2 and Chart.js 4 from npm
	scripts/vendor-nhsuk-frontend.sh $(VERSION)
	scripts/vendor-htmx.sh
	scripts/vendor-chartjs.sh

vendor-chartjs: ## Refresh the vendored Chart.js from npm (VERSION=4 by default)
	scripts/vendor-chartjs.sh $(VERSION)

clean: db-stop ## Remove the virtualenv, the local database cluster and collected static files
	rm -rf $(VENV) .tools .pg staticfiles
