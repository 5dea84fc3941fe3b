# lunarportal: `make run` serves the site with demo content, `make test` runs every test.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help install install-dev lock run serve test test-postgres lint audit bench bench-smoke migrations-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# Modules are byte-compiled when first imported (below), so each command after the first starts
# from the compiled files, whatever the caller's PYTHONDONTWRITEBYTECODE says.
unexport PYTHONDONTWRITEBYTECODE

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lunarportal needs Python 3.11 or newer (set PYTHON=python3.x).")'
	$(PYTHON) -m venv $(VENV)
	@# Nothing the site runs needs setuptools (Python 3.12 no longer puts it in a new virtualenv).
	$(BIN)/python -m pip uninstall --quiet --yes setuptools

# What the site needs to run, locked with hashes. Not byte-compiled at install: Python compiles
# the modules the site imports when it first imports them, a fraction of what is installed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.txt
	@touch $@

# The test and tooling packages, on top of the runtime (the same pins for what both share).
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --no-compile -r requirements-dev.txt
	@touch $@

# The local site's settings file (plain http on loopback: no HTTPS redirect, HSTS or secure
# cookies), with a secret key of its own; real environment variables still win. Written for the
# local targets only (run, serve): an install on a server must never inherit it (docs/deploy.md).
# A .env written by an older checkout keeps its values and gains the variables .env.example has
# set since (a new local default, such as DJANGO_ALLOW_INSECURE), instead of stopping start-up.
.env: .env.example
	@if [ -f $@ ]; then \
		awk -F= 'NR == FNR { if (/^[A-Z_]+=/) have[$$1] = 1; next } /^[A-Z_]+=/ && !($$1 in have)' $@ .env.example > $@.added; \
		if [ -s $@.added ]; then \
			{ echo "# Added from .env.example by make:"; cat $@.added; } >> $@; \
			echo "Added to .env from .env.example: $$(cut -d= -f1 $@.added | tr '\n' ' ')"; \
		fi; \
		rm -f $@.added; touch $@; \
	else \
		sed "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')/" .env.example > $@; \
		echo "Wrote .env with a generated DJANGO_SECRET_KEY."; \
	fi

# axe-core, the Nu HTML Checker and Lighthouse for the page-quality tests (never served).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: the browser-side test tools need Node.js and npm."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed ## Create .venv and install what the site needs to run (requirements.txt)

install-dev: $(VENV)/.installed-dev ## Add the test and tooling packages (requirements-dev.txt)

lock: install-dev ## Re-lock requirements.txt and requirements-dev.txt (with hashes) after editing the .in files
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

run: install .env ## Set up the database, load demo content and serve on http://127.0.0.1:$(PORT)
	@# The static files are collected while the database is set up: neither needs the other.
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 & collecting=$$!; \
	$(BIN)/python manage.py migrate --noinput \
		&& $(BIN)/python manage.py load_demo_content --if-empty \
		&& $(BIN)/python manage.py make_mission_pictures \
		&& $(BIN)/python manage.py create_local_editor --role editor \
		&& $(BIN)/python manage.py create_local_editor --role publisher; \
	status=$$?; wait $$collecting && exit $$status
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: install .env ## Serve with the production stack: gunicorn (workers from the CPU count), WhiteNoise, debug off
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content --if-empty
	$(BIN)/python manage.py make_mission_pictures
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# Without CACHE_URL, the workers share a file cache: one worker's invalidation reaches all.
	CACHE_URL="$${CACHE_URL:-filecache://$(CURDIR)/.cache/pages}" $(BIN)/gunicorn lunarportal.wsgi \
		--bind 127.0.0.1:$(PORT) --workers $$(( $$(nproc) * 2 + 1 )) --access-logfile - --error-logfile -

# One test process per core; the tests sharing a server stay on one, and the work is taken in
# the order tests/passes.py gives it (the tests that empty the database last).
# PYTEST_ARGS: more options or paths, e.g. make test PYTEST_ARGS="tests/site -x".
PYTEST_ARGS ?=
PYTEST := $(BIN)/python -m pytest -n auto --dist loadgroup --no-loadscope-reorder

test: install-dev node_modules/.installed ## Run the whole test suite (SQLite unless DATABASE_URL says otherwise)
	@.ci/install-browser
	@.ci/install-wrk
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

# A PostgreSQL DATABASE_URL or a Redis CACHE_URL already in the environment is used as it is.
test-postgres: install-dev ## Run the tests marked `database` on PostgreSQL with Redis (both installed and started; root)
	@.ci/install-nginx
	case "$$DATABASE_URL" in postgres*) ;; *) DATABASE_URL="$$(.ci/start-postgres)";; esac; \
	case "$$CACHE_URL" in redis*) ;; *) CACHE_URL="$$(.ci/start-redis)";; esac; \
	DATABASE_URL="$$DATABASE_URL" CACHE_URL="$$CACHE_URL" $(PYTEST) -m database $(PYTEST_ARGS)

lint: install-dev ## Check code style with ruff, and that imports run one way (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

audit: install-dev ## pip-audit every installed package; prints AUDIT NOT RUN (and passes) when no advisory service answers
	$(BIN)/python tools/audit.py

bench: install node_modules/.installed ## Load-test the production stack (gunicorn, nginx) on 10,000 synthetic missions with wrk against bare Django (DATABASE_URL: PostgreSQL), then Lighthouse scores of every public page type, as a phone and a desktop
	@.ci/install-wrk
	@.ci/install-nginx
	@.ci/install-browser
	$(BIN)/python bench/run.py --lighthouse $(BENCH_ARGS)

bench-smoke: install ## A few seconds per row on a small dataset; fails on any non-2xx response, socket error or cold page not rendered
	@.ci/install-wrk
	@.ci/install-nginx
	$(BIN)/python bench/run.py --smoke $(BENCH_ARGS)

migrations-check: install ## Fail when a model change has no migration
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run

clean: ## Remove the virtualenv, the local database and uploaded media
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles .pytest_cache
