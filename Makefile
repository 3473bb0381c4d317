# propscope: `make run` sets up and analyses the bundled example; `make test` sets up and
# runs the whole suite. Everything a fresh machine needs is installed from here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
SHARED ?= ../shared/data
DATA   ?= $(SHARED)/semeval2023-task3-en
EXAMPLE ?= examples/article.txt

.PHONY: run test install install-dev browser lint docs bench train train-fast validate evaluate cv clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[all]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's Chromium and ChromeDriver drive the web page in the browser tests.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { (apt-get update -qq || sudo apt-get update -qq) && \
	    (apt-get install -y -qq chromium chromium-driver || sudo apt-get install -y -qq chromium chromium-driver); }

run: install
	$(VENV)/bin/propscope analyze $(EXAMPLE)

test: install-dev browser
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

lint: install-dev
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

# docs/settings.md is written from config.py (tests/core/test_docs.py checks it is current).
docs: install
	$(PY) docs/make_settings.py

# The multilingual model: fine-tuned on the six languages' training articles and scored on the
# fixed validation set (datasets/task.py); about 2 hours on 2 cores, resumable (a stopped run
# picks up after its last finished epoch).
train: install-dev
	$(VENV)/bin/propscope train --kind encoder --data $(SHARED) --force

# The fast model, hybrid-v1: 3-fold cross-validation for the model card, then a fit on every
# English article (about 40 minutes on 2 cores).
train-fast: install-dev
	$(VENV)/bin/propscope train --data $(DATA) --force

# Any model on the fixed validation set, per language: make validate MODEL=runs/NAME
validate: install
	$(PY) benchmarks/validation.py --data $(SHARED) --model $(MODEL)

# The shipped model learnt from every article, so held-out scores need a model that did not:
# one trained without splits/validation.txt (about 6 minutes, once), scored on it.
runs/hybrid-split/model.json:
	$(MAKE) install-dev
	$(VENV)/bin/propscope train --data $(DATA) --split splits/validation.txt --out runs/hybrid-split

evaluate: install runs/hybrid-split/model.json
	$(VENV)/bin/propscope evaluate --data $(DATA) --split splits/validation.txt --model runs/hybrid-split

bench: install-dev
	$(PY) benchmarks/run.py --data $(DATA)

# 3-fold cross-validation by article of the shipped kind over all 446 training articles (about 30 minutes).
cv: install-dev
	$(PY) benchmarks/cv.py --data $(DATA) --folds 3

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
