# hoso — two commands: `make demo` runs the product, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO_ENV = HOSO_DEBUG=1 HOSO_HTTPS=0

.PHONY: demo test test-replica fuzz lint typecheck check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,dev]'
	@# PyICU builds against the system ICU (Debian: libicu-dev pkg-config). Without it the
	@# ICU comparison test is skipped with its reason; everything else still runs.
	-$(BIN)/pip install --quiet 'PyICU>=2.12' || echo "PyICU unavailable: the ICU collation test will be skipped"
	touch $@

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/hoso migrate --verbosity 0
	$(DEMO_ENV) $(BIN)/hoso demo
	$(DEMO_ENV) $(BIN)/hoso serve --bind 127.0.0.1:8000

test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

# Every API operation fuzzed with schemathesis (about two minutes; CI runs it after the tests).
# -s shows its figures: operations, requests, seconds, status codes per operation.
fuzz: $(VENV)/.installed-test
	$(BIN)/pytest -m fuzz -s tests/fuzz $(PYTEST_ARGS)

# Reads served by a PostgreSQL streaming standby (.ci/replica makes one): needs
# HOSO_DATABASE_URL (the primary) and HOSO_REPLICA_URL (the standby).
test-replica: $(VENV)/.installed-test
	$(BIN)/pytest -m replica tests/replica $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

PO = src/hoso/locale/vi/LC_MESSAGES/django.po
check: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=hoso.config.settings_test $(BIN)/hoso makemigrations --check --dry-run
	@# Every string of the code is in the catalogue and translated: the catalogue is made again
	@# from the code (its test reads only what is in it, and would miss a string never added).
	cd src/hoso && $(CURDIR)/$(BIN)/django-admin makemessages -l vi --no-obsolete >/dev/null
	@test -z "$$(msgattrib --untranslated $(PO))" || { msgattrib --untranslated $(PO); echo "untranslated strings: make messages, then translate them"; exit 1; }
	@test -z "$$(msgattrib --only-fuzzy $(PO))" || { msgattrib --only-fuzzy $(PO); echo "fuzzy translations: check them"; exit 1; }

messages: $(VENV)/.installed
	cd src/hoso && $(CURDIR)/$(BIN)/django-admin makemessages -l vi --no-obsolete && $(CURDIR)/$(BIN)/django-admin compilemessages

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/synth.py

clean:
	rm -rf $(VENV) var
