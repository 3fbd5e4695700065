#!/usr/bin/env bash
# Installs Debian's Bacula 9.6 (Director with the SQLite catalog, storage and
# file daemons, console), skipping what is present: the end-to-end test runs
# a private Bacula on loopback against the bridge. The packages' own system
# daemons are not used (the test writes its own configuration and ports).
set -euo pipefail

need=()
[ -x /usr/sbin/bacula-dir ] || need+=(bacula-director)
[ -f /usr/share/bacula-director/make_sqlite3_tables ] || need+=(bacula-director-sqlite3)
[ -x /usr/sbin/bacula-sd ] || need+=(bacula-sd)
[ -x /usr/sbin/bacula-fd ] || need+=(bacula-fd)
[ -x /usr/sbin/bconsole ] || need+=(bacula-console)
command -v sqlite3 >/dev/null || need+=(sqlite3)

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-bacula: installing ${need[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
