#!/usr/bin/env bash
# ensure-debian.sh PROGRAM "WHAT NEEDS IT" PACKAGE...: install Debian PACKAGEs when PROGRAM
# is missing (as root or with passwordless sudo); otherwise say how, and let those tests skip.
# Exit 0 either way; prints "installed" on stdout when it installed something.
set -euo pipefail
program=$1 needs=$2
shift 2
if command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "$program is not installed; $needs will be skipped (apt-get install $*)" >&2
  exit 0
fi
echo "Installing Debian's $* for $needs..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ]
echo installed
