# Tasks of the Tutopanda lecture store. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install system-tools lint format typecheck test check run migrate db-start db-stop schema-snapshot bench bench-tools clean json-schema docs-assets section-sql openapi-types editor-client

help: ## List the tasks
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

# uv installs what pyproject.toml asks for (the versions pip would choose) in ~5 s where pip took
# ~36 s here; pip only installs uv. compileall then compiles every module on every core (~9 s),
# so that the test processes do not each compile the same modules at their start.
UV_VERSION := 0.13.9
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib
	@touch $(STAMP)

# The better-auth issuer that tests/identity (and the tests of JWT sign-in) run under Node 20+:
# reinstalled from its lock file when node_modules is missing or the lock file is newer.
IDENTITY := identity/better-auth
IDENTITY_STAMP := $(IDENTITY)/node_modules/.installed
$(IDENTITY_STAMP): $(IDENTITY)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(IDENTITY) --no-audit --no-fund --loglevel=error && touch $(IDENTITY_STAMP); \
	else \
	  echo "warning: no npm (Node.js 20.19+): the identity tests are skipped (the service needs no Node)" >&2; \
	fi

# The TypeScript client (clients/typescript): its development tools from the lock file (npm ci,
# again when the lock file changes) and its build, dist/ (again when a source or a setting
# changes, or a source is added or removed: the folders' times count too). Without npm, a
# warning: the service needs no Node, and the client's tests skip (they fail under CI=true).
TS_CLIENT := clients/typescript
TS_CLIENT_TOOLS := $(TS_CLIENT)/node_modules/.installed
TS_CLIENT_BUILT := $(TS_CLIENT)/dist/.built
TS_CLIENT_SOURCES := $(wildcard $(TS_CLIENT)/src $(TS_CLIENT)/src/*/ $(TS_CLIENT)/src/*.ts \
	$(TS_CLIENT)/src/*/*.ts) $(TS_CLIENT)/package.json $(wildcard $(TS_CLIENT)/tsconfig*.json)
$(TS_CLIENT_TOOLS): $(TS_CLIENT)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(TS_CLIENT) --no-audit --no-fund --loglevel=error && touch $(TS_CLIENT_TOOLS); \
	else \
	  echo "warning: no npm (Node.js 20+): the TypeScript client is not built and its tests are skipped" >&2; \
	fi
$(TS_CLIENT_BUILT): $(TS_CLIENT_TOOLS) $(TS_CLIENT_SOURCES)
	@if [ -f $(TS_CLIENT_TOOLS) ]; then \
	  rm -rf $(TS_CLIENT)/dist && npm run --prefix $(TS_CLIENT) --silent build && touch $(TS_CLIENT_BUILT); \
	fi

# An npm script of the TypeScript client; without npm a warning, or an error under CI=true.
define ts_client
	@if command -v npm >/dev/null 2>&1; then echo "npm run --prefix $(TS_CLIENT) $(1)"; \
	  npm run --prefix $(TS_CLIENT) --silent $(1); \
	elif [ -n "$$CI" ]; then echo "error: no npm (Node.js 20+) for clients/typescript" >&2; exit 1; \
	else echo "warning: no npm (Node.js 20+): clients/typescript not checked ($(1))" >&2; fi
endef

install: $(STAMP) $(IDENTITY_STAMP) $(TS_CLIENT_BUILT) system-tools ## Create .venv and install the project with its development tools, the test issuer and the TypeScript client (npm)

# System packages the tests use: pgbouncer (a real transaction-mode pooler) and chromium (the
# headless browser of tests/browser, driven by the Python playwright package; Playwright's own
# browser download needs a host that is not a package registry). Installed with apt-get when
# missing and allowed (root); otherwise the tests that need them are skipped.
SYSTEM_TOOLS := pgbouncer chromium
system-tools: ## Install the system packages the tests use (Debian: pgbouncer, chromium) when missing
	@missing=""; for tool in $(SYSTEM_TOOLS); do \
	  command -v $$tool >/dev/null 2>&1 || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -q $$missing >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null; }; \
	  else \
	    echo "note: tests that need$$missing will be skipped (Debian: sudo apt-get install$$missing)" >&2; \
	  fi; fi

