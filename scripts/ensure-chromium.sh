#!/usr/bin/env bash
# The browser tests drive Debian's Chromium headless (through the playwright package).
set -euo pipefail
"$(dirname "$0")/ensure-debian.sh" chromium "the browser tests" chromium fonts-dejavu-core >/dev/null
