#!/usr/bin/env bash
# engine/build.sh: provide the Pulumi engine for this repo, offline, and expose it in .engine/.
#
# Run it as `make engine`. It is idempotent and prints every choice it makes:
#   1. pulumi: a `pulumi` >= PULUMI_MIN_VERSION already on PATH is used as is (real users install Pulumi the
#      normal way). Otherwise the CLI is built from Go modules (wrapper module engine/cli, committed go.mod/go.sum)
#      into a cache folder outside the repo keyed by version, and reused from there on later runs.
#   2. python language host (plain `pulumi up` in the project directory): a `pulumi-language-python` installed
#      with your pulumi (beside it, or on PATH) is used as is; otherwise v$LANGUAGE_HOST_VERSION is built from the
#      sdk/v3 module (wrapper module engine/host) into the cache, with its pulumi-language-python-exec beside it,
#      and exposed through a generated launcher that passes the project's `runtime.options.virtualenv`.
#   2b. YAML language host (plain `pulumi up` of a `runtime: yaml` project): the `pulumi-language-yaml` beside
#      your pulumi (Pulumi installs ship it) or on PATH is used as is; otherwise v$YAML_HOST_VERSION is built
#      from github.com/pulumi/pulumi-yaml (wrapper module engine/yaml) into the cache and linked beside the
#      built pulumi, where the CLI looks for its bundled language plugins.
#   2c. Node.js SDK generator (type-checking the TypeScript SDK of the component package): without a
#      `pulumi-language-nodejs` (which `pulumi package gen-sdk --language nodejs` needs and the Go proxy refuses),
#      pulumi-sdkgen-nodejs (engine/sdkgen, the CLI's own pkg/v3/codegen/nodejs behind a command) is built into
#      the cache with the CLI's build list.
#   3. auth0 plugin: a real `pulumi-resource-auth0` (on PATH, or in a Pulumi plugin folder) is used if present,
#      linked into .engine/bin; otherwise the project's stand-in provider (python -m auth0_m2m.provider) is
#      installed as plugin resource auth0 $AUTH0_PROVIDER_VERSION in the plugin cache of
#      ${PULUMI_HOME:-<repo>/.pulumi-home} by `auth0-m2m provider install`, and is NOT put on PATH (pulumi
#      would warn "using pulumi-resource-auth0 from $PATH" on every run).
#      The component package (auth0_m2m/package) is installed beside it by `auth0-m2m package install`, as
#      plugin resource auth0-m2m <package version>.
#   4. .engine/bin/{pulumi,pulumi-language-python,pulumi-language-yaml[,pulumi-resource-auth0]} and the sourceable .engine/env are
#      (re)written.
#
# Knobs (environment):
#   AUTH0_M2M_ENGINE_CACHE       cache folder (default $HOME/.cache/auth0-m2m/engine); must be outside the repo
#   AUTH0_M2M_ENGINE_USE_SYSTEM  0 = ignore a pulumi / pulumi-resource-auth0 found on the machine (default 1)
#   VENV                         the project's virtualenv, whose python runs the stand-in (default .venv)
#   PULUMI_HOME                  whose plugin cache gets the stand-in (default <repo>/.pulumi-home)
#   GOMODCACHE, GOCACHE          Go caches; default to go/mod and go/build inside the cache folder
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=versions.env
. "$here/versions.env"

