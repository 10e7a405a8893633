# Every target bootstraps .venv from a bare Python 3.11 when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: generate check test lint demo bench fuzz goldens clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

generate: $(STAMP)
	$(BIN)/wirogen generate

check: $(STAMP)
	$(BIN)/wirogen check

test: $(STAMP)
	$(BIN)/wirogen check
	$(BIN)/python -m pytest -q

# The runtime is checked where it is written (runtime/, at black's 88 columns, as it ships) and
# the generated package as it is committed.
lint: $(STAMP)
	$(BIN)/ruff check generator tests bench examples
	$(BIN)/ruff format --check generator tests bench examples
	$(BIN)/mypy
	MYPYPATH=generated/python $(BIN)/mypy --strict --cache-dir .mypy_cache/examples examples
	cd runtime && ../$(BIN)/ruff check wiro_client && ../$(BIN)/black --check --quiet wiro_client
	cd runtime && ../$(BIN)/mypy --strict wiro_client
	cd generated/python && ../../$(BIN)/ruff check . && ../../$(BIN)/mypy wiro_client

demo: $(STAMP)
	cd generated/python && ../../$(BIN)/python -m wiro_client.testing demo

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests

# Catalogue-scale benchmarks (issue 6): one table on stdout, kept in bench/RESULTS.md. The
# comparison tools install into bench/.work/venv on first use. BENCH_SIZES=3,300 for a quick run.
bench: $(STAMP)
	$(BIN)/python -m bench.run

goldens: $(STAMP)
	$(BIN)/python -m tests.goldens

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
