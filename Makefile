# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed-python
STAMP_JS := node_modules/.installed-js
CSS := static/build/app.css
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages run test lint format lock clean

install: system-packages $(STAMP_PY) $(CSS)

# Chromium, poppler-utils, Pango, fonts and Node, named in safeguarding/system_packages.py:
# installed with apt-get when run as root on Debian/Ubuntu, else named with the command.
system-packages:
	@$(PYTHON) safeguarding/system_packages.py check

$(STAMP_PY): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	touch $@

$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(STAMP_JS) static/scss/app.scss
	mkdir -p static/build
	npx --no-install sass --quiet --no-source-map --load-path=node_modules \
		--style=compressed static/scss/app.scss $(CSS)

run: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo --url http://$(HOST):$(PORT)/
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	DJANGO_DEBUG=true SITE_URL=http://$(HOST):$(PORT) RUN_ADDRESS=$(HOST):$(PORT) \
		$(BIN)/honcho --procfile Procfile.dev start

# The suite runs on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process).
# Then the tests of the pure triage rules run again under coverage: the modules of
# incidents/triage that need no Django (facts, context, criteria, obligations, parsing,
# rules) must stay fully covered, branch by branch (docs/triage.md). record, selectors
# and services use the database and are left to the suite. Coverage is measured there
# only, because tracing the whole suite would make it two thirds slower.
TEST_WORKERS ?= auto
TRIAGE_TESTS := tests/incidents/triage/test_rules.py tests/incidents/triage/test_facts.py \
	tests/incidents/triage/test_context.py tests/incidents/triage/test_criteria.py \
	tests/incidents/triage/test_obligations.py tests/incidents/triage/test_parsing.py \
	tests/incidents/triage/test_properties.py
test: install
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) $(PYTEST_ARGS)
	$(BIN)/python -m pytest --quiet $(TRIAGE_TESTS) --cov-branch \
		--cov=incidents.triage.facts --cov=incidents.triage.context \
		--cov=incidents.triage.criteria --cov=incidents.triage.obligations \
		--cov=incidents.triage.parsing --cov=incidents.triage.rules \
		--cov-report=term-missing:skip-covered --cov-fail-under=100

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate requirements.lock after changing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules static/build
