#!/usr/bin/env bash
# The bridge tests run a real MQTT broker: Debian's mosquitto on 127.0.0.1 (started by the
# tests themselves; the packaged service is not needed). Install it when it is missing
# (root or passwordless sudo); otherwise say how, and let those tests skip.
set -euo pipefail
if command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "mosquitto is not installed; MQTT bridge tests will be skipped (apt-get install mosquitto)" >&2
  exit 0
fi
echo "Installing Debian's mosquitto for the MQTT bridge tests..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
# The package starts a system broker on port 1883; the tests don't use it.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null
