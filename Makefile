# Alur: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
# Django 6 needs Python 3.12+; the machine's default python3 may be older.
PYTHON ?= $(shell for p in python3.13 python3.12 $(PYENV_ROOT)/versions/3.13*/bin/python3.13 $(PYENV_ROOT)/versions/3.12*/bin/python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Development defaults unless the caller says otherwise (CONTRACT.md: `make run` works with no environment).
DEV := DEBUG=$${DEBUG:-1}
# Python's own bytecode cache for every command here, whatever the shell says: with
# PYTHONDONTWRITEBYTECODE set (this machine's environment sets it), each of the suite's
# processes (xdist workers, gunicorn, Celery, manage.py) compiles everything it imports
# from source, every time.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help run test lint warm format messages system-deps clean bench faults

help:
	@echo "make run    - install, migrate, load the demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - lint and the whole test suite (real PostgreSQL, Redis, Celery, Chromium)"
	@echo "make lint   - ruff, makemigrations --check, manage.py check, translations complete"
	@echo "make bench  - gunicorn over HTTP vs the floor, 1M requests (SCALE=small: 20k; SEED_ONLY=1)"
	@echo "make faults - kill/restart worker, Redis, PostgreSQL, Twilio 5xx/429 under load"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Alur needs Python 3.12 or newer (Django 6). Install one, e.g. 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv', then run make again." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

# uv installs the pinned freeze: a fresh clone's install takes seconds from uv's cache
# instead of pip's two minutes (README, Dependencies). Offline first: this network answers
# uv's cache revalidations as "modified", so online it fetches and rebuilds the 100 MB
# face-recognition-models sdist every time; with every pin cached, offline resolves the
# same versions. A cold or incomplete cache fails that in a second and goes to the index.
# No --compile-bytecode: compiling all 8,800 files of the freeze took 25 s of every fresh
# clone's install, most of them never imported (Python caches what is, below).
UV_PIN := uv==0.13.8
UV_INSTALL := $(BIN)/uv pip install --python $(BIN)/python -q -r requirements.txt
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q $(UV_PIN)
	$(UV_INSTALL) --offline 2>/dev/null || $(UV_INSTALL)
	touch $@

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || ./scripts/system-deps.sh gettext
	$(DEV) $(MANAGE) compilemessages --ignore=.venv -v 0

run: $(VENV)/.installed messages
	$(DEV) $(MANAGE) migrate --noinput -v 0
	@if [ "$${DEBUG:-1}" = "1" ]; then DEBUG=$${DEBUG:-1} $(MANAGE) seed_demo && DEBUG=1 $(MANAGE) seed_letters; fi
	DEBUG=$${DEBUG:-1} $(MANAGE) serve 127.0.0.1:8000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run -v 1
	DEBUG=1 $(MANAGE) check
	@command -v msgfmt >/dev/null || ./scripts/system-deps.sh gettext
	$(BIN)/python scripts/check-translations.py

system-deps:
	./scripts/system-deps.sh

# The whole suite on TEST_WORKERS xdist workers, each with its own PostgreSQL and Redis
# (tests/servers.py). A file stays whole on one worker (module fixtures such as a Celery
# worker start once), the production-parity package too (its one Procfile stack behind
# nginx), and the slowest units start first (tests/conftest.py). Three workers on two
# cores: the suite spends much of its time waiting on servers, browsers and subprocesses.
# `warm` collects the suite once beside `make lint` and `make messages`: it leaves the bytecode
# of what the tests import and pytest's rewritten test modules in __pycache__, which the
# workers then read instead of each compiling and rewriting the same modules at once.
TEST_WORKERS ?= 3
test: $(VENV)/.installed system-deps
	@$(MAKE) --no-print-directory -j3 messages lint warm
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Collection only: the addresses are never connected to (tests/servers.py starts no server
# when they are given).
warm: $(VENV)/.installed
	@ALUR_TEST_DATABASE_URL=postgres://warm@127.0.0.1:9/warm ALUR_TEST_REDIS_URL=redis://127.0.0.1:9/0 \
		$(BIN)/pytest --collect-only -q -p no:cacheprovider > /dev/null

# The bench also needs wrk (its load generator), checked before the minutes of seeding.
bench: $(VENV)/.installed system-deps
	./scripts/system-deps.sh wrk
	SCALE=$${SCALE:-full} $(BIN)/python -m bench

faults: $(VENV)/.installed system-deps
	FAULT_SECONDS=$${FAULT_SECONDS:-30} $(BIN)/python -m bench.faults

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
