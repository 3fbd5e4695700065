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

bash "$(dirname "$0")/apt-install.sh" ensure-bacula ${need[@]+"${need[@]}"}
