#!/bin/sh
# Builds the Bacula example hooks (job-audit.c, change-freeze.c) with the C kit,
# each into <name>.wasm next to its source. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for hook in job-audit change-freeze; do
  bash "$here/../../../hooks-sdk/c/build.sh" "$here/$hook.c" -o "$here/$hook.wasm"
done
