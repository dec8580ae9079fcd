# The README's two commands: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint install install-dev serve loadtest bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A stamp per requirements file, so a changed pin reinstalls and an unchanged one costs nothing.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up (venv, migrations, Palmyra data, admin account) and serve on http://$(HOST):$(PORT)
run: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py bootstrap_register
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py import_places $(wildcard fixtures/places/*.csv fixtures/places/*.geojson)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py refresh_conditions
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py import_articles seeds/
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Production server: gunicorn + whitenoise with DEBUG off. Needs SECRET_KEY and ALLOWED_HOSTS;
## behind a TLS proxy TRUST_X_FORWARDED_PROTO=true and NUM_PROXIES=1. WEB_CONCURRENCY sets the worker count.
## Errors and their tracebacks go to gunicorn's stderr; the app serves /media/ unless SERVE_MEDIA=false.
serve: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn heritage.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## Load test against gunicorn on PostgreSQL (loopback only; see docs/LOAD.md)
loadtest: install
	$(BIN)/python bench/load_test.py

## Benchmark at 1,000 and 250,000 generated monuments on PostgreSQL against a raw baseline (docs/PERFORMANCE.md)
bench: install
	$(BIN)/python bench/bench_register.py $${BENCH_ARGS:-}

## Extract the interface's messages into locale/ar/LC_MESSAGES/django.po and compile django.mo (docs/I18N.md)
## Running it again with nothing changed changes nothing: no locations, no obsolete entries, no creation date.
messages: install-dev
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py makemessages -l ar --no-location --no-obsolete \
		--ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='var/*'
	sed -i '/^"POT-Creation-Date: /d' locale/ar/LC_MESSAGES/django.po
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py compilemessages -l ar --ignore='.venv/*'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Lint, check for missing migrations, and run the whole suite (SQLite unless DATABASE_URL says otherwise)
test: lint
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
