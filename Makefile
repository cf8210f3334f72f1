# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint wheel-check notebooks lab bench schemas clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

# Plain `voila notebooks/...` in the project uses the assessor template (voila.json names it). A wheel installs it
# under share/jupyter; an editable install copies no data files, so it is linked there (edits show at once).
VOILA_TEMPLATE := $(VENV)/share/jupyter/voila/templates/assessor

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,notebooks,browser]'
	rm -rf $(VOILA_TEMPLATE) && mkdir -p $(dir $(VOILA_TEMPLATE))
	ln -s $(CURDIR)/assessor/ui/jupyter/voila/templates/assessor $(VOILA_TEMPLATE)
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(BIN)/assessor demo --out build/demo

test: lint
	$(BIN)/python -m pytest

# Lint and type checks (configured in pyproject.toml); `make test` runs them first.
lint: $(VENV)/.test-installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy

# The wheel installed into a fresh venv outside the checkout must validate and run the demo (CI runs it).
wheel-check: | $(BIN)/python
	bash .ci/wheel-check $(BIN)/python

# Re-run the notebooks and store their fresh outputs (after changing checklists, vendors or scoring), then commit.
notebooks: $(VENV)/.test-installed
	$(BIN)/python tools/refresh_notebooks.py notebooks/*.ipynb

# JupyterLab on the notebooks, on this machine only (root, as in a container, needs --allow-root).
lab: $(VENV)/.test-installed
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run_all.py --shared $(SHARED)

schemas: $(VENV)/.demo-installed
	$(BIN)/python -m assessor.schemas

clean:
	rm -rf build .pytest_cache
