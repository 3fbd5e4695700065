#!/bin/sh
# Builds examples/c-failure-notifier/hook.c into examples/c-failure-notifier/c-failure-notifier.wasm with the C kit
# (hooks-sdk/c/build.sh). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hooks-sdk/c/build.sh" "$here/hook.c" -o "$here/c-failure-notifier.wasm"
