# casereview: `make run` serves the demo; `make test` runs the whole suite.
# Both create the virtualenv and install what they need on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_ENV := DEBUG=1
# The port `make run` serves on: make run PORT=8001
PORT ?= 8000

.PHONY: run test test-fast typecheck bench install install-dev lock audit lint vendor editor clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs the lock files: every package, direct or not, at the version `make lock` chose, each file
# checked against the hash PyPI gave for it. A changed lock file installs again.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Remakes requirements.lock and requirements-dev.lock from requirements.txt and requirements-dev.txt
# (the files people edit), for every platform, with the hashes of the files PyPI serves (not those
# of a local mirror or find-links). Versions already locked stay unless LOCK_FLAGS says otherwise:
# make lock LOCK_FLAGS=--upgrade, or LOCK_FLAGS="--upgrade-package django".
LOCK_FLAGS ?=
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-config \
	--index-url https://pypi.org/simple --custom-compile-command "make lock" $(LOCK_FLAGS)
lock: install-dev
	$(UV_COMPILE) --output-file requirements.lock requirements.txt
	$(UV_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

# Looks the locked runtime packages up in an advisory database (pip-audit): fails on a known
# advisory, says so in one line and passes when no advisory service answers.
audit: install-dev
	$(PY) scripts/audit_dependencies.py requirements.lock

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	@echo "casereview is at http://127.0.0.1:$(PORT) (demo users in README.md; sign-in code: $(PY) manage.py demo_code)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Runs on DATABASE_URL if set, else on PostgreSQL at 127.0.0.1:5432 if it answers (a database
# casereview_test_run is made for it), else on SQLite; scripts/test_database.py says which.
test: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(MAKE) --no-print-directory typecheck
	@url=$$($(PY) scripts/test_database.py) || exit 1; \
	if [ -n "$$url" ]; then export DATABASE_URL="$$url"; fi; \
	echo "$(PY) -m pytest (two processes; then the real-worker tests on their own)"; \
	$(PY) -m pytest -m "not worker" -n 2 --dist loadfile && $(PY) -m pytest -m worker

# The suite without the browser, real-worker and slow tests (pyproject.toml's markers), on SQLite
# unless DATABASE_URL is set: the check while working, in two processes. `make test` runs them all.
# Python keeps its compiled modules and pytest its rewritten test modules in __pycache__ even where
# the environment says not to (PYTHONDONTWRITEBYTECODE): a second run then starts in half the time.
test-fast: install-dev
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -m "not browser and not worker and not slow" -n 2 --dist loadfile -q

# mypy with django-stubs over the apps (configured in pyproject.toml; cache in .mypy_cache).
typecheck: install-dev
	$(VENV)/bin/mypy

bench: install-dev
	$(PY) bench/run.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the pinned front-end files from npm (versions in package.json).
vendor:
	npm install --no-save --no-package-lock
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	$(MAKE) --no-print-directory editor
	cp node_modules/axe-core/axe.min.js tests/browser/vendor/

# The section editor (static/src/editor/, on ProseMirror) built into one script and one style
# sheet, with the licences of what it bundles (all MIT).
EDITOR_PACKAGES := prosemirror-model prosemirror-state prosemirror-view prosemirror-transform prosemirror-commands \
	prosemirror-keymap prosemirror-history prosemirror-schema-list prosemirror-tables prosemirror-dropcursor \
	prosemirror-gapcursor orderedmap rope-sequence w3c-keyname
editor:
	mkdir -p static/vendor/editor
	node_modules/.bin/esbuild static/src/editor/index.js --bundle --format=iife --minify --target=es2019 \
		--legal-comments=none --outfile=static/vendor/editor/casereview-editor.js
	cat node_modules/prosemirror-view/style/prosemirror.css node_modules/prosemirror-tables/style/tables.css \
		static/src/editor/editor.css > static/vendor/editor/casereview-editor.css
	for package in $(EDITOR_PACKAGES); do \
		echo "$$package $$(node -p "require('./node_modules/$$package/package.json').version") (MIT):"; echo; \
		cat node_modules/$$package/LICENSE; echo; \
	done > static/vendor/editor/LICENSE

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache
