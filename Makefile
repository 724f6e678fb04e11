# Comité — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app comite
DSFR := node_modules/@gouvfr/dsfr/dist
VENDOR := static/vendor
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev assets chromium weasyprint-deps migrate seed lint oidc-dev clean bench bench-exports wrk

# The background-jobs worker runs beside the development server, in the same shell: the
# trap stops it whenever the server stops (Ctrl-C, a signal, an error).
run: install assets  ## Install everything, migrate the SQLite base, load the demo, serve on 127.0.0.1:5000 with the worker
	COMITE_ENV=development $(FLASK) db upgrade
	COMITE_ENV=development $(FLASK) seed-demo
	COMITE_ENV=development $(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	COMITE_ENV=development COMITE_DEV_LOGIN=1 $(FLASK) run --host $(HOST) --port $(PORT) --debug

test: install-dev assets chromium weasyprint-deps  ## Install what the tests need and run every test (SQLite and PostgreSQL, browser)
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet -c pyproject.toml -r comite
	$(BIN)/pip-audit --local --progress-spinner off
	$(BIN)/pytest

install: $(VENV)/.installed-app weasyprint-deps
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-app

# The DSFR refuses to install until its licence is accepted: .dsfr.yml accepts it for Comité.
node_modules/.installed: package.json package-lock.json .dsfr.yml
	npm ci --no-audit --no-fund
	touch $@

# Copy only what pages use, keeping the DSFR dist/ layout (its CSS finds fonts/ and icons/
# by relative URL).
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/dsfr/utility $(VENDOR)/htmx
	cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(VENDOR)/dsfr/
	cp -r $(DSFR)/fonts $(DSFR)/icons $(DSFR)/favicon $(DSFR)/artwork $(VENDOR)/dsfr/
	cp -r $(DSFR)/utility/icons $(VENDOR)/dsfr/utility/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

# Browser tests drive Debian's chromium; Playwright never downloads a browser here.
chromium:
	@test -x /usr/bin/chromium || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# WeasyPrint (the minutes as PDF) draws text with Debian's Pango and HarfBuzz.
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
weasyprint-deps:
	@dpkg-query -W -f='$${Status}\n' $(WEASYPRINT_DEBS) 2>/dev/null | grep -c '^install ok installed' \
		| grep -qx $(words $(WEASYPRINT_DEBS)) || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(WEASYPRINT_DEBS); }

# A ProConnect-like OpenID Provider on 127.0.0.1:5555 (the one the tests use), to try the
# real login locally: it prints the variables to give `make run`.
oidc-dev: install-dev
	$(BIN)/python -m tests.proconnect_provider --port 5555 --comite-url http://$(HOST):$(PORT)

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed-demo

# `make bench`: gunicorn (2 sync workers) on PostgreSQL with the scale-1 dataset under wrk,
# then the decisions register export at 10,000 and 100,000 rows. Figures are printed beside
# their targets, never asserted. PostgreSQL is TEST_DATABASE_URL's server (database comite_bench).
bench: install-dev assets wrk
	$(BIN)/python -m tests.benchmarks.routes
	$(BIN)/python -m tests.benchmarks.export_decisions --rows 10000 --rows 100000 \
		--database $$($(BIN)/python -c "from tests.databases import postgres_url; print(postgres_url('bench_exports'))")

bench-exports: install-dev
	$(BIN)/python -m tests.benchmarks.export_decisions --rows 10000 --rows 100000

# The load generator of `make bench`, from Debian's packages.
wrk:
	@command -v wrk >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
