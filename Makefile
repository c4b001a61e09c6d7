# Two commands for a fresh machine (Python >= 3.12 as `python3`; Debian/Ubuntu for the browser):
#   make serve   build the site into dist/ and serve it on http://127.0.0.1:8000/
#   make test    run every test: pysim, build.py and the end-to-end tests in headless Chromium
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8000

.PHONY: serve build test bench deps browser

serve: deps
	$(PY) build.py serve --port $(PORT)

build: deps
	$(PY) build.py

test: deps browser
	$(PY) -m pytest -q

bench: deps browser
	$(PY) benchmarks/run.py

deps: $(VENV)/.deps

$(VENV)/.deps: requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Debian's Chromium (Playwright's own browser download cannot be used here)
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-liberation; }
