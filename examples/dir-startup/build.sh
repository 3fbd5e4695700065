#!/bin/sh
# Builds examples/dir-startup/hook.ts into examples/dir-startup/dir-startup.wasm
# with the SDK's build command. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/../../hooks-sdk/js/build-hook.mjs" "$here/hook.ts" -o "$here/dir-startup.wasm"
