#!/bin/sh
# Builds examples/c-volume-naming/hook.c into examples/c-volume-naming/c-volume-naming.wasm with the C kit
# (hooks-sdk/c/build.sh). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hooks-sdk/c/build.sh" "$here/hook.c" -o "$here/c-volume-naming.wasm"
