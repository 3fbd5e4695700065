#!/usr/bin/env bash
# Installs the Debian toolchains that build C and Rust hooks, skipping what is
# present: clang-16 + lld-16 (C, --target=wasm32) and Debian's rustc 1.63 with
# the wasm32 standard library (rustup's toolchain has no wasm32 target here).
set -euo pipefail

need=()
command -v clang-16 >/dev/null || need+=(clang-16)
command -v wasm-ld-16 >/dev/null || need+=(lld-16)
[ -x /usr/bin/rustc ] || need+=(rustc)
[ -d /usr/lib/rustlib/wasm32-unknown-unknown ] || need+=(libstd-rust-dev-wasm32)

bash "$(dirname "$0")/apt-install.sh" ensure-toolchains ${need[@]+"${need[@]}"}
