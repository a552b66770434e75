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
CHECKOV_VENV := $(TOOLS)/checkov
CHECKOV_TOOL := $(CHECKOV_VENV)/.installed

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

# tests/review/test_checkov_gate.py runs checkov from its tool venv, so `make test` installs it first.
test: deps $(CHECKOV_TOOL)
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

# checkov gate and deploy review (synth_review/, tools/, .checkov.yaml).

# checkov gets its own venv: its dependency pins conflict with the project's. --no-deps --require-hashes: pip installs
# exactly tools/checkov-requirements.txt (regenerate with tools/pin_checkov.py) and resolves nothing.
$(CHECKOV_TOOL): tools/checkov-requirements.txt
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --no-deps --require-hashes -r tools/checkov-requirements.txt
	touch $@

.PHONY: graphviz review run-local
# Graphviz draws the review's dependency picture; without it the review writes graph.dot and says how to get the rest.
# Installing a system package needs root and changes the machine, so it happens only when asked for: `make graphviz`.
graphviz:
	@if command -v dot >/dev/null; then echo "Graphviz is installed: $$(dot -V 2>&1)"; \
	elif command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	else echo "error: no apt-get here; install Graphviz with your package manager" \
		"(brew install graphviz, dnf install graphviz)" >&2; exit 2; fi

# Exit status through make. GNU make ends with 2 whenever a recipe fails, whatever status the recipe had (its
# MAKE_FAILURE); the only way it ends with 1 is question mode (-q), "something is out of date". So when the only goal
# is `review` or `run-local`, this make runs it in a sub-make (a `+` line runs even under -q), keeps the tool's own
# status in a file, and ends in question mode: with 1 when the tool said 1 (a rule failed, an outcome differs), with 2
# when it said 2 (bad input) or its prerequisites failed, with 0 otherwise. Several goals at once
# (`make synth review`) fall back to make's own 0/2.
STATUS_GOALS := review run-local
# The tool's status goes where the sub-make was told (GOAL_STATUS_FILE), and the sub-make succeeds: the status is
# the outer make's to give. Run directly (no GOAL_STATUS_FILE), the recipe fails with the tool's status.
keep_status = status=0; $(1) || status=$$?; \
	$(if $(GOAL_STATUS_FILE),echo $$status > $(GOAL_STATUS_FILE),exit $$status)
# Only the outer make (the sub-make is given GOAL_STATUS_FILE), and only when one status goal is the only goal.
ONE_STATUS_GOAL := $(words $(MAKECMDGOALS))$(filter $(STATUS_GOALS),$(MAKECMDGOALS))
ifeq ($(origin GOAL_STATUS_FILE)$(ONE_STATUS_GOAL),undefined1$(MAKECMDGOALS))
STATUS_GOAL := $(MAKECMDGOALS)
STATUS_FILE := $(shell mktemp)
MAKEFLAGS += -q
# The sub-make's flags: the caller's, without the -q added above (the first word holds the one-letter flags).
flags_without_q = $(if $(filter -%,$(firstword $(MAKEFLAGS))),$(MAKEFLAGS),\
	$(subst q,,$(firstword $(MAKEFLAGS))) $(wordlist 2,$(words $(MAKEFLAGS)),$(MAKEFLAGS)))
# Recipes are expanded just before they run, so this one reads the status the sub-make has just written.
$(STATUS_GOAL)-status:
	+@MAKEFLAGS='$(flags_without_q)' $(MAKE) --no-print-directory $(STATUS_GOAL) GOAL_STATUS_FILE=$(STATUS_FILE) \
		&& status=$$(cat $(STATUS_FILE)) || status=2; [ "$$status" != 2 ] || { rm -f $(STATUS_FILE); exit 2; }
$(STATUS_GOAL): $(STATUS_GOAL)-status
	$(if $(filter 1,$(file < $(STATUS_FILE))),@exit 1)$(shell rm -f $(STATUS_FILE))
.PHONY: $(STATUS_GOAL)-status
else
# `make review REVIEW_OUTDIR=<tree>` reviews a synthesized tree from elsewhere (a CI artefact) as it is, unsynthesized.
REVIEW_OUTDIR ?= cdktf.out
review: $(if $(filter cdktf.out,$(REVIEW_OUTDIR)),synth,deps) $(CHECKOV_TOOL)
	@$(call keep_status,$(PY) -m synth_review --outdir $(REVIEW_OUTDIR))

run-local: synth
	@$(call keep_status,$(PY) -m local_run $(if $(PAYMENT),--payment $(PAYMENT)))
endif
