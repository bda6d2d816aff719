# `make run` and `make test` set everything up on first use (virtualenv, packages, browser).
SHELL := /bin/bash
# The first Python 3.11+ on PATH. Candidates that cannot run (e.g. pyenv shims of versions not
# installed) are skipped silently.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 \
	&& $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test fuzz lint format browser clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it, then re-run make."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e ".[dev]"
	@mkdir -p var
	@touch $(STAMP)

# The demo tenant's sandbox connection and the webhook URLs use the address actually served.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py seed_demo
	@echo "Web app, task worker and Dataverse sandbox on http://$(HOST):$(PORT)/ (Ctrl-C stops all)."
	@trap 'kill 0' INT TERM; \
	$(VPY) manage.py qcluster & \
	$(VPY) manage.py runserver $(HOST):$(PORT) & \
	wait

# Browser tests drive Debian's Chromium; install it when missing and we can.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq chromium || (apt-get update -qq && apt-get install -y -qq chromium)) >/dev/null; \
	  else \
	    echo "Browser tests need Chromium: sudo apt-get install -y chromium (or set CHROMIUM_PATH)."; \
	  fi; }

test: $(STAMP) browser
	$(VPY) -m pytest $(PYTEST_ARGS)

# The webhook fuzz at full length: 10,000 examples (2,000 per property, fresh randomness) instead
# of the suite's fixed few hundred. FUZZ_SEED=<n> repeats a run exactly.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(VPY) -m pytest -q -p no:cacheprovider tests/handoffs/fuzz \
	  $(if $(FUZZ_SEED),--hypothesis-seed=$(FUZZ_SEED))

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VPY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3
