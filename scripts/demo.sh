#!/usr/bin/env bash
# README command (a): install what is missing, build, fill ./demo-runs with runs made by the offline
# simulated provider (first time only), then open the app on it (under Xvfb when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p demo-runs
if [ -z "$(find demo-runs -name '*.json' -print -quit)" ]; then
  tasks=("150-word VTOL brief" "Compare heat pumps and gas boilers for a 1930s house"
         "Summarise the trade-offs of retrieval-augmented generation" "Draft a release note for a budget feature")
  presets=(quick thorough research deterministic)
  for i in "${!tasks[@]}"; do
    ./build/app/djp run --offline --quiet --runs-dir demo-runs --task "${tasks[$i]}" --preset "${presets[$i]}" || true
  done
fi
if [ -x build/app/djp-studio ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec ./build/app/djp-studio --runs-dir demo-runs
  elif command -v xvfb-run >/dev/null; then
    echo "No display: running under Xvfb and saving a screenshot to demo-runs/dashboard.png"
    exec xvfb-run -a ./build/app/djp-studio --runs-dir demo-runs --screenshot demo-runs/dashboard.png
  fi
fi
exec ./build/app/djp metrics --runs-dir demo-runs