engine_dir="$repo/.engine"
bin_dir="$engine_dir/bin"
cache="${AUTH0_M2M_ENGINE_CACHE:-$HOME/.cache/auth0-m2m/engine}"
venv="${VENV:-.venv}"
case "$venv" in /*) ;; *) venv="$repo/$venv" ;; esac
use_system="${AUTH0_M2M_ENGINE_USE_SYSTEM:-1}"
started=$SECONDS

log() { printf 'engine: %s\n' "$*"; }
die() {
  printf 'engine: error: %s\n' "$*" >&2
  exit 1
}

# --- consistency of the version pins -----------------------------------------------------------------------
cache="$(realpath -m "$cache")"
case "$cache/" in "$(realpath "$repo")/"*)
  die "AUTH0_M2M_ENGINE_CACHE=$cache is inside the repo; point it outside (default \$HOME/.cache/auth0-m2m/engine)" ;;
esac
mkdir -p "$cache"
for mod in pkg sdk; do
  grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/pulumi/pulumi/$mod/v3 v$PULUMI_VERSION( |$)" \
    "$here/cli/go.mod" ||
    die "engine/cli/go.mod does not require github.com/pulumi/pulumi/$mod/v3 v$PULUMI_VERSION (engine/versions.env PULUMI_VERSION); fix one of them"
done
grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/pulumi/pulumi/sdk/v3 v$LANGUAGE_HOST_VERSION( |$)" "$here/host/go.mod" ||
  die "engine/host/go.mod does not require github.com/pulumi/pulumi/sdk/v3 v$LANGUAGE_HOST_VERSION (engine/versions.env LANGUAGE_HOST_VERSION); fix one of them"
grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION( |$)" "$here/sdkgen/go.mod" ||
  die "engine/sdkgen/go.mod does not require github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION (engine/versions.env PULUMI_VERSION); fix one of them"
grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/pulumi/pulumi-yaml v$YAML_HOST_VERSION( |$)" "$here/yaml/go.mod" ||
  die "engine/yaml/go.mod does not require github.com/pulumi/pulumi-yaml v$YAML_HOST_VERSION (engine/versions.env YAML_HOST_VERSION); fix one of them"
grep -Eq "\"pulumi-auth0==$AUTH0_PROVIDER_VERSION\"" "$repo/pyproject.toml" ||
  die "pyproject.toml does not pin pulumi-auth0==$AUTH0_PROVIDER_VERSION (engine/versions.env AUTH0_PROVIDER_VERSION); fix one of them"

# --- helpers -----------------------------------------------------------------------------------------------
# The first executable NAME on PATH that is not ours (.engine/bin or the cache).
find_system() {
  local name="$1" dir cand real
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    cand="$dir/$name"
    [ -f "$cand" ] && [ -x "$cand" ] || continue
    real="$(readlink -f "$cand")"
    case "$real" in "$bin_dir"/* | "$cache"/*) continue ;; esac
    case "$(readlink -f "$dir")" in "$(readlink -f "$bin_dir" 2>/dev/null || echo "$bin_dir")") continue ;; esac
    printf '%s\n' "$cand"
    return 0
  done
  return 1
}

# `pulumi version` of a binary ("v3.274.1"), empty if it does not run.
version_of() { timeout 60 "$1" version 2>/dev/null | head -n 1 | tr -d '\r' || true; }

# version_ge A B: A >= B (leading "v" ignored).
version_ge() { [ "$(printf '%s\n%s\n' "${2#v}" "${1#v}" | sort -V | head -n 1)" = "${2#v}" ]; }

# Atomically point LINK at TARGET.
link() {
  ln -sfn "$1" "$2.tmp.$$"
  mv -Tf "$2.tmp.$$" "$2"
}

human() { du -sh "$1" 2>/dev/null | cut -f1 || echo "?"; }

# One build at a time per cache (another make engine, another checkout): fd 9 holds <cache>/.lock.
lock_cache() {
  exec 9>"$cache/.lock"
  flock -n 9 || {
    log "waiting for another engine build to finish (lock $cache/.lock)"
    flock 9
  }
}
unlock_cache() { flock -u 9; }

# --- 1. pulumi ---------------------------------------------------------------------------------------------
build_pulumi() {
  local vdir="$1" want="v$PULUMI_VERSION" tmp t0 t_dl t_build gomod_go
  command -v go >/dev/null 2>&1 ||
    die "go not found: install Go >= $(awk '/^go /{print $2}' "$here/cli/go.mod") to build pulumi, or install pulumi >= $PULUMI_MIN_VERSION yourself"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -modcacherw"
  export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}" GOCACHE="${GOCACHE:-$cache/go/build}"
  gomod_go="$(awk '/^go /{print $2}' "$here/cli/go.mod")"
  version_ge "$(go env GOVERSION | sed 's/^go//')" "$gomod_go" ||
    die "engine/cli/go.mod needs go >= $gomod_go but $(command -v go) is $(go env GOVERSION) (GOTOOLCHAIN=local): install a newer Go"
  log "building pulumi $want from Go modules (no usable cache at $vdir)"
  log "  $(go version); GOPROXY=$(go env GOPROXY); GOSUMDB=$(go env GOSUMDB)"
  log "  module cache $GOMODCACHE; build cache $GOCACHE"
  log "  integrity: module hashes are checked against the committed engine/cli/go.sum"

  tmp="$(mktemp -d "$cache/.build-pulumi-$want.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/src" "$tmp/out/bin"
  cp "$here/cli/go.mod" "$here/cli/go.sum" "$tmp/src/"

  t0=$SECONDS
  log "  go list -deps (resolve and download the modules the CLI imports)"
  (cd "$tmp/src" && go list -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >/dev/null) ||
    die "downloading the CLI's modules failed (see above): the Go proxy must serve every module in engine/cli/go.sum"
  t_dl=$((SECONDS - t0))
  log "  modules ready in ${t_dl}s"

  t0=$SECONDS
  log "  go build -trimpath -tags osusergo,grpcnotrace -ldflags '-s -w -X .../version.Version=$want' (this takes a while)"
  (cd "$tmp/src" && go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    -o "$tmp/out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || die "go build of pulumi failed (see above)"
  t_build=$((SECONDS - t0))
  log "  compiled in ${t_build}s"

  [ "$(version_of "$tmp/out/bin/pulumi")" = "$want" ] ||
    die "the built pulumi reports '$(version_of "$tmp/out/bin/pulumi")', expected $want"
  if ! cmp -s "$tmp/src/go.mod" "$here/cli/go.mod" || ! cmp -s "$tmp/src/go.sum" "$here/cli/go.sum"; then
    log "  WARNING: the build changed go.mod/go.sum: the committed engine/cli files are not tidy;"
    log "           refresh them with: (cd engine/cli && GOTOOLCHAIN=local go mod tidy)"
  fi
  {
    printf 'version=%s\n' "$want"
    printf 'built_at=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'go=%s\n' "$(go env GOVERSION)"
    printf 'download_seconds=%s\n' "$t_dl"
    printf 'compile_seconds=%s\n' "$t_build"
  } >"$tmp/out/build-info"
  rm -rf "$vdir"
  mv "$tmp/out" "$vdir"
  rm -rf "$tmp"
  trap - EXIT
  log "  disk: binary $(human "$vdir/bin/pulumi"), module cache $(human "$GOMODCACHE"), build cache $(human "$GOCACHE")"
  printf 'disk_binary=%s\ndisk_module_cache=%s\ndisk_build_cache=%s\n' "$(human "$vdir/bin/pulumi")" \
    "$(human "$GOMODCACHE")" "$(human "$GOCACHE")" >>"$vdir/build-info"
  built=1
}

pulumi_path=""
pulumi_source=""
built=0
if [ "$use_system" != 0 ] && cand="$(find_system pulumi)"; then
  v="$(version_of "$cand")"
  if [ -n "$v" ] && version_ge "$v" "$PULUMI_MIN_VERSION"; then
    pulumi_path="$cand"
    pulumi_source=system
    log "pulumi: using your $cand ($v; >= $PULUMI_MIN_VERSION is enough). AUTH0_M2M_ENGINE_USE_SYSTEM=0 builds v$PULUMI_VERSION instead"
  else
    log "pulumi: ignoring $cand (${v:-no version}): need >= $PULUMI_MIN_VERSION for Automation API inline programs"
  fi
fi
if [ -z "$pulumi_path" ]; then
  vdir="$cache/pulumi-v$PULUMI_VERSION"
  lock_cache
  if [ -x "$vdir/bin/pulumi" ] && [ "$(version_of "$vdir/bin/pulumi")" = "v$PULUMI_VERSION" ]; then
    log "pulumi: reusing cached v$PULUMI_VERSION at $vdir/bin/pulumi (no build)"
  else
    build_pulumi "$vdir"
  fi
  unlock_cache
  pulumi_path="$vdir/bin/pulumi"
  pulumi_source=built
fi
pulumi_version="$(version_of "$pulumi_path")"

# --- 2. the Python language host ---------------------------------------------------------------------------
# Today's CLI starts `pulumi-language-python <engine address>` (found on PATH or beside the real pulumi binary).
# The host the proxy serves is the 2023 v3.79.0 one, which learns the project root and the virtualenv from the
# -root and -virtualenv flags that today's CLI no longer passes; the launcher written below passes them.
host_exec_name=pulumi-language-python-exec
build_host() {
  local vdir="$1" want="v$LANGUAGE_HOST_VERSION" tmp t0 t_dl t_build modsrc
  command -v go >/dev/null 2>&1 ||
    die "go not found: install Go to build the Python language host, or install Pulumi (it ships one)"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -modcacherw"
  export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}" GOCACHE="${GOCACHE:-$cache/go/build}"
  log "building pulumi-language-python $want from the sdk/v3 module (no usable cache at $vdir)"
  tmp="$(mktemp -d "$cache/.build-host-$want.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/src" "$tmp/out/bin"
  cp "$here/host/go.mod" "$here/host/go.sum" "$tmp/src/"
  t0=$SECONDS
  (cd "$tmp/src" && go list -deps github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python >/dev/null) ||
    die "downloading the language host's modules failed (see above): the Go proxy must serve every module in engine/host/go.sum"
  t_dl=$((SECONDS - t0))
  t0=$SECONDS
  (cd "$tmp/src" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    -o "$tmp/out/bin/pulumi-language-python" github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python) ||
    die "go build of pulumi-language-python failed (see above)"
  t_build=$((SECONDS - t0))
  # The host runs this script with the program's python; it lives in the same module, beside the host's package.
  modsrc="$(cd "$tmp/src" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
  install -m 755 "$modsrc/python/cmd/$host_exec_name" "$tmp/out/bin/$host_exec_name"
  if ! cmp -s "$tmp/src/go.mod" "$here/host/go.mod" || ! cmp -s "$tmp/src/go.sum" "$here/host/go.sum"; then
    log "  WARNING: the build changed go.mod/go.sum: refresh engine/host with: (cd engine/host && GOTOOLCHAIN=local go mod tidy)"
  fi
  printf 'version=%s\nbuilt_at=%s\ngo=%s\ndownload_seconds=%s\ncompile_seconds=%s\ndisk_binary=%s\n' "$want" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(go env GOVERSION)" "$t_dl" "$t_build" "$(human "$tmp/out/bin/pulumi-language-python")" \
    >"$tmp/out/build-info"
  rm -rf "$vdir"
  mv "$tmp/out" "$vdir"
  rm -rf "$tmp"
  trap - EXIT
  log "  host modules ready in ${t_dl}s, compiled in ${t_build}s ($(human "$vdir/bin/pulumi-language-python"))"
  built_host=1
}

host_path=""
host_source=""
built_host=0
if [ "$pulumi_source" = system ]; then
  beside="$(dirname "$(readlink -f "$pulumi_path")")/pulumi-language-python"
  if [ -x "$beside" ]; then
    host_path="$beside"
  elif cand="$(find_system pulumi-language-python)"; then
    host_path="$cand"
  fi
  [ -z "$host_path" ] || {
    host_source=system
    log "python language host: using your $host_path (installed with your pulumi)"
  }
fi
if [ -z "$host_path" ]; then
  hdir="$cache/pulumi-language-python-v$LANGUAGE_HOST_VERSION"
  lock_cache
  if [ -x "$hdir/bin/pulumi-language-python" ] && [ -x "$hdir/bin/$host_exec_name" ] &&
    grep -qx "version=v$LANGUAGE_HOST_VERSION" "$hdir/build-info" 2>/dev/null; then
    log "python language host: reusing cached v$LANGUAGE_HOST_VERSION at $hdir/bin (no build)"
  else
    build_host "$hdir"
  fi
  unlock_cache
  host_path="$hdir/bin/pulumi-language-python"
  host_source=built
fi

# --- 2b. the YAML language host ----------------------------------------------------------------------------
# Today's CLI starts `pulumi-language-yaml` for a `runtime: yaml` project. pulumi-yaml v$YAML_HOST_VERSION asks
# for pkg/sdk v3.206.0 and does not compile against the CLI's v3.274.1, so it is built with its own build list.
build_yaml_host() {
  local vdir="$1" want="v$YAML_HOST_VERSION" tmp t0 t_dl t_build
  command -v go >/dev/null 2>&1 ||
    die "go not found: install Go to build the YAML language host, or install Pulumi (it ships one)"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -modcacherw"
  export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}" GOCACHE="${GOCACHE:-$cache/go/build}"
  log "building pulumi-language-yaml $want from github.com/pulumi/pulumi-yaml (no usable cache at $vdir)"
  tmp="$(mktemp -d "$cache/.build-yaml-$want.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/src" "$tmp/out/bin"
  cp "$here/yaml/go.mod" "$here/yaml/go.sum" "$tmp/src/"
  t0=$SECONDS
  (cd "$tmp/src" && go list -deps github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml >/dev/null) ||
    die "downloading the YAML host's modules failed (see above): the Go proxy must serve every module in engine/yaml/go.sum"
  t_dl=$((SECONDS - t0))
  t0=$SECONDS
  (cd "$tmp/src" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$want" \
    -o "$tmp/out/bin/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml) ||
    die "go build of pulumi-language-yaml failed (see above)"
  t_build=$((SECONDS - t0))
  if ! cmp -s "$tmp/src/go.mod" "$here/yaml/go.mod" || ! cmp -s "$tmp/src/go.sum" "$here/yaml/go.sum"; then
    log "  WARNING: the build changed go.mod/go.sum: refresh engine/yaml with: (cd engine/yaml && GOTOOLCHAIN=local go mod tidy)"
  fi
  printf 'version=%s\nbuilt_at=%s\ngo=%s\ndownload_seconds=%s\ncompile_seconds=%s\ndisk_binary=%s\n' "$want" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(go env GOVERSION)" "$t_dl" "$t_build" "$(human "$tmp/out/bin/pulumi-language-yaml")" \
    >"$tmp/out/build-info"
  rm -rf "$vdir"
  mv "$tmp/out" "$vdir"
  rm -rf "$tmp"
  trap - EXIT
  log "  YAML host modules ready in ${t_dl}s, compiled in ${t_build}s ($(human "$vdir/bin/pulumi-language-yaml"))"
  built_yaml=1
}

yaml_path=""
yaml_source=""
built_yaml=0
if [ "$pulumi_source" = system ]; then
  beside="$(dirname "$(readlink -f "$pulumi_path")")/pulumi-language-yaml"
  if [ -x "$beside" ]; then
    yaml_path="$beside"
  elif cand="$(find_system pulumi-language-yaml)"; then
    yaml_path="$cand"
  fi
  [ -z "$yaml_path" ] || {
    yaml_source=system
    log "yaml language host: using your $yaml_path (installed with your pulumi)"
  }
fi
if [ -z "$yaml_path" ]; then
  ydir="$cache/pulumi-language-yaml-v$YAML_HOST_VERSION"
  lock_cache
  if [ -x "$ydir/bin/pulumi-language-yaml" ] && grep -qx "version=v$YAML_HOST_VERSION" "$ydir/build-info" 2>/dev/null; then
    log "yaml language host: reusing cached v$YAML_HOST_VERSION at $ydir/bin (no build)"
  else
    build_yaml_host "$ydir"
  fi
  unlock_cache
  yaml_path="$ydir/bin/pulumi-language-yaml"
  yaml_source=built
fi

# --- 2c. the Node.js SDK generator -------------------------------------------------------------------------
# Keyed by a hash of engine/sdkgen (its source and module list), so a change there rebuilds it.
build_sdkgen() {
  local vdir="$1" key="$2" tmp t0 t_build
  command -v go >/dev/null 2>&1 || die "go not found: install Go to build pulumi-sdkgen-nodejs"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -modcacherw"
  export GOMODCACHE="${GOMODCACHE:-$cache/go/mod}" GOCACHE="${GOCACHE:-$cache/go/build}"
  log "building pulumi-sdkgen-nodejs (engine/sdkgen, pkg/v3 v$PULUMI_VERSION's codegen) (no usable cache at $vdir)"
  tmp="$(mktemp -d "$cache/.build-sdkgen.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/src" "$tmp/out/bin"
  cp "$here/sdkgen/go.mod" "$here/sdkgen/go.sum" "$here/sdkgen/main.go" "$tmp/src/"
  t0=$SECONDS
  (cd "$tmp/src" && go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w" \
    -o "$tmp/out/bin/pulumi-sdkgen-nodejs" .) || die "go build of pulumi-sdkgen-nodejs failed (see above)"
  t_build=$((SECONDS - t0))
  printf 'key=%s\nbuilt_at=%s\ngo=%s\nbuild_seconds=%s\ndisk_binary=%s\n' "$key" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(go env GOVERSION)" "$t_build" "$(human "$tmp/out/bin/pulumi-sdkgen-nodejs")" >"$tmp/out/build-info"
  rm -rf "$vdir"
  mv "$tmp/out" "$vdir"
  rm -rf "$tmp"
  trap - EXIT
  log "  pulumi-sdkgen-nodejs built in ${t_build}s ($(human "$vdir/bin/pulumi-sdkgen-nodejs"))"
  built_sdkgen=1
}

sdkgen_path=""
built_sdkgen=0
nodejs_host=""
[ "$pulumi_source" != system ] || nodejs_host="$(dirname "$(readlink -f "$pulumi_path")")/pulumi-language-nodejs"
if [ -n "$nodejs_host" ] && [ -x "$nodejs_host" ]; then
  log "node.js SDK generation: your $nodejs_host serves pulumi package gen-sdk --language nodejs (no generator built)"
else
  sdir="$cache/pulumi-sdkgen-nodejs-v$PULUMI_VERSION"
  skey="$(cat "$here/sdkgen/go.mod" "$here/sdkgen/go.sum" "$here/sdkgen/main.go" | sha256sum | cut -c1-16)"
  lock_cache
  if [ -x "$sdir/bin/pulumi-sdkgen-nodejs" ] && grep -qx "key=$skey" "$sdir/build-info" 2>/dev/null; then
    log "node.js SDK generator: reusing cached pulumi-sdkgen-nodejs at $sdir/bin (no build)"
  else
    build_sdkgen "$sdir" "$skey"
  fi
  unlock_cache
  sdkgen_path="$sdir/bin/pulumi-sdkgen-nodejs"
fi

# --- 3. the auth0 resource plugin --------------------------------------------------------------------------
# A stand-in launcher is a small file that runs auth0_m2m.provider: the same rule as is_standin in
# auth0_m2m/provider/_install.py, so both agree on what may be replaced.
is_standin() { [ -f "$1" ] && [ "$(wc -c <"$1")" -lt 65536 ] && grep -qs 'auth0_m2m.provider' "$1"; }
# The plugin cache the stand-in goes into: the PULUMI_HOME that make targets and .engine/env give pulumi.
plugin_home="$(realpath -m "${PULUMI_HOME:-$repo/.pulumi-home}")"
provider_path=""
if [ "$use_system" != 0 ]; then
  if cand="$(find_system pulumi-resource-auth0)" && ! is_standin "$cand"; then
    provider_path="$cand"
  else
    for home in "${PULUMI_HOME:-}" "$HOME/.pulumi"; do
      [ -n "$home" ] && [ -d "$home/plugins" ] || continue
      exact="$home/plugins/resource-auth0-v$AUTH0_PROVIDER_VERSION/pulumi-resource-auth0"
      if [ -x "$exact" ] && ! is_standin "$exact" &&
        [ ! -e "$home/plugins/resource-auth0-v$AUTH0_PROVIDER_VERSION.partial" ]; then
        provider_path="$exact"
        break
      fi
      newest="$(find "$home/plugins" -maxdepth 2 -path '*/resource-auth0-v*/pulumi-resource-auth0' -perm -u+x 2>/dev/null |
        while read -r f; do is_standin "$f" || printf '%s\n' "$f"; done | sort -V | tail -n 1)"
      if [ -n "$newest" ]; then
        provider_path="$newest"
        break
      fi
    done
  fi
