# industry-brain: the single entry point for users, developers and CI.
#   make demo   create the virtual environment, install, build the Hangzhou demo dataset, serve the dashboard
#   make test   install what the tests need and run them all (what CI runs)
#   make lint   ruff, import-linter layering contract, mypy
#   make bench  the performance scripts in benchmarks/

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
IB     := $(VENV)/bin/ib
export IB_HOME ?= $(CURDIR)/var

.PHONY: demo test lint bench install clean check-system

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "industry-brain needs Python >= 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

demo: install
	$(IB) demo build
	$(IB) serve --demo --host 127.0.0.1 --port 8000

check-system: install
	@$(PY) scripts/check_system.py

test: install check-system lint
	$(PY) -m pytest -n 2 --dist loadgroup -q

lint: install
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
