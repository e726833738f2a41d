#!/usr/bin/env bash
# Installs the Debian packages the tests and the quick start need. Idempotent: skips apt when all are present.
#   mosquitto, mosquitto-clients  a real external broker and real third-party MQTT clients (tests)
#   iproute2                      network namespaces for multi-host tests (pairing over mDNS)
#   avahi-daemon avahi-utils dbus a real third-party mDNS peer (avahi-browse) inside a test namespace
#   openssl                       the hub's self-signed TLS certificate
#   pocketsphinx pocketsphinx-en-us ffmpeg   offline voice: speech to text and audio conversion (POST /api/voice)
#   espeak-ng flite sox           speech synthesis (spoken replies; the voice tests' utterances) and resampling
#   chromium                      the dashboard's browser tests (playwright-core drives it; never a downloaded browser)
#   systemd                       systemd-analyze and systemd-sysusers, to check deploy/systemd (no running systemd needed)
set -euo pipefail
PACKAGES=(mosquitto mosquitto-clients iproute2 avahi-daemon avahi-utils dbus openssl pocketsphinx pocketsphinx-en-us ffmpeg espeak-ng flite sox systemd chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all packages present (${PACKAGES[*]})"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged mosquitto service where systemd runs; tests start their own on free loopback ports.
$SUDO systemctl disable --now mosquitto avahi-daemon >/dev/null 2>&1 || true
echo "setup-system: done"
