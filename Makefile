# Two entry points: `make run` (the demo survey, answered in a console or in Slack) and
# `make test` (lint, types and the whole suite). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint benchmark clean

$(BIN)/empathy: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/empathy
	$(BIN)/empathy start

lint: $(BIN)/empathy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy insights bot

test: lint
	$(BIN)/pytest -q

# Synthetic surveys of every shape (narrow, wide, many questions) at 10k, 100k and 1M
# respondents: import, query, cold-start and memory figures beside plain SQLite, pandas and
# DuckDB, the targets marked; the table and a chart go to benchmarks/results/ (long: the
# baselines at a million respondents take most of it).
benchmark: $(BIN)/empathy
	$(BIN)/python -m benchmarks --sizes 10000,100000,1000000 --baseline-budget 2 \
		--output benchmarks/results/benchmark.md --chart benchmarks/results/latency.png

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
