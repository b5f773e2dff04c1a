# fundwatch: the two set-up commands are `make run` and `make test`.
# Every target bootstraps .venv from the lock file first, so a fresh clone needs
# nothing but Python 3.11 and make.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced

export FUNDWATCH_RAW_DIR ?= raw
export FUNDWATCH_WAREHOUSE ?= warehouse/fundwatch.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: run test ui venv bench sql query docs clean

venv: $(STAMP)

$(STAMP): pyproject.toml uv.lock Makefile
	@$(PYTHON) scripts/check_python.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	@# bytecode compiled once here: with PYTHONDONTWRITEBYTECODE set (as on this machine) every
	@# process would compile dbt's and Dagster's sources again (dbt's start 5.3 -> 4.0 s, every run)
	@$(BIN)/uv sync --frozen --inexact --quiet --compile-bytecode
	@touch $(STAMP)

run: venv
	@$(BIN)/python -m orchestration.cli run

test: venv
	@$(BIN)/python -m pytest

# bench: corpora of 1k, 10k and 100k generated articles (benchmarks/corpora/, git-ignored); prints the
# table and rewrites benchmarks/RESULTS.md. BENCH_ARGS="--sizes 1000,10000" for a shorter run.
bench: venv
	@$(BIN)/python -m benchmarks.run --write-results $(BENCH_ARGS)

ui: venv
	@$(BIN)/python -m orchestration.cli prepare-home
	@$(BIN)/dagster dev --host 127.0.0.1 --port 3000

sql: venv
	@$(BIN)/python -m orchestration.query --interactive

# the query comes from the environment (Q=...), so quotes in it need no escaping
query: venv
	@$(BIN)/python -m orchestration.query

docs: venv
	@$(BIN)/python -m orchestration.docs_site

clean:
	rm -rf $(VENV) .dagster_home dbt_project/target dbt_project/logs
