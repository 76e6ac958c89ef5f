#!/usr/bin/env bash
# Configures and builds into ./build (Ninja, RelWithDebInfo). Extra arguments go to cmake --build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" "$@"
