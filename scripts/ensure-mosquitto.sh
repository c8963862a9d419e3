#!/usr/bin/env bash
# The bridge tests run a real MQTT broker: Debian's mosquitto on 127.0.0.1, started by the
# tests themselves, so the system broker the package starts on port 1883 is switched off.
set -euo pipefail
installed=$("$(dirname "$0")/ensure-debian.sh" mosquitto "the MQTT bridge tests" mosquitto)
if [ "$installed" = installed ] && command -v systemctl >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
