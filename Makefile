# Digital-divide indicators dashboard. `make` prints this help.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RAW ?= ../shared/data/raw
DEBIAN_PACKAGES := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0

.DEFAULT_GOAL := help
.PHONY: help setup apt venv lock plotlyjs test test-fast lint snapshot refresh check bench clean run serve

help: ## show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

setup: apt venv ## install Debian packages and the project (with dev extra) into .venv

apt: ## install the Debian packages the tests need (root or sudo)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	else echo "Debian packages present: $(DEBIAN_PACKAGES)"; fi

venv: ## create .venv and install the project with its dev extra, at the tested versions (constraints.txt)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	cd tests/a11y && npm ci --no-audit --no-fund --silent
	$(MAKE) --no-print-directory plotlyjs

UV ?= uv

lock: ## rewrite constraints.txt from the versions installed in .venv (after testing them; needs uv on PATH)
	mkdir -p build
	$(PY) -m pip freeze --all --exclude-editable | grep -v '^pip==' > build/tested.txt
	$(UV) pip compile pyproject.toml --extra dev -c build/tested.txt --python-version 3.11 \
	  --annotation-style line --custom-compile-command "make lock" -q -o constraints.txt

plotlyjs: ## build the app's partial plotly.js (scatter, bar, choropleth) into app/plotlyjs/dist/
	cd app/plotlyjs && npm ci --no-audit --no-fund --silent && npm run build --silent

# pytest-xdist workers for `make test`/`make test-fast` (auto: one per core; docs/performance.md);
# TEST_WORKERS=0 runs in one process; PYTEST_ARGS adds options, e.g. PYTEST_ARGS='-k fuzz --durations=20'.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
# pytest's exit 5 (no tests collected) fails the target: a run with no tests proves nothing.
define run_pytest
	@$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup $(1) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing, a run with no tests proves nothing" >&2; exit 1; fi; \
	exit $$rc
endef

test: ## the whole suite, in parallel (offline; raw-data tests skip without $(RAW); CI=true: full Hypothesis counts)
	$(call run_pytest,)

test-fast: ## the edit loop: the suite without the browser and slow tests (make test runs them all)
	$(call run_pytest,-m "not browser and not slow")

lint: ## ruff check + format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

HOST ?= 127.0.0.1
PORT ?= 8050
export HOST PORT

run: ## serve the app at http://$(HOST):$(PORT) (development server, debug off; HOST/PORT override)
	$(PY) -m app.main

serve: ## serve the app under gunicorn: 2 gevent workers, debug off, 127.0.0.1 (HOST/PORT/PUBLIC_BASE_URL override)
	$(VENV)/bin/gunicorn --config app/gunicorn_conf.py app.wsgi:server

snapshot: ## rebuild data/ offline from the publisher files in RAW=$(RAW)
	$(PY) -m indicators snapshot --raw $(RAW)

refresh: ## pull live from the publishers; a failure keeps the last good snapshot
	$(PY) -m indicators refresh

check: ## validate the committed snapshot and print its coverage table
	$(PY) -m indicators check

SOAK_MINUTES ?= 15

bench: ## run the benchmarks in bench/ (results in bench/results/; SOAK_MINUTES=15, bounded, loopback)
	mkdir -p bench/results
	set -o pipefail; $(PY) bench/snapshot_format.py --raw $(RAW) | tee bench/results/snapshot_format.md
	set -o pipefail; $(PY) bench/export_timing.py | tee bench/results/export_timing.md
	$(PY) bench/app_bench.py
	$(PY) bench/first_paint.py --breakdown
	$(PY) bench/soak.py --minutes $(SOAK_MINUTES)

clean: ## remove caches (keeps .venv and data/)
	rm -rf .pytest_cache .ruff_cache build *.egg-info
