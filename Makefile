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

.PHONY: synth test test-fast test-cdktn lint deps clean

# ENV=<name>: the environment whose file (environments/<name>.env) every goal uses; the same as exporting
# PAYMENT_ENVIRONMENT=<name>. Both at once must agree.
ifneq ($(ENV),)
ifneq ($(filter-out undefined,$(origin PAYMENT_ENVIRONMENT)),)
ifneq ($(PAYMENT_ENVIRONMENT),$(ENV))
$(error ENV=$(ENV) but PAYMENT_ENVIRONMENT=$(PAYMENT_ENVIRONMENT) in the shell; name the environment once)
endif
endif
export PAYMENT_ENVIRONMENT := $(ENV)
endif

# The output folder: $CDKTF_OUTDIR if set (as cdktf itself honours it), else cdktf.out.
OUTDIR := $(or $(CDKTF_OUTDIR),cdktf.out)
# tools/synth.py runs the app directly, as `cdktf synth` would run it (same output,
# tests/synth_speed/test_synth_identity.py), without the CLI's own start-up; not at all when nothing that affects the
# output changed (tools/synth_inputs.py); one synth of a folder at a time, written aside and swapped in whole. `$(SYNTH) -- CMD` then runs CMD holding the
# folder's lock, so CMD reads the synth just checked even while another make synth waits.
SYNTH := $(PY) tools/synth.py --outdir $(OUTDIR)
# Ctrl-C reaches make, the recipe's shell and the command alike. The command prints its one line and exits 130; the
# shell then ends the recipe without an error of its own, so make adds no "*** [synth] Error 130" line, and make
# itself still exits as interrupted (130).
quiet_on_interrupt = trap 'interrupted=1' INT; $(1) || { status=$$?; test -n "$${interrupted:-}" || exit $$status; }

synth: deps
	@$(call quiet_on_interrupt,$(SYNTH))

# make test: every test, on every core (pytest-xdist; the slow child processes start once, tests/conftest.py); a
# module's tests run on one worker, so what they share (a make run, another configuration's synth) is made once.
# tests/synth_review/rules/test_checkov_rules.py runs checkov from its tool venv, so `make test` installs it first.
# make test-fast: all but the tests marked slow (real make, synth, checkov, git and deploy processes), for the
# edit-and-run loop; make test and CI run everything.
# make test-cdktn: every test that reads a synth of the app (marked `engine`) again, on CDK Terrain; CI runs it too.
# Bytecode caches (__pycache__, ignored by git) let each of the many Python processes the suite starts skip compiling
# the project and rewriting the tests' asserts again; an inherited PYTHONDONTWRITEBYTECODE would switch them off.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n auto --dist loadscope
test: deps $(CHECKOV_TOOL)
	$(PYTEST)

test-fast: deps
	$(PYTEST) -m "not slow"

test-cdktn: deps $(CHECKOV_TOOL)
	PAYMENT_CDK_ENGINE=cdktn $(PYTEST) -m engine

lint: deps
	$(VENV)/bin/ruff check .

deps: $(VENV)/.synced node_modules/.installed

# Set-up runs under one lock (flock(1), util-linux): two first-time runs at once (two terminals, CI jobs sharing a
# checkout) would otherwise both run `npm ci` or `pipenv sync` into the same folder, and both fail. A stamp that is
# out of date is made by a second make started once the lock is held, which looks at the stamps again: the second of
# two runs waits, then finds the set-up done.
SETUP_LOCK := .setup.lock
# The second engine, CDK Terrain (PAYMENT_CDK_ENGINE=cdktn; cdk_engine/): the Pipfile's `cdktn` category, locked with
# the rest and installed into the same venv (the packages both engines share have one version in the lock).
# `make test` compares the engines, so it always installs it; `make synth` only when it synthesizes with it.
CDKTN_SYNCED := $(VENV)/.synced-cdktn
SETUP_STAMPS := $(VENV)/.synced node_modules/.installed $(CHECKOV_TOOL) $(CDKTN_SYNCED)
$(VENV)/.synced: Pipfile.lock
$(CDKTN_SYNCED): $(VENV)/.synced
ifeq ($(PAYMENT_CDK_ENGINE),cdktn)
deps: $(CDKTN_SYNCED)
endif
test test-cdktn: $(CDKTN_SYNCED)
node_modules/.installed: package-lock.json
$(CHECKOV_TOOL): tools/checkov-requirements.txt

