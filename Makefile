# Geopol: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GEOPOL_DATA_DIR ?= $(CURDIR)/var

.PHONY: run serve demo install install-dev constraints test lint format bench bench-import bench-extract bench-geoparse bench-members bench-load bench-search bench-digest bench-reindex bench-related clean help

help:
	@echo "make run      install, migrate, load the demo corpus and serve http://$(HOST):$(PORT)"
	@echo "make test     run the whole test suite"
	@echo "make lint     ruff, import-linter, mypy and the function-size check"
	@echo "make bench    benchmarks (JSON output)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins every package to the versions the suite last passed with
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/geopol demo
	$(BIN)/geopol serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check geopol tests bench
	$(BIN)/ruff format --check geopol tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python scripts/check_function_size.py

# after changing pyproject.toml's dependencies: install, then pin what is installed
constraints: install-dev
	(sed -n '1,2p' constraints.txt; $(BIN)/pip list --format=freeze --exclude-editable | grep -v -E "^(pip|setuptools|wheel)==") > constraints.txt.new
	mv constraints.txt.new constraints.txt

format: install-dev
	$(BIN)/ruff format geopol tests bench
	$(BIN)/ruff check --fix geopol tests bench

bench: bench-import bench-extract bench-geoparse bench-search bench-reindex bench-members bench-load bench-digest bench-related

bench-import: install-dev
	$(BIN)/python bench/bench_import.py

bench-extract: install-dev
	$(BIN)/python bench/bench_extract.py --import-articles 10000

# TR-News and GeoVirus from ../shared/data/geoparse-dev (skipped when absent), with the spaCy
# small-model baseline of the `ner` extra and the geoparser with its proposals (--ner);
# BENCH_GEOPARSE_ARGS="--verbose" lists the misses
bench-geoparse: install-dev
	$(BIN)/python bench/bench_geoparse.py --ner $(BENCH_GEOPARSE_ARGS)

# needs wrk (Debian package `wrk`) to load the server from a second process;
# BENCH_MEMBERS_ARGS="--data-dir /tmp/bench-members" keeps the 10,000-article database for the next run
bench-members: install-dev
	@command -v wrk >/dev/null || { echo "bench-members needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python bench/bench_members.py $(BENCH_MEMBERS_ARGS)

# home, article, country, search and API pages at 128 connections with an import running,
# then a web worker killed under load (needs wrk)
bench-load: install-dev
	$(BIN)/python bench/bench_load.py

# SQLite FTS5 and PostgreSQL (127.0.0.1:5432, skipped when absent) against tantivy at 100,000
# documents; BENCH_SEARCH_ARGS="--docs 1000000" for 1M, "--backends sqlite" for one backend
bench-search: install-dev
	$(BIN)/python bench/bench_search.py $(BENCH_SEARCH_ARGS)

# `geopol reindex` over N articles written straight into the database; BENCH_REINDEX_ARGS="--articles 1000000"
bench-reindex: install-dev
	$(BIN)/python bench/bench_reindex.py $(BENCH_REINDEX_ARGS)

bench-digest: install-dev
	$(BIN)/python bench/bench_digest.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Connected Content: nDCG@5 on bench/relatedset (old connected_to as the reference) and
# related-for-article latency at 100,000 articles; BENCH_RELATED_ARGS="--skip-speed" for quality only
bench-related: install-dev
	$(BIN)/python bench/bench_related.py $(BENCH_RELATED_ARGS)
