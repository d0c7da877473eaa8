# reformtrack — two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
# Debian packages the product needs at run time (gettext: compiled translations) and for tests.
# WeasyPrint draws PDFs with Pango and needs a CJK font for Chinese reports; AR PL UKai and
# UMing are the free stand-ins for 楷体 and 宋体/仿宋 in the official Word layout (docs/reports.md).
RUN_DEBS := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming
# LibreOffice (writer, headless) proves the Word reports open; Redis serves the Celery profile.
TEST_DEBS := $(RUN_DEBS) postgresql chromium libreoffice-writer-nogui redis-server
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12: PATH first, then pyenv; fail with a plain message if none.
PYTHON := $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	  c=$$(command -v $$p 2>/dev/null) || continue; \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; break; }; done)

export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# Intranet mirrors often sit behind an in-house CA: trust the system store, as pip does.
export UV_SYSTEM_CERTS ?= 1

.PHONY: run install install-test test lint bench bench-spun-heldout python debs-run debs-test clean local-config bytecode

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "reformtrack needs Python 3.12 or newer (Django 6). Install it, e.g. 'apt-get install python3.12'" \
	       "or 'pyenv install 3.12', and run make again." >&2; exit 1; fi
	@echo "Using $(PYTHON)"

# Installs missing Debian packages when we can (root), otherwise says which are missing.
define ensure_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (run as root or install them)" >&2; exit 1; fi; fi
endef

debs-run:
	$(call ensure_debs,$(RUN_DEBS))

debs-test:
	$(call ensure_debs,$(TEST_DEBS))

$(BIN)/uv: | python
	$(PYTHON) -m pip install -q --disable-pip-version-check uv
	$(PYTHON) -m venv --without-pip $(VENV)
	ln -sf "$$($(PYTHON) -c 'import uv; print(uv.find_uv_bin())')" $(BIN)/uv

install: debs-run $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e .
	@$(MAKE) --no-print-directory bytecode
	cd src/reformtrack && DEBUG=true ../../$(BIN)/reformtrack compilemessages >/dev/null
	@$(MAKE) --no-print-directory local-config

install-test: debs-test $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test]'
	@$(MAKE) --no-print-directory bytecode
	cd src/reformtrack && DEBUG=true ../../$(BIN)/reformtrack compilemessages >/dev/null

# Bytecode written at install, as pip does and uv does not: without it every command, server
# worker and test process compiles Django and the rest again (≈ 2.5 s of CPU a start where
# PYTHONDONTWRITEBYTECODE is set). The installed packages once per change of the venv (a
# stamp; Python 2 leftovers in some packages fail to compile, harmlessly), the product's own
# source every time (a second; a file edited later is read from source).
SITE_PACKAGES = $(shell $(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
bytecode:
	@if [ ! -e $(VENV)/.bytecode ] || [ -n "$$(find $(SITE_PACKAGES) -maxdepth 1 -newer $(VENV)/.bytecode -print -quit)" ]; then \
	  echo "Compiling the installed packages' bytecode (once) …"; \
	  $(BIN)/python -m compileall -q -j 0 $(SITE_PACKAGES) >/dev/null 2>&1 || true; \
	  touch $(VENV)/.bytecode; fi
	@$(BIN)/python -m compileall -q -j 0 src >/dev/null

# The local profile: a generated secret in the data dir (0600) so that every README command
# works in a new shell, the product's own error pages (no debug pages), a job worker beside
# the server. `reformtrack serve --dev` is Django's debug server, for developers.
DATA_DIR := $(or $(REFORMTRACK_DATA_DIR),var)

local-config:
	@umask 077; mkdir -p $(DATA_DIR); [ -s $(DATA_DIR)/secret.key ] || \
	  $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $(DATA_DIR)/secret.key

run: install local-config
	@echo "Preparing the database (reformtrack migrate) …"
	$(BIN)/reformtrack migrate --no-input -v 0
	$(BIN)/reformtrack demo
	$(BIN)/reformtrack serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Two pytest-xdist workers (the machine has 2 cores); browser tests share one worker (conftest).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup

test: lint
	DEBUG=true $(BIN)/reformtrack makemigrations --check --dry-run >/dev/null
	@echo "== suite on SQLite"
	$(PYTEST)
	@echo "== suite on PostgreSQL (tests that touch no database ran above: conftest marks them nodb)"
	.ci/with-postgres $(PYTEST) -m "not browser and not nodb"

# Benchmarks print JSON (and keep it under bench-results/); ratios are measured in the same run.
bench: install-test
	$(BIN)/python benchmarks/bench_orgs.py --out bench-results/orgs-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_orgs.py --out bench-results/orgs-postgresql.json
	$(BIN)/python benchmarks/bench_ledger.py --out bench-results/ledger-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_ledger.py --out bench-results/ledger-postgresql.json
	$(BIN)/python benchmarks/bench_kpis.py --out bench-results/kpis-sqlite.json
	$(BIN)/python benchmarks/bench_documents.py --count 10000 --tree-cache var/bench/documents-national.sqlite3 --out bench-results/documents-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_documents.py --count 2000 --out bench-results/documents-postgresql.json
	$(BIN)/python benchmarks/bench_ledger_import.py --rows 10000,50000,100000 --web-rows 6000,100000 --out bench-results/ledger-import-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_ledger_import.py --rows 10000,50000,100000 --web-rows 6000,100000 --out bench-results/ledger-import-postgresql.json
	$(BIN)/python benchmarks/bench_task_update.py --out bench-results/task-update-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_task_update.py --out bench-results/task-update-postgresql.json
	$(BIN)/python benchmarks/bench_spun.py --out bench-results/spun.json
	$(BIN)/python benchmarks/bench_pages.py --out bench-results/pages-sqlite.json
	.ci/with-postgres $(BIN)/python benchmarks/bench_pages.py --out bench-results/pages-postgresql.json
	$(BIN)/python benchmarks/bench_first_page.py --scale 1 --out bench-results/first-page-sqlite.json
	$(BIN)/python benchmarks/bench_close_period.py --scale 1 --out bench-results/close-period-sqlite.json
	$(BIN)/python benchmarks/bench_tally_rebuild.py --scale 1 --out bench-results/tally-rebuild-sqlite.json
	.ci/with-postgres sh -c '$(BIN)/python benchmarks/bench_first_page.py --scale 1 --out bench-results/first-page-postgresql.json && $(BIN)/python benchmarks/bench_close_period.py --scale 1 --keep --out bench-results/close-period-postgresql.json && $(BIN)/python benchmarks/bench_tally_rebuild.py --scale 1 --keep --out bench-results/tally-rebuild-postgresql.json'
	$(BIN)/python benchmarks/bench_xlsx_bomb.py --out bench-results/xlsx-bomb.json
	$(BIN)/python benchmarks/bench_test_suite.py --out bench-results/test-suite.json
	$(BIN)/python benchmarks/summary.py

# The spun-repair list held back from tuning: score it once per change to the repair rules.
bench-spun-heldout: install-test
	$(BIN)/python benchmarks/bench_spun.py --list heldout --out bench-results/spun-heldout.json

clean:
	rm -rf $(VENV) var staticfiles
