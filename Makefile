# casereview: `make run` serves the demo; `make test` runs the whole suite.
# Both create the virtualenv and install what they need on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_ENV := DEBUG=1
# The port `make run` serves on: make run PORT=8001
PORT ?= 8000

.PHONY: run test test-fast typecheck bench install install-dev lint vendor editor clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

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

# The suite without the browser and real-worker tests, on SQLite unless DATABASE_URL is set: the
# check while working (4,800 tests, 23 minutes on a busy 2-core machine; `make test` is the whole suite).
test-fast: install-dev
	$(PY) -m pytest -m "not browser and not worker" -n 2 --dist loadfile -q

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
