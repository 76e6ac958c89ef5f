#!/usr/bin/env bash
# Installs the Debian 12 packages DJP Studio needs to build, test and run; idempotent: runs
# `apt-get update` once and installs only what is missing. Needs root (or sudo) when something is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev qt6-qpa-plugins libgl-dev
  nlohmann-json3-dev libspdlog-dev libsimdjson-dev
  qtkeychain-qt6-dev
  qt6-tools-dev qt6-l10n-tools
  xvfb xauth fonts-dejavu-core
  faketime tzdata python3-pandas
  desktop-file-utils appstream dpkg-dev file
  postgresql libpq-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
