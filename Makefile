# Two commands for a fresh machine (Python 3.12 or 3.13 as `python3`; Debian/Ubuntu for the browser):
#   make serve   build the site into dist/ and serve it on http://127.0.0.1:8000/
#   make test    run every test: pysim, build.py and the end-to-end tests in headless Chromium
# Another Python: `make serve PYTHON=python3.13 VENV=.venv313` (any other stops at once, saying so)
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8000

.PHONY: serve build test bench fuzz deps browser node-tools

serve: deps
	$(PY) build.py serve --port $(PORT)

build: deps
	$(PY) build.py

test: deps browser node-tools
	$(PY) -m pytest -q

bench: deps browser node-tools
	$(PY) benchmarks/run.py

# The loader under coverage-guided fuzzing (atheris, tests/fuzz/fuzz_io.py) for FUZZ_SECONDS:
# the corpus grows in .cache/fuzz/corpus, an input that breaks the loader lands in .cache/fuzz/
FUZZ_SECONDS ?= 600
fuzz: deps
	mkdir -p .cache/fuzz/corpus
	$(PY) tests/fuzz/fuzz_io.py -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	  -artifact_prefix=.cache/fuzz/ .cache/fuzz/corpus tests/fuzz/regressions

deps: $(VENV)/.deps

$(VENV)/.deps: requirements-dev.txt pyproject.toml
	@$(PYTHON) build_wheel.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# axe-core (tests/web/test_a11y.py) and lighthouse (benchmarks/lighthouse.py), pinned in node_tools.py,
# into .cache/node (npm; Node 20)
node-tools: deps
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nodejs npm; }
	$(PY) node_tools.py

# Debian's Chromium (Playwright's own browser download cannot be used here)
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-liberation fonts-wqy-microhei; }
