# Residency Network Portal: `make run` for a demo, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# make test DB=postgresql://postgres@127.0.0.1:5432/postgres runs on PostgreSQL.
DB ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export FLASK_APP := wsgi
export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: setup browser tools run test test-fast lint check bench bench-quick screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# Playwright drives Debian's Chromium; its own browser download does not work here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests (apt)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The accessibility checks' tools (docs/accessibility.md): axe-core and the Nu
# HTML Checker from npm, pinned by package-lock.json; the checker runs on Java.
# --ignore-scripts: vnu-jar's install script would download a JDK of its own.
tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@missing=""; \
	  command -v npm >/dev/null 2>&1 || missing=" nodejs npm"; \
	  command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	  [ -z "$$missing" ] || { \
	  echo "Installing$$missing for the accessibility checks (apt)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Mail goes to the admin Outbox page and instance/mail.log, not the terminal;
# the demo logins are printed last, once the server answers.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo > instance/demo-logins.txt
	$(BIN)/flask search reindex
	@PORTAL_MAIL_BACKEND=file \
	  $(BIN)/flask mail deliver --loop --interval 2 > /dev/null & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  ( for try in $$(seq 100); do \
	      $(BIN)/python -c "import urllib.request as u; u.urlopen('http://$(HOST):$(PORT)/healthz', timeout=1)" \
	        2>/dev/null && break; sleep 0.3; \
	    done; \
	    echo ""; cat instance/demo-logins.txt; echo ""; \
	    echo "Portal: http://$(HOST):$(PORT)/  (another port: make run PORT=8080)"; \
	    echo "Mail: the admin Outbox page and instance/mail.log. Stop with Ctrl-C."; \
	    echo "" ) & \
	  $(BIN)/flask run --host $(HOST) --port $(PORT)

test: setup browser tools
	PORTAL_TEST_DATABASE_URL=$(DB) $(BIN)/pytest

# Everything but the browser tests: the quick loop while working.
test-fast: setup tools
	PORTAL_TEST_DATABASE_URL=$(DB) $(BIN)/pytest -m "not browser"

# Load benchmark against the large (or, quick, the small) data set, seeded once;
# DB=postgresql://postgres@127.0.0.1:5432/NAME runs it on that database.
bench: setup
	$(BIN)/python -m bench.load --size large $(if $(DB),--database-url $(DB))
	$(BIN)/python -m bench.jobs --size large $(if $(DB),--database-url $(DB))
	$(BIN)/python -m bench.explain --check --size large $(if $(DB),--database-url $(DB))

bench-quick: setup
	$(BIN)/python -m bench.load --size small $(if $(DB),--database-url $(DB))
	$(BIN)/python -m bench.jobs --size small $(if $(DB),--database-url $(DB))

# The README's screenshots (docs/screenshots/): the demo in a temporary database,
# served on 127.0.0.1 and shot in Chromium at desktop and phone widths.
screenshots: setup browser
	$(BIN)/python -m bench.screenshots

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy portal

# Before every commit: lint, types and the fast tests.
check: lint test-fast

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
