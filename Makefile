# Two commands do all set-up on a fresh machine (Python 3.11, pip, Node 20, npm, terraform):
#   make synth   -> cdktf.out/ for both stacks (the app cdktf.json names, run directly; `npx cdktf synth` agrees)
#   make test    -> every test
# Set-up steps are stamped, so a second run skips them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := synth

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
PIPENV := $(TOOLS)/bin/pipenv
PIPENV_VERSION := 2026.10.3

# Quiet, offline-friendly tools: jsii's Node end-of-life banner, pipenv's chatter, the cdktf CLI's version check.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_IGNORE_VIRTUALENVS := 1
export PIPENV_VERBOSITY := -1
export PIPENV_NOSPIN := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export CHECKPOINT_DISABLE := 1
export DISABLE_VERSION_CHECK := true
export CDKTF_DISABLE_PLUGIN_CACHE_ENV := true
export NO_UPDATE_NOTIFIER := 1
# Terraform warns on every call when TF_CLI_CONFIG_FILE names a file that does not exist; such a setting means nothing.
ifneq ($(TF_CLI_CONFIG_FILE),)
ifeq ($(wildcard $(TF_CLI_CONFIG_FILE)),)
unexport TF_CLI_CONFIG_FILE
endif
endif
# This machine's pip configuration lists local file indexes holding a few packages; pip warns once for every other
# package (over a hundred lines per install). We install from PyPI (Pipfile's source), so PyPI is the extra index.
export PIP_EXTRA_INDEX_URL := https://pypi.org/simple

.PHONY: synth test lint deps clean

# The app runs directly, as `cdktf synth` would run it (same output, tests/test_synth_identity.py), without the CLI's
# own start-up; and not at all when nothing that affects the output changed (tools/synth_inputs.py).
synth: deps
	@if $(PY) tools/synth_inputs.py fresh cdktf.out; then \
		echo "cdktf.out is up to date"; \
	else \
		CDKTF_OUTDIR=cdktf.out $(PY) main.py && $(PY) tools/synth_inputs.py record cdktf.out && \
		echo "Synthesized the stacks encryption and app into cdktf.out"; \
	fi

test: deps
	$(PY) -m pytest

lint: deps
	$(VENV)/bin/ruff check .

deps: $(VENV)/.synced node_modules/.installed

$(PIPENV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pipenv==$(PIPENV_VERSION)

# The venv is made here, not by pipenv, which would narrate its creation; pipenv then installs Pipfile.lock into it.
$(VENV)/.synced: Pipfile.lock | $(PIPENV)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIPENV) sync --dev
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf cdktf.out .pytest_cache

.PHONY: run-local
run-local: synth
	$(PY) -m local_run $(if $(PAYMENT),--payment $(PAYMENT))

# checkov gate and deploy review (synth_review/, tools/, .checkov.yaml).
CHECKOV_VENV := $(TOOLS)/checkov
CHECKOV_TOOL := $(CHECKOV_VENV)/.installed

# checkov gets its own venv: its dependency pins conflict with the project's. --no-deps --require-hashes: pip installs
# exactly tools/checkov-requirements.txt (regenerate with tools/pin_checkov.py) and resolves nothing.
$(CHECKOV_TOOL): tools/checkov-requirements.txt
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --no-deps --require-hashes -r tools/checkov-requirements.txt
	touch $@

# tests/review/test_checkov_gate.py runs checkov from that venv, so `make test` installs it first.
test: $(CHECKOV_TOOL)

.PHONY: graphviz review
# Debian's Graphviz draws the review's dependency picture; without it the review still writes graph.dot.
graphviz:
	@command -v dot >/dev/null || { echo "Installing Graphviz (Debian) for the review's dependency picture"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz) >/dev/null 2>&1 \
		|| echo "note: could not install Graphviz; the review will write graph.dot only"; }

# BASE=<git revision>: review the change from that revision instead (synthesized in a throw-away worktree);
# PAYMENT_REVIEW_ALLOW_REPLACE=<stack>/<address>,... accepts destructive changes by name.
review: synth $(CHECKOV_TOOL) graphviz
	$(PY) -m synth_review --outdir cdktf.out $(if $(BASE),--base '$(BASE)')