lint: install ## Lint and check formatting (ruff; eslint and prettier for clients/typescript)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(call ts_client,lint)

format: install ## Format the code (ruff; prettier and eslint --fix for clients/typescript)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(call ts_client,format)

typecheck: install ## Type-check code and tests (mypy --strict; tsc --noEmit, strict, for clients/typescript)
	$(BIN)/python -m tools.typecheck
	$(call ts_client,typecheck)

# Processes the suite runs in: most tests wait on servers, workers and PostgreSQL, so twice the
# core count keeps two cores busy. TEST_PROCESSES=0 runs it in this process alone.
TEST_PROCESSES ?= 4
test: install ## Run the tests on a real PostgreSQL (see README, "Tests"; TEST_PROCESSES=N)
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist worksteal

check: lint typecheck test ## Everything CI runs

run: install ## Run the service: API + worker, on DATABASE_URL or the embedded default
	$(BIN)/tutopanda db migrate
	$(BIN)/tutopanda serve

migrate: install ## Apply migrations, the queue schema and sql/ to the database
	$(BIN)/tutopanda db migrate

db-start: install ## Start the embedded PostgreSQL (data in .tutopanda/pgdata)
	$(BIN)/tutopanda db start

db-stop: install ## Stop the embedded PostgreSQL
	$(BIN)/tutopanda db stop

schema-snapshot: install ## Refresh tests/db/schema_snapshot.pg*.sql (test server + embedded 18)
	TUTOPANDA_UPDATE_SCHEMA_SNAPSHOT=1 $(BIN)/pytest -q tests/db/test_schema_snapshot.py
	url=$$(TUTOPANDA_HOME=.tutopanda/snapshot $(BIN)/tutopanda db start | tail -1) && \
	TUTOPANDA_UPDATE_SCHEMA_SNAPSHOT=1 TUTOPANDA_TEST_DATABASE_URL="$$url" \
	$(BIN)/pytest -q tests/db/test_schema_snapshot.py; \
	status=$$?; TUTOPANDA_HOME=.tutopanda/snapshot $(BIN)/tutopanda db stop; exit $$status

bench: install bench-tools ## Measure the save path and events (~20 min; BENCH_ARGS="--smoke" ~3 min, "--only http", --help)
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-tools: ## Install wrk (the HTTP load generator of `make bench`) when it is missing
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q wrk; }; \
	  else \
	    echo "make bench needs wrk: install it (Debian/Ubuntu: sudo apt-get install wrk)" >&2; exit 2; \
	  fi; }

clean: ## Remove the virtualenv, caches, test artifacts and the TypeScript client's build (keeps .tutopanda data)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis test-artifacts \
	  $(TS_CLIENT)/dist $(TS_CLIENT)/build

json-schema: install ## Regenerate docs/lecture.schema.json from the models
	$(BIN)/tutopanda schema > docs/lecture.schema.json

openapi-types: install ## Regenerate clients/typescript/src/generated/openapi.ts from the app's OpenAPI document
	$(BIN)/python -m tools.openapi_types

editor-client: install ## Bundle clients/typescript into the editor page (tutopanda/_resources/editor/vendor/client.js, checked in)
	npm run --prefix $(TS_CLIENT) --silent bundle:editor

section-sql: install ## Regenerate sql/schema/095_lecture_sections.sql from app.lecture_sections()
	$(BIN)/python -m tools.section_sql

docs-assets: install ## Re-fetch the pinned Scalar bundle of /schema with npm and verify it (SCALAR_VERSION=x.y.z re-pins)
	$(BIN)/python -m tools.docs_assets $(if $(SCALAR_VERSION),--version $(SCALAR_VERSION))
