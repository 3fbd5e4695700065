#!/bin/sh
# Builds examples/metrics-exporter/hook.ts into metrics-exporter.wasm with the JS/TS kit,
# with the WASI clocks feature (a job's duration is measured from JobStart to JobEnd):
# register it with the clocks grant. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/../../hooks-sdk/js/build-hook.mjs" "$here/hook.ts" -o "$here/metrics-exporter.wasm" --wasi clocks
