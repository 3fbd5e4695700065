#!/usr/bin/env bash
# Builds a Rust hook into a WebAssembly component of bacula:hooks/hook@1.0.0.
#
#   bash hooks-sdk/rust/build.sh <hook.rs> -o <out.wasm>
#
# Works from any directory, needs neither cargo nor the network:
#   1. the kit (src/lib.rs) -> libbacula_hooks.rlib  (Debian's rustc, wasm32-unknown-unknown)
#   2. the hook             -> core module (cdylib linking the kit; name section kept)
#   3. componentize.mjs     -> component (jco componentEmbed + componentNew, checked)
# Temporary files go to a fresh directory under $TMPDIR, removed on exit.
# Environment: RUSTC (default /usr/bin/rustc: rustup's rustc has no wasm32 target),
# WASM_LINKER (default: rust-lld if it runs, else the newest wasm-ld-NN found).
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 1; }
usage() { echo "usage: bash hooks-sdk/rust/build.sh <hook.rs> -o <out.wasm>" >&2; exit 1; }

src="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    -o*) out="${1#-o}"; shift ;;
    -h|--help) usage ;;
    -*) echo "build.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$src" ] || usage; src="$1"; shift ;;
  esac
done
[ -n "$src" ] && [ -n "$out" ] || usage
[ -f "$src" ] || die "hook source not found: $src"

t0=$(date +%s%N)
kit=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$(dirname "$src")" && pwd)
src_abs="$src_dir/$(basename "$src")"
mkdir -p "$(dirname "$out")" || die "cannot create the output folder of $out"
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

RUSTC=${RUSTC:-/usr/bin/rustc}
[ -x "$RUSTC" ] || die "no rustc at $RUSTC (Debian: apt-get install rustc libstd-rust-dev-wasm32; or scripts/ensure-toolchains.sh)"
sysroot=$("$RUSTC" --print sysroot)
[ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ] ||
  die "$RUSTC has no wasm32-unknown-unknown standard library (Debian: apt-get install libstd-rust-dev-wasm32)"

# Debian's rust-lld is a link to lld-14, which may be missing; any wasm-ld that
# is not older than rustc's LLVM (14) links its objects.
linker_flags=()
if [ -n "${WASM_LINKER:-}" ]; then
  linker_flags=(-C "linker=$WASM_LINKER")
elif ! rust-lld -flavor wasm --version >/dev/null 2>&1; then
  found=""
  for v in 21 20 19 18 17 16 15 14; do
    if command -v "wasm-ld-$v" >/dev/null; then found="wasm-ld-$v"; break; fi
  done
  [ -n "$found" ] || found=$(command -v wasm-ld || true)
  [ -n "$found" ] || die "no wasm linker: rust-lld does not run and no wasm-ld-NN is installed (Debian: apt-get install lld-16)"
  linker_flags=(-C "linker=$found")
fi

crate=$(basename "$src_abs" .rs | tr -c 'A-Za-z0-9_\n' '_')
case "$crate" in [0-9]*) crate="_$crate" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bacula-rust-hook.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

common=(--edition 2021 --target wasm32-unknown-unknown -C panic=abort -O -C codegen-units=1
        -C strip=debuginfo "${linker_flags[@]}")

"$RUSTC" "${common[@]}" --crate-type rlib --crate-name bacula_hooks \
  --remap-path-prefix "$kit/src=bacula_hooks" \
  "$kit/src/lib.rs" --out-dir "$tmp" ||
  die "the kit (hooks-sdk/rust/src) did not compile"

"$RUSTC" "${common[@]}" --crate-type cdylib --crate-name "$crate" \
  --extern "bacula_hooks=$tmp/libbacula_hooks.rlib" -L "dependency=$tmp" \
  --remap-path-prefix "$src_dir=" --remap-path-prefix "$kit/src=bacula_hooks" \
  "$src_abs" -o "$tmp/core.wasm" ||
  die "$src did not compile"

node "$kit/componentize.mjs" "$tmp/core.wasm" "$out_abs"

bytes=$(stat -c %s "$out_abs")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "built $out: $bytes bytes (core module $(stat -c %s "$tmp/core.wasm") bytes) in $ms ms"
