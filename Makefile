# smtpteach: the two commands a newcomer needs are `make site` and `make test`.
# Everything they need is installed here, into .venv, so a fresh clone works.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
HTML   := docs/_build/html
JOBS   ?= 2

.PHONY: help site serve test test-fast lab bench browser-deps clean

help:
	@echo "make site    build the tutorial site into $(HTML)"
	@echo "make serve   serve the built site on http://127.0.0.1:8000"
	@echo "make test    run every test: unit, doctests, nbval, docs build, browser"
	@echo "make lab     open the lessons in JupyterLab"
	@echo "make bench   run the benchmarks and write benchmarks/results.json"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (smtpteach)" >/dev/null
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -j $(JOBS) -b html docs $(HTML)
	@echo
	@echo "The site is in $(HTML)/index.html"
	@echo "Serve it with:  make serve   (then open http://127.0.0.1:8000/)"

serve:
	@test -f $(HTML)/index.html || { echo "No site yet: run 'make site' first."; exit 2; }
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory $(HTML)

# Debian's chromium for the browser tests, where apt-get exists and we are root.
# Elsewhere the browser tests skip and say why.
browser-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "chromium could not be installed: the browser tests will be skipped"; \
	else \
	  echo "No chromium, and apt-get or root is missing: the browser tests will be skipped"; \
	fi

test: $(STAMP) browser-deps
	$(BIN)/pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env -q tests smtpteach notebooks

lab: $(STAMP)
	test -x $(BIN)/jupyter-lab || $(PY) -m pip install --quiet jupyterlab
	$(BIN)/jupyter-lab notebooks/

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf docs/_build .pytest_cache
