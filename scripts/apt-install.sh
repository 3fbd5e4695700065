#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE...: installs the given Debian packages (as root,
# or through sudo), after one `apt-get update`, without recommends. The
# ensure-* scripts call it with what they found missing; WHO names the caller
# in the line it prints. Another apt run holding the lock is waited for (up
# to 10 minutes) rather than failing.
set -euo pipefail
who=$1; shift
[ $# -gt 0 ] || exit 0
echo "$who: installing $*" >&2
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
