# Lotse — developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# every installable package: the libraries, then each service and the gateway (found by their pyproject.toml),
# then the composition of all of them (embedded mode)
#: `make test` runs the suite in three pytest processes side by side, each in the order of its
#: files and with its own databases and vhost (named after its process): the tests that start
#: whole platforms (embedded, the gateway with every service, drills), each service's own tests
#: (services/<name>/tests) and the rest — every test; much of the suite waits on the database,
#: the broker and the browser rather than on the two cores
#: the console's Firefox and administration browser tests start an embedded platform of their own
#: in that process (the other browser tests share the services' one): the two groups end closer
BROWSER_IN_PLATFORM := services/console/tests/browser/test_console_in_firefox.py \
	services/console/tests/browser/test_console_administration.py
PLATFORM_TESTS := tests/security tests/e2e tests/chaos tests/smoke tests/faults $(BROWSER_IN_PLATFORM)
SERVICE_TESTS := services $(addprefix --ignore=,$(BROWSER_IN_PLATFORM))
#: the rest: pyproject's testpaths but the services (a path named there is not dropped by --ignore)
REST_TESTS := libs/demo/tests libs/platform/tests gateway/tests tests
PACKAGES := libs/demo libs/contracts libs/platform $(patsubst %/pyproject.toml,%,$(sort $(wildcard services/*/pyproject.toml gateway/pyproject.toml))) composition
STAMP := $(VENV)/.installed

.PHONY: help venv test test-fast run up down status bench chaos mutation proto proto-check proto-lock data-map services lint lint-deploy screenshots clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Lotse needs Python 3.11)" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt $(addprefix -e ,$(PACKAGES))
	@touch $@

venv: $(STAMP) ## create .venv with every package installed editable

services: ## start PostgreSQL and RabbitMQ if needed (installs them as root when missing)
	@bash infra/local/ensure-services.sh

test: venv services lint ## lint (layer rules, types), then the whole test suite against the real PostgreSQL and RabbitMQ
	@platform_log=$$(mktemp); services_log=$$(mktemp); \
	$(PY) -m pytest $(PLATFORM_TESTS) > $$platform_log 2>&1 & platform=$$!; \
	$(PY) -m pytest $(SERVICE_TESTS) > $$services_log 2>&1 & services=$$!; \
	$(PY) -m pytest $(REST_TESTS) $(addprefix --ignore=,$(PLATFORM_TESTS)); rest=$$?; \
	wait $$services; each=$$?; wait $$platform; whole=$$?; \
	echo "== the services' own tests ($(SERVICE_TESTS)), run beside the rest:"; \
	cat $$services_log; rm -f $$services_log; \
	echo "== the tests that start whole platforms ($(PLATFORM_TESTS)), run beside the rest:"; \
	cat $$platform_log; rm -f $$platform_log; \
	echo "== exit status: the rest $$rest, the services $$each, the platform tests $$whole"; \
	test $$rest -eq 0 && test $$each -eq 0 && test $$whole -eq 0

test-fast: venv ## unit tests only (no database or broker)
	$(PY) -m pytest -m "not integration"

run: venv ## the whole platform in one process on :8080 (SQLite, in-memory bus, demo county)
	$(VENV)/bin/lotse-embedded

up: venv services ## each service's API (gunicorn) and worker as separate processes on localhost
	$(PY) infra/local/cluster.py start

down: ## stop what `make up` started
	$(PY) infra/local/cluster.py stop

status: ## show what `make up` runs
	$(PY) infra/local/cluster.py status

bench: venv services ## run the benchmarks, record JSON under bench/results/
	$(PY) bench/run.py

chaos: venv services ## the long fault drills (kill -9, broker and database restarts under load), figures under bench/results/
	$(PY) -m tests.chaos.run

mutation: venv services ## mutation testing of the reliability core (mutmut, hours; resumable; bench/results/mutation-*)
	$(PY) -m pip install --quiet -r requirements/mutation.txt
	$(PY) bench/mutation.py

proto: venv ## regenerate Python code and the event catalogue (docs/events.md) from proto/
	$(PY) -m lotse_platform.contracts.codegen generate
	$(PY) -m lotse_platform.contracts.catalogue write

proto-check: venv ## fail when generated code or the catalogue is stale or a change is breaking
	$(PY) -m lotse_platform.contracts.codegen check
	$(PY) -m lotse_platform.contracts.catalogue check

proto-lock: venv ## record the current contracts as the compatibility baseline
	$(PY) -m lotse_platform.contracts.codegen lock

data-map: venv ## write each service's record of processing activities (docs/data-map/<service>.md, Art. 30 GDPR) from its data map
	$(PY) -m lotse_platform.data_map_docs write

lint: venv ## ruff, the type checker (mypy, pyproject.toml) and the layer rules (import-linter, .importlinter)
	$(VENV)/bin/ruff check libs services gateway composition tests bench docker infra
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo

lint-deploy: venv ## check Dockerfiles, compose, charts, Prometheus rules, Grafana dashboard, broker definitions (no Docker or cluster needed)
	$(PY) -m pytest -q tests/deploy -m "not integration"

screenshots: venv ## PNGs of the web console's main pages in docs/console/ (embedded mode, Debian's Chromium)
	@command -v chromium >/dev/null || bash infra/local/ensure-services.sh
	$(PY) infra/local/console_screenshots.py

clean: ## remove the venv and embedded data
	rm -rf $(VENV) .lotse
