# Quán Triệt — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= 0.2
ONLY ?=
# make drill DRILL_ARGS="--members 1000": options of python -m deploy.drill
DRILL_ARGS ?=
# Test processes (pytest-xdist); each gets its own test database.
TEST_WORKERS ?= 2
# make fuzz: seconds per parser harness, and generated requests per API operation and persona.
FUZZ_SECONDS ?= 300
SCHEMA_FUZZ_EXAMPLES ?= 200

export DJANGO_SETTINGS_MODULE := quantriet.settings

.PHONY: run test lint setup db bench drill fuzz worker clean

$(BIN)/activate: requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(BIN)/activate

setup: $(BIN)/activate

db: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo --scale $(DEMO_SCALE)

## make run: set up, load the demo province and serve http://127.0.0.1:8000 (with a background worker
## and the fidelity follower, which brings the dashboard's figures up to date every 20 seconds)
run: db
	@echo "Mật khẩu mọi tài khoản demo: $${DEMO_PASSWORD:-quantriet-demo}"
	@echo "Mở http://$(HOST):$(PORT)/ — Ctrl+C để dừng."
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --interval 0.5 & \
	WORKER=$$!; \
	DJANGO_DEBUG=1 $(PY) manage.py refresh_fidelity --changed --every 20 & \
	FIDELITY=$$!; trap "kill $$WORKER $$FIDELITY 2>/dev/null" EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: setup
	DJANGO_DEBUG=1 $(PY) manage.py db_worker

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make test: set up, lint, then the whole suite on SQLite and (where TEST_DATABASE_URL is set) PostgreSQL
test: setup lint
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v0
	DJANGO_DEBUG=1 $(BIN)/pytest -q -n $(TEST_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		DJANGO_DEBUG=1 DATABASE_URL=$$TEST_DATABASE_URL $(BIN)/pytest -q -n $(TEST_WORKERS); \
	else echo "TEST_DATABASE_URL chưa đặt: bỏ qua lượt chạy trên PostgreSQL."; fi

## make bench [ONLY=name]: run the benchmarks in bench/, each printing one JSON line
bench: setup
	@for b in $$(ls bench/*.py | grep -v '/_' | sed 's#bench/##; s#\.py##'); do \
		if [ -z "$(ONLY)" ] || [ "$(ONLY)" = "$$b" ]; then $(PY) -m bench.$$b || exit 1; fi; \
	done

## make drill: (as root) the deployment drill: PostgreSQL, two app nodes, HAProxy and two workers in
## network namespaces of this machine; an app node and workers killed mid-work; one JSON line (docs/deployment.md)
drill: setup
	@test "$$(id -u)" = 0 || { echo "make drill cần quyền root (network namespace): sudo make drill" >&2; exit 2; }
	@command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "$$PG_BIN" ] || { \
		echo "Thiếu máy chủ PostgreSQL (initdb): apt-get install postgresql, hoặc đặt PG_BIN." >&2; exit 2; }
	@$(PY) -m deploy.drill $(DRILL_ARGS)

## make fuzz [FUZZ_SECONDS=300] [ONLY=name]: each parser harness of fuzz/ (atheris) for FUZZ_SECONDS, new inputs
## kept in .fuzz/; then schemathesis against the API with SCHEMA_FUZZ_EXAMPLES per operation (docs/testing.md)
fuzz: setup
	DJANGO_DEBUG=1 $(PY) -m fuzz --seconds $(FUZZ_SECONDS) $(if $(ONLY),--only $(ONLY))
	@if [ -z "$(ONLY)" ]; then \
		DJANGO_DEBUG=1 SCHEMA_FUZZ_EXAMPLES=$(SCHEMA_FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:xdist quantriet/tests/test_api_schema_fuzz.py; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles media
