# smtpteach: the two commands a newcomer needs are `make site` and `make test`.
# Everything they need is installed here, into .venv, so a fresh clone works.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
HTML   := docs/_build/html
JOBS   ?= 2
# what the JupyterLite copy of the lessons is built from (tools/lite.py): fetched once from
# PyPI and npm, and again only when tools/lite.py changes, so that rebuilds need no network
LITE   := .lite

.PHONY: help site serve test test-fast lab bench bench-deps mutate mutate-data test-deps browser-deps clean

help:
	@echo "make site    build the tutorial site into $(HTML)"
	@echo "make serve   serve the built site on http://127.0.0.1:8000"
	@echo "make test    run every test: unit, doctests, nbval, docs build, browser"
	@echo "make lab     open the lessons in JupyterLab"
	@echo "make bench   run the benchmarks and write benchmarks/results.json"
	@echo "make mutate  mutation testing of the domain, the renderers and the SVG writer, triage, the CLI, the widgets and the lab in memory (over two hours; not part of make test)"
	@echo "make mutate-data  mutation testing of the data: wrong facts and codes in the prose (half an hour)"

# uv (from PyPI) installs the same versions as pip, in seconds instead of half a minute; where uv cannot
# be had, pip does it. --compile-bytecode, as pip does: with PYTHONDONTWRITEBYTECODE set (as here), every
# kernel and build would otherwise compile Sphinx, IPython and the rest again each time it starts
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	($(PY) -m pip install --quiet --disable-pip-version-check uv && $(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) -e '.[dev]') \
	  || ($(PY) -m pip install --quiet --upgrade pip && $(PY) -m pip install --quiet -e '.[dev]')
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (smtpteach)" >/dev/null
	touch $(STAMP)

# Without the JupyterLite downloads (no network, no npm) the site is built without the
# "Run this lesson in your browser" links, and says so.
site: $(STAMP) $(LITE)/.fetched
	@if [ -f $(LITE)/.fetched ]; then \
	  $(BIN)/sphinx-build -W --keep-going -j $(JOBS) -b html docs $(HTML) && \
	  $(PY) tools/lite.py build $(LITE) $(HTML)/lite; \
	else \
	  echo "JupyterLite skipped: $(LITE) was not fetched (see above); building the site without it"; \
	  $(BIN)/sphinx-build -W --keep-going -j $(JOBS) -b html -D smtpteach_lite= docs $(HTML); \
	fi
	@echo
	@echo "The site is in $(HTML)/index.html"
	@echo "Serve it with:  make serve   (then open http://127.0.0.1:8000/)"

$(LITE)/.fetched: tools/lite.py | $(STAMP) test-deps
	@if $(PY) tools/lite.py fetch $(LITE); then touch $@; \
	else rm -f $@; echo "could not fetch what JupyterLite needs into $(LITE): the site is built without it, and its tests skip (or fail under CI)"; fi

serve:
	@test -f $(HTML)/index.html || { echo "No site yet: run 'make site' first."; exit 2; }
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory $(HTML)

# Debian's chromium (browser tests) and nodejs (the JavaScript parity tests), where
# apt-get exists and we are root. Elsewhere those tests skip and say why; under CI
# (CI=true) a missing tool fails them instead (tests/_guards.py).
test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's$$missing for the tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "could not install$$missing: the tests that need it will skip (or fail under CI)"; \
	else \
	  echo "Missing$$missing, and apt-get or root is missing: the tests that need it will skip (or fail under CI)"; \
	fi

browser-deps: test-deps

test: $(STAMP) test-deps $(LITE)/.fetched
	$(BIN)/pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --nbval --nbval-current-env -q -rs tests smtpteach notebooks

lab: $(STAMP)
	test -x $(BIN)/jupyter-lab || $(PY) -m pip install --quiet jupyterlab
	$(BIN)/jupyter-lab notebooks/

# Debian's libsisimai-perl: Sisimai::Reason->match, the peer explain() is measured against;
# JupyterLab, the local-kernel peer of the JupyterLite kernel start (benchmarks/lite.py),
# and the .lite fetch the JupyterLite build is made from.
bench-deps: $(LITE)/.fetched
	@test -x $(BIN)/jupyter-lab || $(PY) -m pip install --quiet 'jupyterlab>=4.2' \
	  || echo "could not install jupyterlab: the JupyterLite kernel start is reported without it"
	@if perl -MSisimai::Reason -e 1 >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's libsisimai-perl for the benchmarks"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsisimai-perl >/dev/null) \
	    || echo "could not install libsisimai-perl: the Sisimai comparison will say it was skipped"; \
	else \
	  echo "Sisimai is missing, and apt-get or root is missing: the Sisimai comparison will say it was skipped"; \
	fi

bench: $(STAMP) bench-deps
	$(PY) -m benchmarks

# Mutation testing (mutmut): mutates the domain, the renderers, triage, the CLI, the widgets and the lab listed under
# [tool.mutmut] in pyproject.toml, runs the tests that cover each mutant, then
# prints the score per module and writes benchmarks/mutation.md.
# mutmut itself comes with the test extra (pinned in pyproject.toml).
mutate: $(STAMP)
	rm -rf mutants
	SMTPTEACH_CACHE_DIR= $(BIN)/mutmut run --max-children $(JOBS) >mutants.log 2>&1 || { tail -40 mutants.log; exit 1; }
	$(PY) tools/mutation_report.py --write benchmarks/mutation.md

# Mutation testing of the data (tools/data_mutation.py): plausible mistakes in smtpteach/data, one at a
# time in a clone of the last commit; writes benchmarks/data-mutation.md.
mutate-data: $(STAMP)
	$(PY) tools/data_mutation.py --per-kind 4 --write benchmarks/data-mutation.md

clean:
	rm -rf docs/_build .pytest_cache mutants mutants.log