.PHONY: locked-setup
ifeq ($(SETUP_LOCKED),)
$(SETUP_STAMPS):
	@command -v flock >/dev/null || { echo "error: flock (util-linux) is not installed; install it" >&2; exit 2; }
	@flock $(SETUP_LOCK) $(MAKE) --no-print-directory SETUP_LOCKED=1 SETUP_STAMP=$@ locked-setup
else
locked-setup: $(SETUP_STAMP)
	@:

$(PIPENV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pipenv==$(PIPENV_VERSION)

# The venv is made here, not by pipenv, which would narrate its creation; pipenv then installs Pipfile.lock into it.
$(VENV)/.synced: | $(PIPENV)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIPENV) sync --dev
	touch $@

$(CDKTN_SYNCED):
	$(PIPENV) sync --categories cdktn
	touch $@

node_modules/.installed:
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# checkov gets its own venv: its dependency pins conflict with the project's. --no-deps --require-hashes: pip installs
# exactly tools/checkov-requirements.txt (regenerate with tools/pin_checkov.py) and resolves nothing. The first
# `make review` or `make test` installs it and says so in one line; a quiet minute would look like a hang.
$(CHECKOV_TOOL):
	@echo "installing $$(grep -o '^checkov==[^ ]*' tools/checkov-requirements.txt) into $(CHECKOV_VENV)/" \
		"for the review (first run only, about a minute)"
	@rm -rf $(CHECKOV_VENV)
	@$(PYTHON) -m venv $(CHECKOV_VENV)
	@$(CHECKOV_VENV)/bin/pip install --quiet --no-deps --require-hashes -r tools/checkov-requirements.txt
	@touch $@
endif

clean:
	rm -rf cdktf.out .cdktf.out.tmp-* state-bucket.out .state-bucket.out.tmp-* .pytest_cache

# Deploy review (synth_review/, tools/, .checkov.yaml) and the local run.
.PHONY: graphviz review run-local deploy destroy bootstrap-state
# Graphviz draws the review's dependency picture; without it the review writes graph.dot and says how to get the rest.
# Installing a system package needs root and changes the machine, so it happens only when asked for: `make graphviz`.
graphviz:
	@if command -v dot >/dev/null; then echo "Graphviz is installed: $$(dot -V 2>&1)"; \
	elif command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	else echo "error: no apt-get here; install Graphviz with your package manager" \
		"(brew install graphviz, dnf install graphviz)" >&2; exit 2; fi

# Exit status through make. GNU make ends with 2 whenever a recipe fails, whatever status the recipe had (its
# MAKE_FAILURE); the only way it ends with 1 is question mode (-q), "something is out of date", which a `+` line (run
# even under -q) says quietly by exiting 1. So when the only goal is one of STATUS_GOALS, this make runs in
# question mode, and the goal's one `+` line runs the goal again in a sub-make without -q, takes the tool's own status
# from a file and ends with it: 0, 1 (a rule failed, an outcome differs), or 2 (bad input, or the prerequisites
# failed). For 2, GNU make adds its one line `make: *** [Makefile:N: review] Error 2`: every path to its status 2
# prints a line of its own (job.c child_error; only an ignored error is silent, and it does not fail). Several goals
# at once (`make synth review`) fall back to make's own 0/2.
STATUS_GOALS := review run-local deploy destroy bootstrap-state
# keep_status(prefix, tool): run the tool (after `prefix`, `$(SYNTH) --`, it runs under the synth's lock) and take
# its own status; a synth that fails before the tool runs leaves none, and counts as bad input (2). On Ctrl-C the
# recipe ends quietly (see quiet_on_interrupt). The status goes where the sub-make was told (GOAL_STATUS_FILE), and
# the sub-make succeeds: the status is the outer make's to give. Run directly, the recipe fails with it.
keep_status = trap 'interrupted=1' INT; tool_status=$$(mktemp); \
	$(1) /bin/sh -c '"$$@"; echo $$? > "$$0"' "$$tool_status" $(2) || true; \
	status=$$(cat "$$tool_status"); rm -f "$$tool_status"; test -z "$${interrupted:-}" || exit 0; \
	status=$${status:-2}; $(if $(GOAL_STATUS_FILE),echo $$status > $(GOAL_STATUS_FILE),exit $$status)
