# civicplan — the two commands: `make demo` and `make test` (both idempotent).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CIVICPLAN_DATA_DIR ?= $(CURDIR)/data
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: demo test install install-test serve clean-venv

demo: $(VENV)/.installed
	$(BIN)/civicplan migrate --noinput
	$(BIN)/civicplan demo --serve $(DEMO_ADDR)

test: $(VENV)/.installed-test
	$(BIN)/python tools/run_tests.py $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit("civicplan needs Python 3.11 (found %s)" % sys.version.split()[0]) if sys.version_info[:2] != (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean-venv:
	rm -rf $(VENV)
