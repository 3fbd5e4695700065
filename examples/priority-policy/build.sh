#!/bin/sh
# Builds examples/priority-policy/hook.ts into priority-policy.wasm with the JS/TS kit. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/../../hooks-sdk/js/build-hook.mjs" "$here/hook.ts" -o "$here/priority-policy.wasm"
