# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: run test install install-test bench bench-pg clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q leadletter_tui
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q leadletter_tui
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: create .venv, install, open the TUI on the default SQLite database
run: install
	$(BIN)/leadletter $(ARGS)

## make test: create/update .venv with the test extra and run the whole suite
test: install-test
	env -u NO_COLOR -u TEXTUAL_THEME TEXTUAL_ANIMATIONS=none $(BIN)/python -m pytest -n 2 -q $(ARGS)

## make bench: run the benchmark scripts (they build and cache their own demo databases)
bench: install-test
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_table.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_learning.py
	$(BIN)/python benchmarks/bench_bulk.py
	$(BIN)/python benchmarks/bench_followups.py
	$(BIN)/python benchmarks/bench_stats.py
	$(BIN)/python benchmarks/bench_classifier.py

## make bench-pg: the contacts-table and CLI benchmarks on SQLite, then on 1M-contact PostgreSQL
bench-pg: install-test
	$(BIN)/python benchmarks/bench_table.py --postgres
	$(BIN)/python benchmarks/bench_cli.py --postgres

clean:
	rm -rf $(VENV) build *.egg-info
