# auth0-m2m developer loop. CI runs `bash .ci/run`, which calls the same targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Built engine binaries and the venv's console scripts come first on PATH for every target.
export PATH := $(CURDIR)/.engine/bin:$(CURDIR)/$(VENV)/bin:$(PATH)
# Offline-safe Pulumi defaults: never phone home, never download plugins.
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_HOME ?= $(CURDIR)/.pulumi-home

.PHONY: venv engine engine-clean unit lint test demo tenant gitops-check gitops-preview gitops-up \
  gitops-verify gitops-deliver gitops-deliver-plan gitops-drift gitops-rotate stress

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

## Fast loop: no engine, no e2e, no wheel build.
unit: venv
	$(PY) -m pytest -q -m "not e2e and not engine and not packaging"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## Every test, the engine ones included (CI runs exactly this).
test: venv engine
	CI=$${CI:-} $(PY) -m pytest -q

## Pulumi engine: reuse your pulumi / pulumi-resource-auth0, else build pulumi into a cache outside the repo
## (engine/README.md). Exposes .engine/bin (already first on PATH here) and the sourceable .engine/env.
engine: venv
	VENV=$(VENV) bash engine/build.sh

## Remove .engine (the exposed links and env); the build cache outside the repo stays.
engine-clean:
	rm -rf .engine

## The local Auth0 tenant in the foreground (state in .tenant/, port 8443); `make demo` starts its own.
tenant: venv
	auth0-m2m tenant serve --state-dir .tenant --port 8443

## The main job on the local tenant, from a fresh clone: venv, engine, tenant, plain `pulumi up --stack local`,
## outputs, verify, export, stop.
demo: venv engine
	bash scripts/demo.sh

## GitOps steps, the same in any CI. The workflows (.github/workflows/pulumi.yml, scheduled.yml) run these
## targets, or, for pulumi/actions steps, exactly the commands of gitops-preview / gitops-up:
##   make gitops-check STACKS="dev staging prod"   validate every stack file, no network
##   make gitops-preview STACK=dev                 refresh + preview (pull requests)
##   make gitops-deliver-plan STACK=dev            which declared targets a deploy would write (pull requests)
##   make gitops-up STACK=dev                      refresh + up (main)
##   make gitops-verify STACK=dev                  a token per integration, as its consumer requests it (main)
##   make gitops-deliver STACK=dev                 verify, then write the declared targets that differ (main)
##   make gitops-drift STACK=dev                   nightly: fail, naming them, if the tenant drifted from the stack
##   make gitops-rotate STACK=dev                  scheduled: rotate the opted-in secrets, deliver, verify
## For STACK=local they first source the local tenant's env file ($$AUTH0_M2M_TENANT_STATE_DIR or .tenant).
STACK ?= local
STACKS ?= $(patsubst stacks/Pulumi.%.yaml,%,$(wildcard stacks/Pulumi.*.yaml))
# The same state backend as `. .engine/env` (a file backend in .state/) unless you chose one
# (PULUMI_BACKEND_URL, or PULUMI_ACCESS_TOKEN for Pulumi Cloud).
PULUMI_ENV = { [ -n "$${PULUMI_BACKEND_URL:-}$${PULUMI_ACCESS_TOKEN:-}" ] || \
  export PULUMI_BACKEND_URL="file://$(CURDIR)/.state"; } && \
  $(if $(filter local,$(STACK)),. "$${AUTH0_M2M_TENANT_STATE_DIR:-.tenant}/env" && ,)
gitops-check:
	@for s in $(STACKS); do auth0-m2m check-config --stack $$s || exit 2; done

gitops-preview: gitops-check
	@mkdir -p .state
	$(PULUMI_ENV)pulumi stack select --create --stack $(STACK) && pulumi preview --stack $(STACK) --refresh

gitops-up: gitops-check
	@mkdir -p .state
	$(PULUMI_ENV)pulumi stack select --create --stack $(STACK) && pulumi up --stack $(STACK) --refresh --yes --skip-preview

gitops-verify:
	$(PULUMI_ENV)auth0-m2m verify --stack $(STACK)

gitops-deliver:
	$(PULUMI_ENV)auth0-m2m deliver --stack $(STACK)

gitops-deliver-plan:
	$(PULUMI_ENV)auth0-m2m deliver --stack $(STACK) --dry-run

gitops-drift:
	$(PULUMI_ENV)pulumi preview --stack $(STACK) --refresh --expect-no-changes --diff

gitops-rotate:
	$(PULUMI_ENV)auth0-m2m rotate --stack $(STACK) --scheduled && auth0-m2m deliver --stack $(STACK) && \
	  auth0-m2m verify --stack $(STACK)

## Benchmarks (bench/README.md): P1-P4 on the real engine and the local tenant, a table and JSON in
## bench/results/. BENCH_QUICK=1 for a short run; take figures for the record on an idle machine.
.PHONY: bench
bench: venv engine
	$(PY) -m bench

## Resilience figures (issue 7), not a timed test: R1 faults, R2 crash + recovery, R3 bad input,
## R4 secrecy, R5 the tenant's guard, on the real engine and a local tenant. `make stress ARGS="--only R3"`.
stress: venv engine
	$(PY) -m bench.stress $(ARGS)
