#!/usr/bin/env bash
# Installs what the project needs and skips what is already there: the npm
# packages, with `npm ci` when node_modules is missing or differs from
# package-lock.json, and the Debian toolchains for C and Rust hooks.
set -euo pipefail
cd "$(dirname "$0")/.."

in_sync() {
  node -e '
    const want = require("./package-lock.json").packages;
    const have = require("./node_modules/.package-lock.json").packages;
    for (const [k, v] of Object.entries(want))
      if (k && !v.optional && have[k]?.version !== v.version) process.exit(1);
  ' 2>/dev/null
}

if ! in_sync; then
  echo "ensure-deps: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

bash "$(dirname "$0")/ensure-toolchains.sh"
