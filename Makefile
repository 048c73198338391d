# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
DEV_ENV := DJANGO_DEBUG=true

.PHONY: run test install obvalidator lint migrate seed clean

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

run: seed
	@echo "badgeapp on http://$(HOST)/ (sign in at http://$(HOST)/login/)"
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

test: install obvalidator
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) $(OBVALIDATOR) staticfiles .pytest_cache .ruff_cache
