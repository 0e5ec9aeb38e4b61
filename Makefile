# audiorepro — set-up and main jobs. A newcomer needs two commands:
#   make report   set up .venv, complete the public data (network permitting), run the main job
#                 (pytest -m paper_values) -> reports/
#   make test     set up .venv and run the whole CPU suite with xdist
# System packages (Java for COCO caption metrics, WordNet for NLTK METEOR, Chromium for the report
# screenshot test) come from `make system-deps` (Debian/Ubuntu, as root); .ci/run calls it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
REPORT_DIR ?= reports
PYTEST_WORKERS ?= auto
APT_PACKAGES := openjdk-17-jre-headless wordnet-base wordnet-sense-index chromium

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export NLTK_DATA := $(CURDIR)/.cache/nltk_data

.PHONY: venv test report bench system-deps wordnet lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build installs from local disk; a later unpinned resolve would pull CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[models,test]'
	touch $(STAMP)

venv: $(STAMP)

# NLTK's WordNet corpus copied from the Debian packages (NLTK METEOR offline); silent when they are not
# installed: the METEOR tests then skip with the reason locally, and fail in CI.
wordnet: $(STAMP)
	@$(PY) -m evaluators.metrics.wordnet_data --if-available || echo "WordNet for NLTK not set up: run make system-deps"

test: $(STAMP) wordnet
	$(BIN)/pytest -n $(PYTEST_WORKERS) --report-dir $(REPORT_DIR)

# The main job. First completes the public prediction data by the manifest (only files this machine lacks:
# the permissively licensed sets ship with the package; the others download, sha256-checked, into the cache);
# offline that step says so in one line and the report measures what is here.
# `make report RUN=my_run.yaml` also checks your own run (docs/run-manifest.md) and adds "Your run" to the report.
report: $(STAMP) wordnet
	$(BIN)/audiorepro fetch --missing --offline-ok
	$(BIN)/pytest -m paper_values -n $(PYTEST_WORKERS) --report-dir $(REPORT_DIR) $(if $(RUN),--run $(RUN))

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)

lint: $(STAMP)
	$(BIN)/ruff check evaluators runners tests benchmarks golden conftest.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(REPORT_DIR)
