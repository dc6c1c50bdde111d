# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Unit tests run in parallel (pytest-xdist), one database per worker.
WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := learning_reviews.settings
# Every target here is a developer's: development settings (anything else runs as production,
# docs/deployment.md). `checks` asks for production itself for `check --deploy`.
export LR_ENV := development

.PHONY: run test preflight venv lint imports typecheck checks unit unit-sqlite unit-postgres e2e \
	bench bench-data soak demo assets clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## make run: install, migrate, load the fictional demo organisation and serve on $(PORT), with
## the task worker that sends e-mail beside it (scripts/run.sh; Ctrl-C stops both).
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	PYTHON=$(BIN)/python PORT=$(PORT) scripts/run.sh

demo: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

## make test: preflight (installs Chromium, checks PostgreSQL), lint, import contracts, type
## checks, Django checks, unit tests on SQLite and PostgreSQL, browser tests; then each stage's time.
STAGES := preflight venv lint imports typecheck checks unit-sqlite unit-postgres e2e
test:
	@MAKE="$(MAKE)" scripts/stages.sh $(STAGES)

# Within seconds: installs Debian's Chromium if missing (as root), checks PostgreSQL is reachable,
# or stops with the exact command to run.
preflight:
	@POSTGRES_URL="$(POSTGRES_URL)" PYTHON="$(PYTHON)" VENV="$(VENV)" scripts/preflight.sh

# The test tools in .venv (from requirements-dev.txt), installed or brought up to date; and the
# real OpenID Connect provider the single sign-on tests start (npm, from its package-lock.json).
SSO_PROVIDER := learning_reviews/single_sign_on/tests/provider
venv: $(VENV)/.dev $(SSO_PROVIDER)/node_modules/.package-lock.json

$(SSO_PROVIDER)/node_modules/.package-lock.json: $(SSO_PROVIDER)/package-lock.json
	npm ci --prefix $(SSO_PROVIDER) --no-audit --no-fund

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Which apps may import which (.importlinter).
imports: $(VENV)/.dev
	$(BIN)/lint-imports --no-logo --no-cache .importlinter

typecheck: $(VENV)/.dev
	$(BIN)/mypy learning_reviews

checks: $(VENV)/.dev
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_migrations
	LR_ENV=production LR_SECRET_KEY=check-deploy-only-$$(printf '%064d' 0) \
		LR_ALLOWED_HOSTS=reviews.example.org DATABASE_URL=$(POSTGRES_URL) \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

unit: unit-sqlite unit-postgres

unit-sqlite: $(VENV)/.dev
	$(BIN)/python -m pytest -q -n $(WORKERS) -m "not e2e" learning_reviews

# PostgreSQL is required: an unreachable server fails the run rather than skipping it.
unit-postgres: $(VENV)/.dev
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python scripts/require_database.py
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -q -n $(WORKERS) -m "not e2e" learning_reviews

e2e: $(VENV)/.dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -q -n $(WORKERS) -m e2e e2e

## make bench (not part of `make test`): the key pages under load with wrk, on the national data
## of `make bench-data`, under production settings; writes bench/results/latest.json and the
## results of docs/benchmarks.md. Installs wrk from Debian when run as root, or says the command.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
BENCH_SECONDS ?= 10
bench: $(VENV)/.runtime
	@scripts/bench_prerequisites.sh
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_SECONDS=$(BENCH_SECONDS) $(BIN)/python bench/run.py

## make bench-data (not part of `make test`): a fresh PostgreSQL database BENCH_DATABASE_URL with
## the demo and a fictional national-scale data set at BENCH_SCALE (1.0: 40 councils, 20,000
## referrals, 2,000,000 audit events) for the benchmarks; prints the counts, time and size.
BENCH_SCALE ?= 1.0
bench-data: $(VENV)/.dev
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python bench/data.py

## make backup: the database (DATABASE_URL) and the stored files into a new directory inside
## $(BACKUP_DIR); make restore BACKUP=<that directory> [FORCE=1] brings one back and checks it
## (docs/operations.md, "Backups and restores").
BACKUP_DIR ?= backups
backup: $(VENV)/.runtime
	$(BIN)/python manage.py backup $(BACKUP_DIR)

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=$(BACKUP_DIR)/learning-reviews-…"; exit 2; }
	$(BIN)/python manage.py restore $(if $(FORCE),--force) $(BACKUP)

## make soak (not part of `make test`): 50 simulated people for 60 seconds against two app
## servers behind nginx, a task worker and PostgreSQL on loopback; fails on any server error or
## lost update, and writes the figures into docs/operations.md ("Load"). Installs nginx and
## openssl from Debian when run as root, or says the command to run.
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/soak
$(VENV)/.soak: requirements-soak.txt requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-soak.txt
	touch $(VENV)/.runtime $(VENV)/.dev $@

soak: $(VENV)/.soak
	@scripts/soak_prerequisites.sh
	SOAK_DATABASE_URL=$(SOAK_DATABASE_URL) $(BIN)/python soak/run.py

## make assets: refresh the vendored GOV.UK Frontend and MoJ Frontend files and the documents' Arimo font from npm.
assets:
	scripts/update_assets.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