fi
mkdir -p "$bin_dir"
if [ -n "$provider_path" ]; then
  provider_kind=upstream
  # Linked into .engine/bin (on PATH) so that every PULUMI_HOME finds it, tests' throwaway ones included.
  link "$provider_path" "$bin_dir/pulumi-resource-auth0"
  provider_record="$(readlink -f "$provider_path")"
  log "auth0 plugin: using your upstream pulumi-resource-auth0 at $provider_path"
  [ "$provider_path" = "${exact:-}" ] || log "  (the project pins pulumi-auth0 $AUTH0_PROVIDER_VERSION; another plugin version may differ)"
else
  provider_kind=standin
  # Never on PATH: an ambient plugin makes every pulumi run warn "using pulumi-resource-auth0 from $PATH".
  rm -f "$bin_dir/pulumi-resource-auth0"
  provider_record="$plugin_home/plugins/resource-auth0-v$AUTH0_PROVIDER_VERSION/pulumi-resource-auth0"
  log "auth0 plugin: STAND-IN provider ($venv/bin/python -m auth0_m2m.provider)."
  log "  This is NOT the upstream pulumi-resource-auth0 $AUTH0_PROVIDER_VERSION: the Go module proxy refuses"
  log "  github.com/pulumi/pulumi-auth0/provider/v3 and github.com/auth0/terraform-provider-auth0 (403 at every"
  log "  version tried), so the upstream provider cannot be built here. With the real plugin installed"
  log "  (pulumi plugin install resource auth0 $AUTH0_PROVIDER_VERSION) make engine uses it instead."
  if [ ! -x "$venv/bin/auth0-m2m" ]; then
    log "  WARNING: $venv/bin/auth0-m2m does not exist yet, so the stand-in is not installed: run make venv,"
    log "           then make engine again"
  elif installed="$("$venv/bin/auth0-m2m" provider install --pulumi-home "$plugin_home" 2>&1)"; then
    # The plugin cache of $plugin_home, as resource auth0 $AUTH0_PROVIDER_VERSION (auth0_m2m/provider/_install.py).
    log "  $installed"
    is_standin "$provider_record" ||
      die "the stand-in is not at $provider_record: auth0_m2m.provider.PLUGIN_VERSION differs from engine/versions.env AUTH0_PROVIDER_VERSION=$AUTH0_PROVIDER_VERSION"
  elif [ -e "$provider_record" ] && ! is_standin "$provider_record"; then
    # A real plugin in that cache (found here only with AUTH0_M2M_ENGINE_USE_SYSTEM=0): pulumi runs it.
    provider_kind=upstream
    log "  $installed"
    log "  pulumi runs that plugin, not the stand-in; point PULUMI_HOME elsewhere to use the stand-in"
  else
    die "installing the stand-in in $plugin_home failed: $installed"
  fi
