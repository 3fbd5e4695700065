#!/bin/sh
# Builds examples/c-dir-startup/hook.c into examples/c-dir-startup/c-dir-startup.wasm with the C kit
# (hooks-sdk/c/build.sh). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hooks-sdk/c/build.sh" "$here/hook.c" -o "$here/c-dir-startup.wasm"
