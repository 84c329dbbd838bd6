# 权力清单管理门户 — developer and CI entry points.
#
#   make run     demo on http://127.0.0.1:8000 (SQLite, Celery eager, demo accounts)
#   make test    the test suite (SQLite unless DATABASE_URL is set) on every core, at most 4
#                processes (TEST_WORKERS=0 runs it in one); PYTEST_ARGS=... passes through
#   make check   Django system checks, missing migrations, import contracts, production (--deploy) checks
#   make lock    re-resolve requirements*.lock from pyproject.toml (LOCK_ARGS=--upgrade moves pins)
#   make lock-check  fail if the lock files are stale against pyproject.toml (CI runs it)
#   make bench   bench/run.py, if present; make bench-record: bench/record.py (operation record)
#   make clean   remove caches, collected static files and the demo database (var/)
#
# Everything runs in .venv, created and kept up to date by scripts/venv.sh from
# requirements-test.lock (see docs/security.md, "Lock files").

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
export PYTHON
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

DEMO_PASSWORD ?= portal-demo-2026
PYTEST_ARGS ?=
# pytest-xdist processes for make test: one per core, capped at 4 (tests/settings.py gives
# each its own Redis databases, and 4 keeps them apart); 0 runs the suite in this process.
TEST_WORKERS ?= auto

# Settings for development and tests; anything already in the environment wins.
# (Used as a prefix in the recipes: `$(DEV_ENV) command`.)
DEV_ENV = DEBUG=$${DEBUG:-1} \
	SECRET_KEY=$${SECRET_KEY:-dev-and-test-only-secret-key-not-for-production-use}

.PHONY: help venv lock lock-check system-packages system-packages-web messages var run test check bench bench-record clean distclean

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

# .venv from requirements-test.lock (pip --require-hashes); refuses a stale lock.
venv:
	@bash scripts/venv.sh

# The lock files (scripts/lock.sh): exact versions with hashes, Python 3.11, Linux x86_64.
lock:
	@bash scripts/lock.sh lock

lock-check:
	@bash scripts/lock.sh check

# Debian packages (installed only when missing, and only as root).
system-packages:
	@bash scripts/system-packages.sh test

system-packages-web:
	@bash scripts/system-packages.sh web

# The SQLite file and uploads live in var/ (VAR_DIR), which a fresh clone lacks.
var:
	@mkdir -p "$${VAR_DIR:-var}"

# Compile locale/*.po into .mo files, if there are any and gettext is installed.
# --ignore keeps Django from walking into the venv's own locale folders.
messages: venv
	@if ! find locale -name '*.po' 2>/dev/null | grep -q .; then \
		echo "messages: no .po files in locale/, skipping"; \
	elif ! command -v msgfmt >/dev/null; then \
		echo "messages: gettext (msgfmt) not installed, skipping compilemessages" >&2; \
	else \
		$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	fi

# The demo: always DEBUG on and Celery eager (REDIS_URL empty). seed_demo prints the logins.
# EMAIL_HOST switches notice emails on; with DEBUG they are printed to this console.
run: venv system-packages-web messages var
	DEBUG=1 REDIS_URL= $(MANAGE) migrate --noinput
	DEBUG=1 REDIS_URL= $(MANAGE) seed_demo --password "$(DEMO_PASSWORD)"
	@echo "==> Demo on http://127.0.0.1:8000/ (logins above, password $(DEMO_PASSWORD)); Ctrl-C stops it."
	DEBUG=1 REDIS_URL= EMAIL_HOST=$${EMAIL_HOST:-localhost} $(MANAGE) runserver 127.0.0.1:8000

# DATABASE_URL and REDIS_URL come from the environment when set (CI sets both);
# TEST_REDIS_URL is the Redis database the real-worker tests may use.
test: venv system-packages messages var
	$(DEV_ENV) TEST_REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
		$(VENV)/bin/pytest -n $(TEST_WORKERS) --maxprocesses=4 --dist worksteal $(PYTEST_ARGS)

# The --deploy check runs with production-like settings and a throwaway random key,
# and fails on warnings too.
check: venv var
	$(DEV_ENV) $(MANAGE) check
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	DEBUG=0 ALLOWED_HOSTS=portal.example.gov.cn \
		SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		COMPLAINT_IDENTITY_KEY="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
		$(MANAGE) check --deploy --fail-level WARNING

bench: venv system-packages-web var
	@if [ -f bench/run.py ]; then \
		$(DEV_ENV) $(PY) bench/run.py; \
	else \
		echo "bench: no bench/run.py yet"; \
	fi

# Operation-record bench on PostgreSQL (DATABASE_URL, default record_bench); see bench/README.md.
bench-record: venv
	$(DEV_ENV) $(PY) bench/record.py

# Removes generated files and the demo database/uploads in var/ (make run recreates them).
clean:
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache staticfiles bench/out var build *.egg-info

# clean, and the virtualenv too.
distclean: clean
	rm -rf $(VENV)
