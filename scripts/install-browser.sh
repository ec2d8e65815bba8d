#!/usr/bin/env bash
# Installs Debian's Chromium and chromedriver for the browser tests when they are missing. Idempotent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-browser: run as root to install chromium and chromium-driver" >&2; exit 1; }
  SUDO=sudo
fi
echo "[install-browser] installing chromium and chromium-driver"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
