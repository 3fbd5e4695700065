#!/usr/bin/env bash
# Builds a C hook into a WebAssembly component of bacula:hooks/hook@1.2.0.
#
#   bash hooks-sdk/c/build.sh <hook.c> [more.c ...] -o <out.wasm>
#
# 1. clang-16 --target=wasm32 -O2 -nostdlib compiles the hook and the kit
#    (bacula_hooks.c, bh_runtime.c); wasm-ld links them into a core module
#    (name section kept, so traps show function names).
# 2. componentize.mjs wraps it with jco (componentEmbed + componentNew) and
#    checks it against hooks-sdk/wit/hooks.wit.
#
# Environment: CLANG (default clang-16), BH_CFLAGS (extra compiler flags),
# BH_MAX_MEMORY (linear memory cap in bytes, default 16 MiB), NODE (default node).
# Works from any directory. Exits 1 with the failing step on error.
set -euo pipefail

KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The kit implements the 1.2.0 world; a component imports only the interfaces its
# hook calls (one that never calls bh_metrics_* does not import metrics).
WIT="$KIT/../wit/hooks.wit"

die() { echo "build.sh: $*" >&2; exit 1; }
usage() { echo "usage: bash $0 <hook.c> [more.c ...] -o <out.wasm>" >&2; exit 1; }

sources=()
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    -o*) out="${1#-o}"; shift ;;
    -h|--help) usage ;;
    -*) die "unknown option $1" ;;
    *) sources+=("$1"); shift ;;
  esac
done
[ ${#sources[@]} -gt 0 ] && [ -n "$out" ] || usage
for s in "${sources[@]}"; do [ -f "$s" ] || die "no such source file: $s"; done
[ -f "$WIT" ] || die "the WIT is missing: $WIT"

CLANG="${CLANG:-}"
if [ -z "$CLANG" ]; then
  for c in clang-16 /usr/bin/clang-16 /usr/lib/llvm-16/bin/clang; do
    if command -v "$c" >/dev/null 2>&1; then CLANG="$c"; break; fi
  done
fi
[ -n "$CLANG" ] || die "clang-16 not found (install clang-16 and lld-16: bash scripts/ensure-toolchains.sh)"
NODE="${NODE:-node}"
command -v "$NODE" >/dev/null 2>&1 || die "node not found"

# The kit's glue is written for one WIT: say so when the WIT changed under it.
want_sha=$(sed -n 's/^#define BACULA_HOOKS_WIT_SHA256 "\([0-9a-f]*\)".*/\1/p' "$KIT/bacula_hooks.h")
have_sha=$(sha256sum "$WIT" | cut -d' ' -f1)
if [ "$want_sha" != "$have_sha" ]; then
  echo "build.sh: warning: hooks.wit (sha256 $have_sha) is not the WIT this kit was written for ($want_sha): check bacula_hooks.c against it and update BACULA_HOOKS_WIT_SHA256" >&2
fi

start_ms=$(date +%s%3N)
tmp="$(mktemp -d "${TMPDIR:-/tmp}/bh-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

CFLAGS=(--target=wasm32 -O2 -std=c11 -ffreestanding -nostdlib -fno-exceptions
  -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration -Werror=int-conversion -Werror=incompatible-pointer-types
  -I "$KIT")
# shellcheck disable=SC2206
[ -n "${BH_CFLAGS:-}" ] && CFLAGS+=(${BH_CFLAGS})

# Compile the hook's sources and the kit side by side; report in source order.
all=("${sources[@]}" "$KIT/bacula_hooks.c" "$KIT/bh_runtime.c")
objects=()
pids=()
for i in "${!all[@]}"; do
  o="$tmp/$i-$(basename "${all[$i]%.c}").o"
  objects+=("$o")
  "$CLANG" "${CFLAGS[@]}" -c "${all[$i]}" -o "$o" 2>"$tmp/$i.log" &
  pids+=($!)
done
failed=""
for i in "${!all[@]}"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  cat "$tmp/$i.log" >&2
  [ "$rc" -eq 0 ] || failed="${failed:-${all[$i]}}"
done
[ -z "$failed" ] || die "compiling $failed failed"

core="$tmp/core.wasm"
"$CLANG" --target=wasm32 -nostdlib -fuse-ld=lld \
  -Wl,--no-entry -Wl,--stack-first -Wl,-z,stack-size=65536 \
  -Wl,--max-memory="${BH_MAX_MEMORY:-16777216}" \
  "${objects[@]}" -o "$core" \
  || die "linking failed (an undefined symbol is a function the kit does not provide: no libc here)"

mkdir -p "$(dirname "$out")"
bytes=$("$NODE" "$KIT/componentize.mjs" "$core" "$out" "$WIT") || die "making the component failed"
end_ms=$(date +%s%3N)
echo "built $out: $bytes bytes in $((end_ms - start_ms)) ms"
