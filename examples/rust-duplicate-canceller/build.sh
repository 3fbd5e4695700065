#!/bin/sh
# Builds examples/rust-duplicate-canceller/hook.rs into examples/rust-duplicate-canceller/rust-duplicate-canceller.wasm with the Rust kit
# (hooks-sdk/rust/build.sh: Debian's rustc for wasm32, no cargo). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hooks-sdk/rust/build.sh" "$here/hook.rs" -o "$here/rust-duplicate-canceller.wasm"
