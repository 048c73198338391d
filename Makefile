# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Development: links and ids follow HOST, and imports may fetch from this machine
# (the demo issuer the development server hosts; refused in production mode).
DEV_ENV := DJANGO_DEBUG=true BADGEAPP_DEV_HOST=$(HOST) OPENBADGES_FETCH_LOOPBACK=true

.PHONY: run test install obvalidator vcverifier ralph djaodjin-proxy axe lint messages migrate seed clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

# The development server, and beside it a worker for the background tasks (emails,
# imports...), stopped with it. The worker does not reload: restart after changing a task.
run: seed
	@echo "badgeapp on http://$(HOST)/ (sign in at http://$(HOST)/login/), with a background worker"
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST)

# The 1EdTech Open Badges reference validator, in its own venv: its pins conflict
# with ours. The suite runs it on every kind of assertion the app hosts.
OBVALIDATOR := .venv-obvalidator
$(OBVALIDATOR)/.installed: requirements-obvalidator.txt
	$(PYTHON) -m venv $(OBVALIDATOR)
	$(OBVALIDATOR)/bin/pip install --quiet --upgrade pip
	$(OBVALIDATOR)/bin/pip install --quiet --no-deps -r requirements-obvalidator.txt
	touch $@

obvalidator: $(OBVALIDATOR)/.installed

# Digital Bazaar's W3C Verifiable Credentials verifier (npm, the exact versions of the
# committed lockfile): the suite checks the Open Badges 3.0 credentials the app signs with it.
VCVERIFIER := tests/vc_verifier
$(VCVERIFIER)/node_modules/.installed: $(VCVERIFIER)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js 18 or later with npm"; exit 1; }
	cd $(VCVERIFIER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

vcverifier: $(VCVERIFIER)/node_modules/.installed

# Ralph, a real Learning Record Store (xAPI), in its own venv too: the learning-record
# tests pull from it and push through it (tests/support/ralph.py), never from a mock.
RALPH := .venv-ralph
$(RALPH)/.installed: requirements-ralph.txt
	$(PYTHON) -m venv $(RALPH)
	$(RALPH)/bin/pip install --quiet --upgrade pip
	$(RALPH)/bin/pip install --quiet --no-deps -r requirements-ralph.txt
	touch $@

ralph: $(RALPH)/.installed

# DjaoDjin's forwarding engine (djaodjin-rules, -saas, -signup from PyPI), in its
# own venv: the proxy the journey in tests/proxy_e2e/ goes through.
DJAODJIN_PROXY := .venv-djaodjin
$(DJAODJIN_PROXY)/.installed: tests/djaodjin_proxy/requirements.txt
	$(PYTHON) -m venv $(DJAODJIN_PROXY)
	$(DJAODJIN_PROXY)/bin/pip install --quiet --upgrade pip
	$(DJAODJIN_PROXY)/bin/pip install --quiet --no-deps -r tests/djaodjin_proxy/requirements.txt
	touch $@

djaodjin-proxy: $(DJAODJIN_PROXY)/.installed

# axe-core (pinned in tests/e2e/axe/package-lock.json), injected by the end-to-end
# tests into every page they check. Needs npm; without it those checks are skipped
# on a laptop (and fail in CI, which installs it).
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks (axe-core) will be skipped. Install Node.js 20."; fi

axe: $(AXE)

# The whole suite, with line coverage of the app (figure in README.md), in TEST_WORKERS
# processes (pytest-xdist): the browser tests in one, the others spread over the rest.
TEST_WORKERS ?= 2
test: install obvalidator vcverifier ralph djaodjin-proxy axe
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# Lint, the import contract, and the translations: template text not marked for
# translation, catalogues incomplete or not compiled (needs GNU gettext: apt-get install gettext).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/python manage.py check_translations

# After marking strings: every catalogue in locale/ updated, then compiled (.mo files
# are committed, so the app needs no gettext to run). Translate, then run it again.
messages: install
	$(DEV_ENV) $(BIN)/python manage.py update_translations

clean:
	rm -rf $(VENV) $(OBVALIDATOR) $(DJAODJIN_PROXY) $(VCVERIFIER)/node_modules $(RALPH) staticfiles .pytest_cache .ruff_cache .coverage .import_linter_cache tests/e2e/axe/node_modules
