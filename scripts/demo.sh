#!/usr/bin/env bash
# `make demo`: the main job on the local tenant, with no Auth0 account.
#   1. start the local tenant (state in .tenant/, HTTPS on localhost:${AUTH0_M2M_DEMO_PORT:-8443}),
#      or reuse one already running from the same state dir;
#   2. plain `pulumi up --stack local` in the project directory (stacks/Pulumi.local.yaml, state in .state/),
#      after sourcing .tenant/env (the tenant's CA, the local stack's passphrase, where its credentials are);
#   3. print the outputs with the client secrets masked (`pulumi stack output`, then `auth0-m2m outputs`);
#   4. verify every integration as Nango's auth0-cc would (token request, JWKS-checked);
#   5. export one integration to a dotenv file (0600), then stop the tenant if this script started it.
# The make target has already set up the venv and the engine, and put both first on PATH; the rest of the
# environment is what `. .engine/env` gives a shell. The auth0 plugin is the one make engine chose: without an
# upstream plugin, the stand-in it installed in $PULUMI_HOME's plugin cache (not on PATH, so no warning).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

state_dir=.tenant
port=${AUTH0_M2M_DEMO_PORT:-8443}
mkdir -p .runs
log=.runs/tenant.log

healthy() {
  [ -f "$state_dir/ca.pem" ] &&
    curl -fsS --max-time 2 --cacert "$state_dir/ca.pem" "https://localhost:$port/__tenant/health" >/dev/null 2>&1
}

step() { printf '\n== %s\n' "$*"; }

started=""
if healthy; then
  step "reusing the local tenant already running on localhost:$port"
else
  step "starting the local tenant on localhost:$port (state in $state_dir/, log in $log)"
  auth0-m2m tenant serve --state-dir "$state_dir" --port "$port" >"$log" 2>&1 &
  started=$!
  trap 'kill "$started" 2>/dev/null; wait "$started" 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do
    healthy && break
    if ! kill -0 "$started" 2>/dev/null; then
      echo "the local tenant did not start:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  healthy || { echo "the local tenant did not answer on localhost:$port within 30 s" >&2; exit 1; }
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.state}"
mkdir -p .state
step ". .tenant/env   (written by the tenant: its CA, the local stack's passphrase, its state dir)"
[ -f "$state_dir/env" ] || auth0-m2m tenant env --state-dir "$state_dir" >/dev/null  # a tenant started before it existed
# shellcheck source=/dev/null
. "$state_dir/env"

step "pulumi up --stack local"
pulumi stack select --create --stack local
pulumi up --stack local --yes

step "pulumi stack output --stack local   (client secrets stay [secret])"
pulumi stack output --stack local

step "auth0-m2m outputs --stack local"
auth0-m2m outputs --stack local

step "auth0-m2m verify --stack local (a client-credentials token exactly as Nango's auth0-cc requests it)"
auth0-m2m verify --stack local

step "auth0-m2m export --stack local --integration reporting --to dotenv:out/reporting.env   (0600)"
mkdir -p out
auth0-m2m export --stack local --integration reporting --to dotenv:out/reporting.env
ls -l out/reporting.env

if [ -n "$started" ]; then
  step "stopping the local tenant (its state stays in $state_dir/; the next demo reuses it)"
fi