fi
# The component package (Integration for Pulumi YAML and other languages; auth0_m2m/package), beside it.
package_record=""
if [ -x "$venv/bin/auth0-m2m" ]; then
  if installed="$("$venv/bin/auth0-m2m" package install --pulumi-home "$plugin_home" 2>&1)"; then
    package_record="$(printf '%s\n' "$installed" | sed -n 's/^installed .*: \(\/[^ ]*\) (runs .*/\1/p')"
    log "component package: $installed"
  else
    log "component package: WARNING, not installed: $installed"
  fi
fi

# --- 4. expose ---------------------------------------------------------------------------------------------
link "$pulumi_path" "$bin_dir/pulumi"
if [ "$host_source" = system ]; then
  link "$host_path" "$bin_dir/pulumi-language-python"
  rm -f "$bin_dir/$host_exec_name"
else
  # The launcher goes beside the built pulumi (where the CLI looks for its bundled language plugins, so it
  # does not warn about a plugin from $PATH), and .engine/bin links to it. It names only cache paths.
  launcher="$bin_dir/pulumi-language-python"
  [ "$pulumi_source" = built ] && launcher="$(dirname "$pulumi_path")/pulumi-language-python"
  {
    printf '#!/bin/sh\n'
    printf '# Generated by engine/build.sh (make engine); do not edit, do not commit.\n'
    printf '# Starts the Python language host v%s built from Go modules (engine/README.md). That host takes the\n' "$LANGUAGE_HOST_VERSION"
    printf '# project root and virtualenv as -root/-virtualenv flags, which today'"'"'s CLI no longer passes: this\n'
    printf '# launcher finds the Pulumi.yaml at or above the directory the CLI starts it in and passes its\n'
    printf '# runtime.options.virtualenv (relative to the project root, as Pulumi resolves it).\n'
    printf 'host=%q\n' "$host_path"
    cat <<'LAUNCHER'
root="$PWD"
while [ ! -f "$root/Pulumi.yaml" ] && [ ! -f "$root/Pulumi.yml" ] && [ "$root" != / ]; do root="$(dirname "$root")"; done
project="$root/Pulumi.yaml"
[ -f "$project" ] || project="$root/Pulumi.yml"
venv="$(sed -n 's/^[[:space:]][[:space:]]*virtualenv:[[:space:]]*["'\'']\{0,1\}\([^"'\''#[:space:]]*\).*/\1/p' "$project" 2>/dev/null | head -n 1)"
if [ -n "$venv" ]; then
  case "$venv" in /*) venv_dir="$venv" ;; *) venv_dir="$root/$venv" ;; esac
  # The host's About and its version check run `python` from PATH: the project's interpreter, as activated.
  PATH="$venv_dir/bin:$PATH" exec "$host" -root "$root" -virtualenv "$venv" "$@"
fi
exec "$host" -root "$root" "$@"
LAUNCHER
  } >"$launcher.tmp.$$"
  chmod 755 "$launcher.tmp.$$"
  mv -f "$launcher.tmp.$$" "$launcher"
  [ "$launcher" = "$bin_dir/pulumi-language-python" ] || link "$launcher" "$bin_dir/pulumi-language-python"
fi
if [ "$yaml_source" = built ] && [ "$pulumi_source" = built ]; then
  # Beside the built pulumi, where the CLI looks for its bundled language plugins. A hard link, not a symlink:
  # the CLI compares the resolved path of the host on PATH with this one and warns "using ... from $PATH"
  # when they differ.
  beside="$(dirname "$pulumi_path")/pulumi-language-yaml"
  if [ ! "$beside" -ef "$yaml_path" ]; then
    ln -f "$yaml_path" "$beside.tmp.$$" 2>/dev/null || cp "$yaml_path" "$beside.tmp.$$"
    mv -Tf "$beside.tmp.$$" "$beside"
  fi
  link "$(dirname "$pulumi_path")/pulumi-language-yaml" "$bin_dir/pulumi-language-yaml"
else
  link "$yaml_path" "$bin_dir/pulumi-language-yaml"
fi
if [ -n "$sdkgen_path" ]; then link "$sdkgen_path" "$bin_dir/pulumi-sdkgen-nodejs"; else rm -f "$bin_dir/pulumi-sdkgen-nodejs"; fi
{
  printf '# Generated by engine/build.sh (make engine); do not edit. Use: . .engine/env\n'
  printf 'AUTH0_M2M_ROOT=%q\n' "$repo"
  printf 'case ":$PATH:" in *":$AUTH0_M2M_ROOT/.engine/bin:"*) ;; *) export PATH="$AUTH0_M2M_ROOT/.engine/bin:$PATH" ;; esac\n'
  printf 'export PULUMI_SKIP_UPDATE_CHECK=true\n'
  printf 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true\n'
  printf 'export PULUMI_HOME="${PULUMI_HOME:-$AUTH0_M2M_ROOT/.pulumi-home}"\n'
  printf 'export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$AUTH0_M2M_ROOT/.state}"\n'
  printf '# What make engine chose (read by tests/engine):\n'
  printf 'AUTH0_M2M_ENGINE_PULUMI_SOURCE=%q\n' "$pulumi_source"
  printf 'AUTH0_M2M_ENGINE_PULUMI_PATH=%q\n' "$pulumi_path"
  printf 'AUTH0_M2M_ENGINE_PULUMI_VERSION=%q\n' "$pulumi_version"
  printf 'AUTH0_M2M_ENGINE_HOST_SOURCE=%q\n' "$host_source"
  printf 'AUTH0_M2M_ENGINE_HOST_PATH=%q\n' "$host_path"
  printf 'AUTH0_M2M_ENGINE_YAML_HOST_SOURCE=%q\n' "$yaml_source"
  printf 'AUTH0_M2M_ENGINE_YAML_HOST_PATH=%q\n' "$yaml_path"
  printf 'AUTH0_M2M_ENGINE_SDKGEN_PATH=%q\n' "$sdkgen_path"
  printf 'AUTH0_M2M_ENGINE_PACKAGE_PATH=%q\n' "$package_record"
  printf 'AUTH0_M2M_ENGINE_PROVIDER_KIND=%q\n' "$provider_kind"
  printf 'AUTH0_M2M_ENGINE_PROVIDER_PATH=%q\n' "$provider_record"
} >"$engine_dir/env.tmp.$$"
mv -f "$engine_dir/env.tmp.$$" "$engine_dir/env"

log "exposed: $bin_dir/pulumi -> $pulumi_path ($pulumi_version)"
log "exposed: $bin_dir/pulumi-language-python -> $(readlink -f "$bin_dir/pulumi-language-python") ($host_source$([ "$host_source" = built ] && echo ": a launcher that runs $host_path v$LANGUAGE_HOST_VERSION with the project's virtualenv"))"
log "exposed: $bin_dir/pulumi-language-yaml -> $(readlink -f "$bin_dir/pulumi-language-yaml") ($yaml_source)"
if [ -e "$bin_dir/pulumi-resource-auth0" ]; then
  log "exposed: $bin_dir/pulumi-resource-auth0 -> $provider_record ($provider_kind)"
else
  log "exposed: the auth0 plugin in the plugin cache, not on PATH: $provider_record ($provider_kind)"
fi
log "exposed: $engine_dir/env (source it for PATH and the offline Pulumi defaults)"
if [ "$pulumi_source" = built ] && [ "$built" = 0 ] && [ -f "$cache/pulumi-v$PULUMI_VERSION/build-info" ]; then
  log "pulumi: figures recorded when it was built (with the Go caches as they were then): $(grep -E '_seconds|disk_' "$cache/pulumi-v$PULUMI_VERSION/build-info" |
    paste -sd ' ')"
fi
if [ "$host_source" = built ] && [ "$built_host" = 0 ] && [ -f "$hdir/build-info" ]; then
  log "language host: figures recorded when it was built (with the Go caches as they were then): $(grep -E '_seconds|disk_' "$hdir/build-info" | paste -sd ' ')"
fi
if [ "$yaml_source" = built ] && [ "$built_yaml" = 0 ] && [ -f "$ydir/build-info" ]; then
  log "yaml host: figures recorded when it was built (with the Go caches as they were then): $(grep -E '_seconds|disk_' "$ydir/build-info" | paste -sd ' ')"
fi
what=""
[ "$built" = 1 ] && what="pulumi"
[ "$built_host" = 1 ] && what="${what:+$what and }the language host"
[ "$built_yaml" = 1 ] && what="${what:+$what and }the YAML host"
[ "$built_sdkgen" = 1 ] && what="${what:+$what and }the Node.js SDK generator"
what="${what:+cold: built $what}"
log "done in $((SECONDS - started))s (${what:-warm: nothing built})"
