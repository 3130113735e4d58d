# Caremarket: the two commands a fresh machine needs are `make run` and `make test`.
# Everything else here is what they are built from.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres bench lock install install-dev clean

## make run: set up, migrate the SQLite database, load the demo market if it is empty,
## then serve the site on http://$(HOST):$(PORT) with the background worker and scheduler.
## make run CRS=8900: with the stand-in client record system on that port too.
## The demo signs in with passwords alone; make run TWO_FACTOR=required asks for a code as a
## council's service does.
TWO_FACTOR ?= off
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_market --if-empty
	CAREMARKET_TWO_FACTOR=$(TWO_FACTOR) $(MANAGE) serve --host $(HOST) --port $(PORT) $(if $(CRS),--client-record-system $(CRS))

## make test: install what the tests need, check the layering (lint-imports), run every test on SQLite,
## then on PostgreSQL too when DATABASE_URL is set.
test: install-dev
	$(VENV)/bin/lint-imports
	env -u DATABASE_URL $(PY) -m pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "--- again on PostgreSQL ($$DATABASE_URL)"; $(PY) -m pytest; fi

## make bench: run every benchmark and print a table of figures.
bench: install-dev
	$(PY) -m bench

## make lock: re-pin requirements*.txt from requirements*.in.
lock:
	rm -rf /tmp/caremarket-lock && $(PYTHON) -m venv /tmp/caremarket-lock
	/tmp/caremarket-lock/bin/pip install -q pip-tools==7.5.2
	for name in requirements requirements-dev; do \
	  /tmp/caremarket-lock/bin/pip-compile -q --strip-extras --no-annotate --no-header --no-emit-index-url \
	    --no-emit-find-links -o $$name.txt $$name.in && \
	  sed -i "1i # Generated from $$name.in by 'make lock'. Do not edit by hand." $$name.txt; \
	done

install: $(VENV)/.runtime node_modules/.installed var/build/charts/charts.js
install-dev: install $(VENV)/.dev /usr/bin/chromium

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The charts' script: Vega-Lite with Vega's CSP-safe expression interpreter, in one file.
var/build/charts/charts.js: caremarket/web/charts/charts.js node_modules/.installed
	node_modules/.bin/esbuild $< --bundle --minify --format=iife --target=es2020 --log-level=warning --outfile=$@

# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

clean:
	rm -rf $(VENV) node_modules var