# Only the outer make (the sub-make is given GOAL_STATUS_FILE), and only when one status goal is the only goal.
ONE_STATUS_GOAL := $(words $(MAKECMDGOALS))$(filter $(STATUS_GOALS),$(MAKECMDGOALS))
ifeq ($(origin GOAL_STATUS_FILE)$(ONE_STATUS_GOAL),undefined1$(MAKECMDGOALS))
STATUS_GOAL := $(MAKECMDGOALS)
MAKEFLAGS += -q
# The sub-make's flags: the caller's, without the -q added above (the first word holds the one-letter flags).
flags_without_q = $(if $(filter -%,$(firstword $(MAKEFLAGS))),$(MAKEFLAGS),\
	$(subst q,,$(firstword $(MAKEFLAGS))) $(wordlist 2,$(words $(MAKEFLAGS)),$(MAKEFLAGS)))
$(STATUS_GOAL):
	+@trap 'interrupted=1' INT; status_file=$$(mktemp); \
	MAKEFLAGS='$(flags_without_q)' $(MAKE) --no-print-directory $(STATUS_GOAL) GOAL_STATUS_FILE="$$status_file" \
		&& status=$$(cat "$$status_file") || status=2; rm -f "$$status_file"; \
		test -z "$${interrupted:-}" || exit 0; exit $${status:-2}
else
# `make review REVIEW_OUTDIR=<tree>` reviews a synthesized tree from elsewhere (a CI artefact) as it is, unsynthesized.
# BASE=<git revision>: review the change from that revision instead (synthesized in a throw-away worktree);
# PAYMENT_REVIEW_ALLOW_REPLACE=<stack>/<address>,... accepts destructive changes by name.
# REVIEW_CHECKOV=<path>: another checkov than the tool venv's (the exit-status tests use a stand-in).
REVIEW_OUTDIR ?= $(OUTDIR)
review_lock = $(if $(filter $(OUTDIR),$(REVIEW_OUTDIR)),$(SYNTH) --)
review: deps $(CHECKOV_TOOL)
	@$(call keep_status,$(review_lock),$(PY) -m synth_review --outdir $(REVIEW_OUTDIR) \
		$(if $(REVIEW_CHECKOV),--checkov '$(REVIEW_CHECKOV)') $(if $(BASE),--base '$(BASE)'))

run-local: deps
	@$(call keep_status,$(SYNTH) --,$(PY) -m local_run --outdir $(OUTDIR) $(if $(PAYMENT),--payment $(PAYMENT)))

# Deploy exactly the tree `make review` passed (tools/deploy.py; docs/deploying.md): never synthesizes; refuses (2) a
# stale or unreviewed tree or a wrong account before any terraform command; AUTO_APPROVE=1 applies without asking.
DEPLOY = $(PY) tools/deploy.py $(1) $(if $(filter 1 true yes,$(AUTO_APPROVE)),--auto-approve)
deploy: deps
	@$(call keep_status,,$(call DEPLOY,deploy --outdir $(OUTDIR)))

destroy: deps
	@$(call keep_status,,$(call DEPLOY,destroy --outdir $(OUTDIR)))

# The S3 bucket for the s3 backend, in a stack of its own (local state): synthesized, reviewed, deployed, then the
# settings for the environment's file are printed.
bootstrap-state: deps $(CHECKOV_TOOL)
	@$(call keep_status,,$(call DEPLOY,bootstrap))
endif

# The deployed state machine's ARN, for the next command: `arn=$(make -s state-machine-arn) && aws stepfunctions ...`.
# When the app stack was never deployed (or its deploy failed) it fails, with terraform's reason, instead of printing
# an empty ARN into that command.
.PHONY: state-machine-arn
state-machine-arn:
	@command -v terraform >/dev/null || { echo "error: terraform is not on PATH; install it" >&2; exit 1; }; \
	cd $(OUTDIR)/stacks/app 2>/dev/null || { echo "error: no $(OUTDIR)/stacks/app: run make synth, then deploy" >&2; \
		exit 1; }; \
	errors=$$(mktemp); trap 'rm -f "$$errors"' EXIT; \
	arn=$$(terraform output -no-color -raw state_machine_arn 2>"$$errors") || arn=""; \
	test -n "$$arn" || { echo "error: no state_machine_arn in the app stack's state: deploy it first (make \
	deploy)$$(grep -m1 -o 'Error: .*' "$$errors" | sed 's/^/; terraform: /')" >&2; exit 1; }; \
	echo "$$arn"
